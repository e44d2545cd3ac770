#include "RunController.hpp"

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

RunKey RunRequest::key() const {
  RunKey key;
  key.session = session && !session->sourcePath.empty()
                    ? session->sourcePath.string()
                    : "memory:" + std::to_string(reinterpret_cast<std::uintptr_t>(session.get()));
  key.model = bundle ? (bundle->model ? bundle->sha256() : bundle->onnxPath.string()) : "";
  key.backend = backend;
  // Same backend with other settings (another calibration set) gives other results.
  for (const auto& [name, value] : backendSettings) key.backend += " " + name + "=" + value;
  key.strideSamples = strideSamples;
  return key;
}

RunController::RunController(RunFunction run, QObject* parent)
    : QObject(parent),
      run_(std::move(run)),
      runner_(this,
              {[this](double fraction, const QString& stage) { emit progress(fraction, stage); },
               [this](std::shared_ptr<const ModelOutputs> outputs) {
                 cache_.insert(runningKey_, outputs);
                 emit finished(std::move(outputs), false);
               },
               [this](const QString& message) { emit failed(message); },
               [this] { emit cancelled(); }}) {
  qRegisterMetaType<std::shared_ptr<const ModelOutputs>>();
}

void RunController::start(const RunRequest& request) {
  if (busy()) return;
  request_ = request;
  const RunKey key = request.key();
  if (auto cached = cache_.find(key)) {
    emit finished(cached, true);
    return;
  }
  runningKey_ = key;
  runner_.run([run = run_, request](const JobControl& control) { return run(request, control); });
}

void RunController::cancel() {
  runner_.cancel();
}

void RunController::waitForIdle() {
  runner_.waitForIdle();
}

}  // namespace imuwb::widgets
