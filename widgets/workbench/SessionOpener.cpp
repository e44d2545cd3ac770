#include "SessionOpener.hpp"

#include <algorithm>
#include <utility>

#include "SessionPlotData.hpp"
#include "jobs/RecordingImport.hpp"

namespace imuwb::widgets {

namespace {

// Reading is most of the time; the overview pyramids take the rest.
constexpr double kReadShare = 0.9;

// The reader's own progress, scaled into the reading share of the whole open.
JobControl readingControl(const JobControl& control) {
  JobControl reading;
  reading.stop = control.stop;
  reading.onProgress = [&control](double fraction, std::string_view stage) {
    control.report(std::clamp(fraction, 0.0, 1.0) * kReadShare, stage);
  };
  return reading;
}

}  // namespace

OpenSession loadSessionForView(const std::filesystem::path& path, const JobControl& control) {
  const JobControl reading = readingControl(control);
  control.report(0, "reading");
  jobs::RecordingRead read = jobs::readRecording(path, {}, reading);
  // A single sidecar window: its import report says all there is.
  const bool validate = read.kind != jobs::RecordingKind::JsonWindow;
  auto session = std::make_shared<const Session>(std::move(read.session));
  control.throwIfCancelled();
  control.report(kReadShare, "building overview");
  auto plot = std::make_shared<const SessionPlotData>(session);
  control.throwIfCancelled();
  control.report(1, "done");
  return OpenSession{std::move(session), std::move(plot), std::move(read.report), validate};
}

// current_ is cleared before each outcome signal, so a handler may open the next file.
SessionOpener::SessionOpener(SessionLoadFunction load, QObject* parent)
    : QObject(parent),
      runner_(this, {[this](double fraction, const QString& stage) {
                       emit progress(current_, fraction, stage);
                     },
                     [this](std::shared_ptr<const OpenSession> session) {
                       const QString path = std::exchange(current_, {});
                       emit opened(path, std::move(session));
                     },
                     [this](const QString& message) {
                       const QString path = std::exchange(current_, {});
                       emit failed(path, message);
                     },
                     [this] {
                       const QString path = std::exchange(current_, {});
                       emit cancelled(path);
                     }}) {
  qRegisterMetaType<std::shared_ptr<const OpenSession>>();
  setLoadFunction(std::move(load));
}

void SessionOpener::setLoadFunction(SessionLoadFunction load) {
  load_ = load ? std::move(load) : SessionLoadFunction(loadSessionForView);
}

bool SessionOpener::open(const QString& path) {
  if (busy()) return false;
  const std::filesystem::path fsPath = path.toStdString();
  if (!runner_.run(
          [load = load_, fsPath](const JobControl& control) { return load(fsPath, control); }))
    return false;
  current_ = path;
  return true;
}

void SessionOpener::cancel() {
  runner_.cancel();
}

void SessionOpener::waitForIdle() {
  runner_.waitForIdle();
}

}  // namespace imuwb::widgets
