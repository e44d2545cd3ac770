#include "SessionValidationQueue.hpp"

#include <utility>

#include "session/SessionValidator.hpp"

namespace imuwb::widgets {

namespace {
std::vector<Finding> validateWhole(const Session& session, const JobControl& control) {
  auto findings = validateSession(session);
  control.throwIfCancelled();  // validateSession has no stop point; drop a cancelled result
  return findings;
}
}  // namespace

SessionValidationQueue::SessionValidationQueue(QObject* parent)
    : QObject(parent),
      runner_(this, {{},
                     [this](std::shared_ptr<const std::vector<Finding>> findings) {
                       settle(*findings, {});
                     },
                     [this](const QString& message) { settle({}, message); },
                     // A cancel comes from cancelAll, which already dropped the queue: deliver
                     // nothing.
                     [this] {
                       current_ = {};
                       startNext();
                     }}) {
  qRegisterMetaType<std::shared_ptr<const SessionValidation>>();
  setValidationFunction({});
}

SessionValidationQueue::~SessionValidationQueue() {
  cancelAll();
  waitForIdle();
}

void SessionValidationQueue::setValidationFunction(SessionValidationFunction validate) {
  validate_ = validate ? std::move(validate) : SessionValidationFunction(validateWhole);
}

void SessionValidationQueue::enqueue(std::shared_ptr<const Session> session, const QString& path) {
  if (!session) return;
  queue_.push_back(Entry{std::move(session), path});
  startNext();
}

bool SessionValidationQueue::isQueuedOrRunning(
    const std::shared_ptr<const Session>& session) const {
  if (runner_.busy() && current_.session == session) return true;
  for (const auto& entry : queue_)
    if (entry.session == session) return true;
  return false;
}

void SessionValidationQueue::cancelAll() {
  queue_.clear();
  runner_.cancel();
}

void SessionValidationQueue::waitForIdle() {
  runner_.waitForIdle();
}

void SessionValidationQueue::startNext() {
  if (runner_.busy()) return;
  if (queue_.empty()) {
    emit drained();
    return;
  }
  current_ = std::move(queue_.front());
  queue_.pop_front();
  // The job holds its own reference: the session outlives the validation even if the window
  // dropped it meanwhile.
  runner_.run([validate = validate_, session = current_.session](const JobControl& control) {
    return validate(*session, control);
  });
  emit started(current_.path);
}

void SessionValidationQueue::settle(std::vector<Finding> findings, const QString& error) {
  // current_ is cleared before emitting, so a handler sees the queue as it is now.
  Entry done = std::exchange(current_, {});
  auto result = std::make_shared<SessionValidation>();
  result->session = std::move(done.session);
  result->path = std::move(done.path);
  result->findings = std::move(findings);
  result->error = error;
  emit finished(result);
  startNext();
}

}  // namespace imuwb::widgets
