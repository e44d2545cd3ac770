#pragma once
// Blocking waits on a job runner for scripts, --screenshot and tests; interactive code never
// waits, it reacts to the runner's signals.
#include <QEventLoop>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>

#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

// Starts a job on runner (RunController or ParityRunner) and blocks in a local event loop until
// it reports finished, failed or cancelled, or until timeoutMs. A job that settles at once (a
// cached run) or never starts (nothing to run) does not wait.
template <class Runner>
bool waitForRunner(Runner* runner, const std::function<void()>& start, int timeoutMs,
                   QString* error) {
  QEventLoop loop;
  bool ok = false;
  bool settled = false;
  QString message = workbenchTr("timed out");
  const auto settle = [&](bool succeeded, const QString& why) {
    ok = succeeded;
    settled = true;
    message = why;
    loop.quit();
  };
  const QList<QMetaObject::Connection> connections = {
      QObject::connect(runner, &Runner::finished, &loop, [&] { settle(true, {}); }),
      QObject::connect(runner, &Runner::failed, &loop,
                       [&](const QString& why) { settle(false, why); }),
      QObject::connect(runner, &Runner::cancelled, &loop,
                       [&] { settle(false, workbenchTr("cancelled")); }),
  };
  QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
  start();
  if (!settled && runner->busy()) loop.exec();
  for (const auto& connection : connections) QObject::disconnect(connection);
  if (!ok && error) *error = message;
  return ok;
}

}  // namespace imuwb::widgets
