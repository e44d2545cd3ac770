#pragma once
// Opens session files off the GUI thread, one at a time: load (HDF5) or import (CSV, sidecar
// JSON window) and build the timeline's min/max pyramids (SessionPlotData), all on a
// JobRunner with progress and cancel. The GUI gets the finished OpenSession and only adds
// it. Validation is not part of the open: the window shows the session first and validates it
// afterwards (SessionValidationQueue). The load function can be substituted (tests hold a load
// open to prove the GUI runs on).
#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "JobRunner.hpp"
#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb::widgets {

class SessionPlotData;

// Everything the window keeps per open session.
struct OpenSession {
  std::shared_ptr<const Session> session;
  std::shared_ptr<const SessionPlotData> plot;
  std::vector<Finding> findings;  // import report, then validation's once it has run
  bool needsValidation = false;   // validation is still to run (after the session is shown)
};

using SessionLoadFunction =
    std::function<OpenSession(const std::filesystem::path& path, const JobControl& control)>;

// The default load: core's jobs::readRecording picks the reader by extension, as `imuwb import`
// does (CSV with its import report, a sidecar .json window with its import report and not
// validated, .h5/.hdf5 sessions); then SessionPlotData. Progress stages: "reading", then
// "building overview". CSV and sessions come back with needsValidation set. Throws imuwb::Error
// naming the file (also for an extension no reader takes), or Cancelled.
OpenSession loadSessionForView(const std::filesystem::path& path, const JobControl& control);

class SessionOpener : public QObject {
  Q_OBJECT
 public:
  explicit SessionOpener(SessionLoadFunction load = {}, QObject* parent = nullptr);

  void setLoadFunction(SessionLoadFunction load);  // empty = loadSessionForView
  bool busy() const { return runner_.busy(); }
  QString currentPath() const { return current_; }  // the file being opened, or empty
  // Starts opening path; false (nothing happens) while another open is busy.
  bool open(const QString& path);
  void cancel();
  void waitForIdle();
  const BackgroundJob& job() const { return runner_.job(); }

 signals:
  void progress(QString path, double fraction, QString stage);
  void opened(QString path, std::shared_ptr<const imuwb::widgets::OpenSession> session);
  void failed(QString path, QString message);
  void cancelled(QString path);

 private:
  SessionLoadFunction load_;
  QString current_;
  JobRunner<OpenSession> runner_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::widgets::OpenSession>)
