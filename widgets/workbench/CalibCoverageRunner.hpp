#pragma once
// Does a calibration set cover the other sessions the workbench knows? Runs the coverage job
// (`imuwb calib-export --check SET --session S`, jobs::runCalibCoverageJob) once per session, off
// the GUI thread on a JobRunner, and keeps per session its worst channel: the one with the largest
// fraction of samples outside the set's range. A session that cannot be checked is listed with its
// error instead of stopping the others.
#include <QObject>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "JobRunner.hpp"
#include "common/JobControl.hpp"

namespace imuwb::widgets {

struct SessionCoverage {
  std::filesystem::path session;
  std::string worstChannel;  // empty when the session could not be checked
  double fraction = 0;       // that channel's samples outside the set's range / its samples
  bool warned = false;       // fraction above the threshold
  std::string error;         // why the session could not be checked (with the fix)
};

struct CoverageSummary {
  std::filesystem::path calibrationSet;
  double maxOutside = 0.01;  // the threshold (the job's default unless chosen)
  std::vector<SessionCoverage> sessions;
};

// One coverage job per session, in order; Cancelled on cancel.
CoverageSummary coverageOfSessions(const std::filesystem::path& calibrationSet,
                                   const std::vector<std::filesystem::path>& sessions,
                                   double maxOutside, const JobControl& control);

class CalibCoverageRunner : public QObject {
  Q_OBJECT
 public:
  explicit CalibCoverageRunner(QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  bool start(std::filesystem::path calibrationSet, std::vector<std::filesystem::path> sessions,
             double maxOutside);
  void cancel() { runner_.cancel(); }
  void waitForIdle() { runner_.waitForIdle(); }

 signals:
  void progress(double fraction, QString stage);
  void finished(std::shared_ptr<const imuwb::widgets::CoverageSummary> summary);
  void failed(QString message);
  void cancelled();

 private:
  JobRunner<CoverageSummary> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::widgets::CoverageSummary>)
