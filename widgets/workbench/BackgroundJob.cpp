#include "BackgroundJob.hpp"

#include <exception>
#include <mutex>
#include <string>

#include "common/Error.hpp"

namespace imuwb::widgets {

// The latest progress the worker reported; the GUI thread polls it on a timer, so a job that
// reports per window costs a mutex per call, not an event per call.
struct BackgroundJob::ProgressState {
  std::mutex mutex;
  double fraction = 0;
  std::string stage;
  unsigned long long version = 0;  // bumped on every report
};

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {
  pool_.setMaxThreadCount(1);  // one job at a time; its thread is ours alone
  pool_.setObjectName(QStringLiteral("imuwb-background-job"));
  progressTimer_.setInterval(kProgressIntervalMs);
  connect(&progressTimer_, &QTimer::timeout, this, &BackgroundJob::deliverProgress);
}

BackgroundJob::~BackgroundJob() {
  cancel();
  waitForIdle();
}

bool BackgroundJob::start(Work work) {
  if (busy_) return false;
  busy_ = true;
  stop_ = std::stop_source();
  progressState_ = std::make_shared<ProgressState>();
  deliveredVersion_ = 0;
  JobControl control;
  control.stop = stop_.get_token();
  control.onProgress = [state = progressState_](double fraction, std::string_view stage) {
    const std::lock_guard lock(state->mutex);
    state->fraction = fraction;
    state->stage.assign(stage);
    ++state->version;
  };
  progressTimer_.start();
  // `this` outlives the worker: the destructor waits for the pool before QObject goes away,
  // and Qt drops events still queued for a destroyed object.
  pool_.start([this, work = std::move(work), control = std::move(control)] {
    Outcome outcome = Outcome::Succeeded;
    Value value;
    QString message;
    try {
      value = work(control);
      if (control.stop.stop_requested()) outcome = Outcome::Cancelled;
    } catch (const Cancelled&) {
      outcome = Outcome::Cancelled;
    } catch (const std::exception& error) {
      outcome = Outcome::Failed;
      message = QString::fromUtf8(error.what());
    } catch (...) {
      outcome = Outcome::Failed;
      message = tr("unknown error");
    }
    QMetaObject::invokeMethod(
        this, [this, outcome, value, message] { settle(outcome, value, message); },
        Qt::QueuedConnection);
  });
  return true;
}

void BackgroundJob::deliverProgress() {
  if (!progressState_) return;
  double fraction = 0;
  QString stage;
  {
    const std::lock_guard lock(progressState_->mutex);
    if (progressState_->version == deliveredVersion_) return;
    deliveredVersion_ = progressState_->version;
    fraction = progressState_->fraction;
    stage = QString::fromStdString(progressState_->stage);
  }
  emit progress(fraction, stage);
}

void BackgroundJob::settle(Outcome outcome, const Value& value, const QString& message) {
  progressTimer_.stop();
  deliverProgress();  // the last report before the outcome, never after it
  progressState_.reset();
  busy_ = false;  // before emitting, so a handler may start the next job
  switch (outcome) {
    case Outcome::Succeeded:
      emit succeeded(value);
      break;
    case Outcome::Failed:
      emit failed(message);
      break;
    case Outcome::Cancelled:
      emit cancelled();
      break;
  }
}

void BackgroundJob::cancel() {
  if (busy_) stop_.request_stop();
}

void BackgroundJob::waitForIdle() {
  pool_.waitForDone();
}

}  // namespace imuwb::widgets
