#pragma once
// Runs a model over a session off the GUI thread: the work is a plain function over core jobs
// (so tests can substitute one), run on a JobRunner (its own thread, not Qt's global pool),
// reporting progress through JobControl and cancelled through its stop_token. Signals arrive on
// the GUI thread.
#include <QObject>
#include <functional>
#include <map>
#include <memory>

#include "JobRunner.hpp"
#include "ModelOutputs.hpp"
#include "RunResultCache.hpp"
#include "common/JobControl.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

struct RunRequest {
  std::shared_ptr<const Session> session;
  std::shared_ptr<const ModelBundle> bundle;
  std::string backend = "cpu";
  std::size_t strideSamples = 50;
  // Registry settings for the backend (int8: "calibration" = the calibration .npy).
  std::map<std::string, std::string> backendSettings;
  RunKey key() const;
};

using RunFunction =
    std::function<ModelOutputs(const RunRequest& request, const JobControl& control)>;

class RunController : public QObject {
  Q_OBJECT
 public:
  RunController(RunFunction run, QObject* parent = nullptr);
  bool busy() const { return runner_.busy(); }
  // Cached results come back at once (finished is emitted before start returns).
  void start(const RunRequest& request);
  void cancel();
  RunResultCache& cache() { return cache_; }
  // The last request started (the run in flight, or the one answered from the cache): its
  // session is the one the outputs belong to.
  const RunRequest& request() const { return request_; }
  void waitForIdle();  // blocks until the worker is done (shutdown, tests)

 signals:
  void progress(double fraction, QString stage);
  void finished(std::shared_ptr<const imuwb::widgets::ModelOutputs> outputs, bool fromCache);
  void failed(QString message);
  void cancelled();

 private:
  RunFunction run_;
  RunResultCache cache_;
  RunRequest request_;
  RunKey runningKey_;  // the key of the run in flight, cached when it succeeds
  JobRunner<ModelOutputs> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::widgets::ModelOutputs>)
