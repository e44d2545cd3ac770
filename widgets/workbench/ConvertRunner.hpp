#pragma once
// Runs `imuwb convert` from Tools ▸ Convert for Hailo-8… off the GUI thread: the same core job
// with the same options (jobs::runConvertJob), progress and cancel through JobControl, on a
// JobRunner (its own thread, not Qt's global pool). A failed proof is a result, not an error:
// the dialog shows it and nothing was written.
#include <QObject>
#include <memory>

#include "JobRunner.hpp"
#include "jobs/ConvertJob.hpp"

namespace imuwb::widgets {

class ConvertRunner : public QObject {
  Q_OBJECT
 public:
  explicit ConvertRunner(QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  // False (nothing starts) while a conversion runs.
  bool start(jobs::ConvertJobOptions options);
  void cancel() { runner_.cancel(); }
  void waitForIdle() { runner_.waitForIdle(); }

 signals:
  void progress(double fraction, QString stage);
  void finished(std::shared_ptr<const imuwb::jobs::ConvertJobResult> result);
  void failed(QString message);
  void cancelled();

 private:
  JobRunner<jobs::ConvertJobResult> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::jobs::ConvertJobResult>)
