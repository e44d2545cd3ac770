#pragma once
// Runs `imuwb calib-export` from the calibration dialog off the GUI thread: the same core job
// with the same options (jobs::runCalibExportJob), progress and cancel through JobControl, on a
// JobRunner (its own thread, not Qt's global pool). A cancelled export leaves no file behind.
#include <QObject>
#include <memory>

#include "JobRunner.hpp"
#include "jobs/CalibExportJob.hpp"

namespace imuwb::widgets {

class CalibExportRunner : public QObject {
  Q_OBJECT
 public:
  explicit CalibExportRunner(QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  // False (nothing starts) while an export runs.
  bool start(std::shared_ptr<const ModelBundle> bundle, jobs::CalibExportJobOptions options);
  void cancel() { runner_.cancel(); }
  void waitForIdle() { runner_.waitForIdle(); }

 signals:
  void progress(double fraction, QString stage);
  void finished(std::shared_ptr<const imuwb::jobs::CalibExportJobResult> result);
  void failed(QString message);
  void cancelled();

 private:
  JobRunner<jobs::CalibExportJobResult> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::jobs::CalibExportJobResult>)
