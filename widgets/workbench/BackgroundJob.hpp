#pragma once
// Runs one long GUI job at a time on a thread pool of its own, never on
// QThreadPool::globalInstance(): Qt 6.4's raster engine splits big fills into tasks on the global
// pool and the GUI thread waits for them, so a job parked there stalls painting.
//
// The job is a plain function over a JobControl (progress + stop_token). Its progress reaches the
// GUI thread coalesced, at most every kProgressIntervalMs; then exactly one outcome follows, on
// the GUI thread: succeeded(value), failed(message) or cancelled(). A job whose stop was
// requested never reports success.
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <functional>
#include <memory>
#include <stop_token>
#include <type_traits>

#include "common/JobControl.hpp"

namespace imuwb::widgets {

class BackgroundJob : public QObject {
  Q_OBJECT
 public:
  // What a job returns, type-erased so one runner serves every result type; see valueAs<T>().
  using Value = std::shared_ptr<const void>;
  using Work = std::function<Value(const JobControl& control)>;
  static constexpr int kProgressIntervalMs = 50;

  explicit BackgroundJob(QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels and waits for the worker

  bool busy() const { return busy_; }
  // Starts work on the job's own thread. Returns false (and runs nothing) while a job is busy.
  bool start(Work work);
  // Typed form: fn(control) returns a T, delivered by succeeded as a shared_ptr<const T>.
  template <class Fn>
  bool run(Fn fn) {
    using T = std::decay_t<std::invoke_result_t<const Fn&, const JobControl&>>;
    return start([fn = std::move(fn)](const JobControl& control) -> Value {
      return std::make_shared<const T>(fn(control));
    });
  }
  template <class T>
  static std::shared_ptr<const T> valueAs(const Value& value) {
    return std::static_pointer_cast<const T>(value);
  }

  void cancel();       // asks the running job to stop through its stop_token; no-op when idle
  void waitForIdle();  // blocks until the worker has returned (shutdown, tests)
  const QThreadPool& pool() const { return pool_; }

 signals:
  void progress(double fraction, QString stage);
  void succeeded(imuwb::widgets::BackgroundJob::Value value);
  void failed(QString message);
  void cancelled();

 private:
  struct ProgressState;
  enum class Outcome { Succeeded, Failed, Cancelled };
  void deliverProgress();
  void settle(Outcome outcome, const Value& value, const QString& message);

  QThreadPool pool_;
  QTimer progressTimer_;
  std::shared_ptr<ProgressState> progressState_;
  std::stop_source stop_;
  bool busy_ = false;
  unsigned long long deliveredVersion_ = 0;
};

}  // namespace imuwb::widgets
