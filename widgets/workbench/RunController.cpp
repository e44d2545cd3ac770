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
    : QObject(parent), run_(std::move(run)), job_(new BackgroundJob(this)) {
  qRegisterMetaType<std::shared_ptr<const ModelOutputs>>();
  connect(job_, &BackgroundJob::progress, this, &RunController::progress);
  connect(job_, &BackgroundJob::succeeded, this, [this](const BackgroundJob::Value& value) {
    const auto outputs = BackgroundJob::valueAs<ModelOutputs>(value);
    cache_.insert(runningKey_, outputs);
    emit finished(outputs, false);
  });
  connect(job_, &BackgroundJob::failed, this, &RunController::failed);
  connect(job_, &BackgroundJob::cancelled, this, &RunController::cancelled);
}

RunController::~RunController() {
  cancel();
  waitForIdle();
}

void RunController::start(const RunRequest& request) {
  if (busy()) return;
  const RunKey key = request.key();
  if (auto cached = cache_.find(key)) {
    emit finished(cached, true);
    return;
  }
  runningKey_ = key;
  job_->run([run = run_, request](const JobControl& control) { return run(request, control); });
}

void RunController::cancel() {
  job_->cancel();
}

void RunController::waitForIdle() {
  job_->waitForIdle();
}

}  // namespace imuwb::widgets
