#include "BackendChecker.hpp"

#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

BackendChecker::BackendChecker(QObject* parent)
    : QObject(parent),
      runner_(this, {[this](double, const QString& stage) {
                       if (box_) box_->showCheckStatus(tr("Checking: %1…").arg(stage));
                     },
                     [this](std::shared_ptr<const jobs::BackendCheckJobResult> result) {
                       if (box_) {
                         box_->showCheck(*result);
                         box_->setBusy(false);
                       }
                       emit finished(std::move(result));
                     },
                     [this](const QString& message) {
                       if (box_) {
                         box_->showCheckError(message);
                         box_->setBusy(false);
                       }
                       emit failed(message);
                     },
                     [this] {
                       if (box_) box_->setBusy(false);
                       emit cancelled();
                     }}) {
  qRegisterMetaType<std::shared_ptr<const jobs::BackendCheckJobResult>>();
}

void BackendChecker::check(BackendChoiceBox* box, std::shared_ptr<const ModelBundle> bundle) {
  if (!box || runner_.busy()) return;
  if (!bundle) {
    box->showCheckError(tr("open a model first: the check loads it into the backend"));
    return;
  }
  box_ = box;
  jobs::BackendCheckJobOptions options;
  options.backend = box->currentBackend();
  options.settings = box->settings();
  box->setBusy(true);
  runner_.run([bundle, options](const JobControl& control) {
    return jobs::runBackendCheckJob(*bundle, options, control);
  });
}

void BackendChecker::cancel() {
  runner_.cancel();
}

void BackendChecker::waitForIdle() {
  runner_.waitForIdle();
}

}  // namespace imuwb::widgets
