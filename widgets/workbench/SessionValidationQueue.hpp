#pragma once
// Validates opened sessions in the background, one after another in the order they were added,
// on a JobRunner of its own (never Qt's global pool). The window shows a session as soon as
// it is read; its validation findings follow here. Each result names its session by pointer, so
// a result can only ever be matched to the session it was computed for. The validation function
// can be substituted (tests hold a validation open to prove the session is shown before it ends).
#include <QObject>
#include <QString>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "JobRunner.hpp"
#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb::widgets {

using SessionValidationFunction =
    std::function<std::vector<Finding>(const Session& session, const JobControl& control)>;

// One finished validation: the session it is about, and its findings or why it failed.
struct SessionValidation {
  std::shared_ptr<const Session> session;
  QString path;
  std::vector<Finding> findings;
  QString error;  // empty when validation ran to the end
};

class SessionValidationQueue : public QObject {
  Q_OBJECT
 public:
  explicit SessionValidationQueue(QObject* parent = nullptr);
  ~SessionValidationQueue() override;  // drops the queue, cancels and waits for the worker

  void setValidationFunction(SessionValidationFunction validate);  // empty = validateSession
  // Queues session for validation; path is what the status bar names.
  void enqueue(std::shared_ptr<const Session> session, const QString& path);
  bool pending() const { return runner_.busy() || !queue_.empty(); }
  bool isQueuedOrRunning(const std::shared_ptr<const Session>& session) const;
  QString currentPath() const { return current_.path; }  // empty when idle
  // Drops every queued validation and stops the running one (its result is never delivered).
  void cancelAll();
  void waitForIdle();  // blocks until the worker has returned (shutdown)
  const BackgroundJob& job() const { return runner_.job(); }

 signals:
  void started(QString path);
  void finished(std::shared_ptr<const imuwb::widgets::SessionValidation> result);
  void drained();  // nothing queued or running any more

 private:
  struct Entry {
    std::shared_ptr<const Session> session;
    QString path;
  };
  void startNext();
  void settle(std::vector<Finding> findings, const QString& error);

  SessionValidationFunction validate_;
  std::deque<Entry> queue_;
  Entry current_;
  JobRunner<std::vector<Finding>> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::widgets::SessionValidation>)
