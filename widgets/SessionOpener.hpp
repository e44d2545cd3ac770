#pragma once
// Opens session files off the GUI thread, one at a time: load (HDF5) or import (CSV, sidecar
// JSON window), validate, and build the timeline's min/max pyramids (SessionPlotData), all on a
// BackgroundJob with progress and cancel. The GUI gets the finished OpenSession and only adds
// it. The load function can be substituted (tests hold a load open to prove the GUI runs on).
#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "BackgroundJob.hpp"
#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb::widgets {

class SessionPlotData;

// Everything the window keeps per open session.
struct OpenSession {
  std::shared_ptr<const Session> session;
  std::shared_ptr<const SessionPlotData> plot;
  std::vector<Finding> findings;  // import report and validation
};

using SessionLoadFunction =
    std::function<OpenSession(const std::filesystem::path& path, const JobControl& control)>;

// The default load: .csv -> importCsv + validateSession, .json -> importJsonWindow (its import
// report), anything else -> loadSession (HDF5) + validateSession; then SessionPlotData. Throws
// imuwb::Error naming the file, or Cancelled.
OpenSession loadSessionForView(const std::filesystem::path& path, const JobControl& control);

class SessionOpener : public QObject {
  Q_OBJECT
 public:
  explicit SessionOpener(SessionLoadFunction load = {}, QObject* parent = nullptr);
  ~SessionOpener() override;

  void setLoadFunction(SessionLoadFunction load);  // empty = loadSessionForView
  bool busy() const { return job_->busy(); }
  QString currentPath() const { return current_; }  // the file being opened, or empty
  // Starts opening path; false (nothing happens) while another open is busy.
  bool open(const QString& path);
  void cancel();
  void waitForIdle();
  const BackgroundJob& job() const { return *job_; }

 signals:
  void progress(QString path, double fraction, QString stage);
  void opened(QString path, std::shared_ptr<const imuwb::widgets::OpenSession> session);
  void failed(QString path, QString message);
  void cancelled(QString path);

 private:
  SessionLoadFunction load_;
  BackgroundJob* job_;
  QString current_;
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(std::shared_ptr<const imuwb::widgets::OpenSession>)
