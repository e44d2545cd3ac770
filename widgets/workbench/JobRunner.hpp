#pragma once
// The plumbing every GUI runner shares (RunController, ParityRunner, SessionOpener,
// SessionValidationQueue): one BackgroundJob of its own (never Qt's global pool), work typed as
// T(const JobControl&), and one handler per outcome, called on the GUI thread: progress
// (coalesced), then exactly one of succeeded (the value), failed (the message) or cancelled.
// The destructor cancels and waits for the worker. Runners keep only what is theirs: their
// signals, a cache, a queue.
#include <QObject>
#include <functional>
#include <memory>
#include <utility>

#include "BackgroundJob.hpp"

namespace imuwb::widgets {

template <class T>
class JobRunner {
 public:
  struct Handlers {
    std::function<void(double fraction, const QString& stage)> progress;
    std::function<void(std::shared_ptr<const T> value)> succeeded;
    std::function<void(const QString& message)> failed;
    std::function<void()> cancelled;
  };

  // owner: the runner QObject; the job is its child, so the handlers run in its thread.
  JobRunner(QObject* owner, Handlers handlers)
      : job_(new BackgroundJob(owner)), handlers_(std::move(handlers)) {
    QObject::connect(job_, &BackgroundJob::progress, owner,
                     [this](double fraction, const QString& stage) {
                       if (handlers_.progress) handlers_.progress(fraction, stage);
                     });
    QObject::connect(job_, &BackgroundJob::succeeded, owner,
                     [this](const BackgroundJob::Value& value) {
                       if (handlers_.succeeded)
                         handlers_.succeeded(BackgroundJob::valueAs<T>(value));
                     });
    QObject::connect(job_, &BackgroundJob::failed, owner, [this](const QString& message) {
      if (handlers_.failed) handlers_.failed(message);
    });
    QObject::connect(job_, &BackgroundJob::cancelled, owner, [this] {
      if (handlers_.cancelled) handlers_.cancelled();
    });
  }
  ~JobRunner() {
    cancel();
    waitForIdle();
  }
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  bool busy() const { return job_->busy(); }
  // Starts work on the job's thread; false (nothing runs) while a job is busy.
  bool run(std::function<T(const JobControl& control)> work) { return job_->run(std::move(work)); }
  void cancel() { job_->cancel(); }
  void waitForIdle() { job_->waitForIdle(); }
  const BackgroundJob& job() const { return *job_; }

 private:
  BackgroundJob* job_;
  Handlers handlers_;
};

}  // namespace imuwb::widgets
