#include "RunController.hpp"

#include <QPointer>
#include <QtConcurrent>

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
    : QObject(parent), run_(std::move(run)) {
  qRegisterMetaType<std::shared_ptr<const ModelOutputs>>();
}

RunController::~RunController() {
  cancel();
  waitForIdle();
}

void RunController::start(const RunRequest& request) {
  if (busy_) return;
  const RunKey key = request.key();
  if (auto cached = cache_.find(key)) {
    emit finished(cached, true);
    return;
  }
  busy_ = true;
  stop_ = std::stop_source();
  JobControl control;
  control.stop = stop_.get_token();
  QPointer<RunController> self(this);
  control.onProgress = [self](double fraction, std::string_view stage) {
    // Called on the worker thread: hop to the GUI thread.
    const QString text = QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size()));
    QMetaObject::invokeMethod(
        self.data(),
        [self, fraction, text] {
          if (self) emit self->progress(fraction, text);
        },
        Qt::QueuedConnection);
  };
  auto future = QtConcurrent::run([this, self, request, control, key] {
    enum class Outcome { Done, Cancelled, Failed } outcome = Outcome::Done;
    std::shared_ptr<const ModelOutputs> outputs;
    QString message;
    try {
      outputs = std::make_shared<const ModelOutputs>(run_(request, control));
    } catch (const Cancelled&) {
      outcome = Outcome::Cancelled;
    } catch (const std::exception& error) {
      outcome = Outcome::Failed;
      message = QString::fromUtf8(error.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, outcome, outputs, message, key] {
          if (!self) return;
          self->busy_ = false;
          if (outcome == Outcome::Done) {
            self->cache_.insert(key, outputs);
            emit self->finished(outputs, false);
          } else if (outcome == Outcome::Cancelled) {
            emit self->cancelled();
          } else {
            emit self->failed(message);
          }
        },
        Qt::QueuedConnection);
  });
  watcher_.setFuture(future);
}

void RunController::cancel() {
  if (busy_) stop_.request_stop();
}

void RunController::waitForIdle() {
  watcher_.waitForFinished();
}

}  // namespace imuwb::widgets
