#pragma once
// Keeps the calibration dialog's class-balance table live without blocking the GUI: each
// request plans the export (jobs::planCalibExportJob: the selection counted and sampled, nothing
// written) on a JobRunner of its own. The latest request wins: a request made while a plan runs
// cancels it and starts when it has stopped, and only the latest plan (or its error) is
// reported.
#include <QObject>
#include <memory>
#include <optional>

#include "JobRunner.hpp"
#include "jobs/CalibExportJob.hpp"

namespace imuwb::widgets {

struct CalibPlanRequest {
  std::shared_ptr<const ModelBundle> bundle;
  jobs::CalibExportJobOptions options;  // out may be empty
};

class CalibPlanner : public QObject {
  Q_OBJECT
 public:
  explicit CalibPlanner(QObject* parent = nullptr);
  void request(CalibPlanRequest request);
  bool busy() const { return runner_.busy() || pending_.has_value(); }
  void waitForIdle();  // blocks until no plan runs (tests, shutdown); a pending one is dropped

 signals:
  void planned(std::shared_ptr<const imuwb::quant::CalibrationPlan> plan);
  void failed(QString message);

 private:
  void startPending();  // starts the latest request, if one waits

  std::optional<CalibPlanRequest> pending_;
  JobRunner<quant::CalibrationPlan> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::quant::CalibrationPlan>)
