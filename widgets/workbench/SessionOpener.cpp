#include "SessionOpener.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "SessionPlotData.hpp"
#include "session/CsvImport.hpp"
#include "session/JsonWindowImport.hpp"
#include "session/SessionIo.hpp"

namespace imuwb::widgets {

namespace {

// Reading is most of the time; the overview pyramids take the rest.
constexpr double kReadShare = 0.9;

std::string lowerExtension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

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
  const std::string ext = lowerExtension(path);
  const JobControl reading = readingControl(control);
  control.report(0, "reading");
  std::shared_ptr<const Session> session;
  std::vector<Finding> findings;
  bool validate = true;
  if (ext == ".csv") {
    auto imported = importCsv(path, {}, reading);
    findings = std::move(imported.report);
    session = std::make_shared<const Session>(std::move(imported.session));
  } else if (ext == ".json") {
    auto imported = importJsonWindow(path, {}, reading);
    findings = std::move(imported.report);
    session = std::make_shared<const Session>(std::move(imported.session));
    validate = false;  // a single window: its import report says all there is
  } else {
    session = std::make_shared<const Session>(loadSession(path, reading));
  }
  control.throwIfCancelled();
  control.report(kReadShare, "building overview");
  auto plot = std::make_shared<const SessionPlotData>(session);
  control.throwIfCancelled();
  control.report(1, "done");
  return OpenSession{std::move(session), std::move(plot), std::move(findings), validate};
}

SessionOpener::SessionOpener(SessionLoadFunction load, QObject* parent)
    : QObject(parent), job_(new BackgroundJob(this)) {
  qRegisterMetaType<std::shared_ptr<const OpenSession>>();
  setLoadFunction(std::move(load));
  // current_ is cleared before each outcome signal, so a handler may open the next file.
  connect(job_, &BackgroundJob::progress, this, [this](double fraction, const QString& stage) {
    emit progress(current_, fraction, stage);
  });
  connect(job_, &BackgroundJob::succeeded, this, [this](const BackgroundJob::Value& value) {
    const QString path = std::exchange(current_, {});
    emit opened(path, BackgroundJob::valueAs<OpenSession>(value));
  });
  connect(job_, &BackgroundJob::failed, this, [this](const QString& message) {
    const QString path = std::exchange(current_, {});
    emit failed(path, message);
  });
  connect(job_, &BackgroundJob::cancelled, this, [this] {
    const QString path = std::exchange(current_, {});
    emit cancelled(path);
  });
}

SessionOpener::~SessionOpener() {
  cancel();
  waitForIdle();
}

void SessionOpener::setLoadFunction(SessionLoadFunction load) {
  load_ = load ? std::move(load) : SessionLoadFunction(loadSessionForView);
}

bool SessionOpener::open(const QString& path) {
  if (busy()) return false;
  const std::filesystem::path fsPath = path.toStdString();
  if (!job_->run(
          [load = load_, fsPath](const JobControl& control) { return load(fsPath, control); }))
    return false;
  current_ = path;
  return true;
}

void SessionOpener::cancel() {
  job_->cancel();
}

void SessionOpener::waitForIdle() {
  job_->waitForIdle();
}

}  // namespace imuwb::widgets
