#include "ParityRunner.hpp"

#include <QPointer>
#include <QtConcurrent>

#include "backends/BackendRegistry.hpp"
#include "backends/Int8Backend.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "quant/ParityJob.hpp"
#include "quant/QuantConfigText.hpp"

namespace imuwb::widgets {

analysis::ParityResult runCpuVsInt8(const ParityRequest& request, const JobControl& control) {
  if (!request.session || !request.bundle)
    throw Error("parity", "no session or no model is open", "open a session and a model bundle");
  if (request.session->sourcePath.empty())
    throw Error("parity", "the session is not a file on disk",
                "open the session from an .h5 file (parity windows the file like the CLI)");
  if (request.calibration.empty())
    throw Error("parity", "no calibration set was chosen",
                "choose a calibration .npy (export one with `imuwb calib-export`)");
  const auto registry = makeDefaultBackendRegistry();
  auto cpu = registry.create("cpu");
  control.report(0, "loading model into cpu");
  cpu->load(*request.bundle);
  Int8BackendOptions int8Options;
  int8Options.calibration = request.calibration;
  quant::applyRangeMethod(int8Options.config, "percentile:99.99");
  Int8Backend int8(int8Options);
  control.report(0, "calibrating int8");
  int8.load(*request.bundle);
  quant::ParitySide a, b;
  a.backend = cpu.get();
  b.backend = &int8;
  quant::ParityOptions options;
  options.sessions = {request.session->sourcePath};
  options.stride = request.strideSamples;
  return quant::runParity(*request.bundle, a, b, options, control);
}

ParityRunner::ParityRunner(ParityFunction run, QObject* parent)
    : QObject(parent), run_(run ? std::move(run) : ParityFunction(runCpuVsInt8)) {
  qRegisterMetaType<std::shared_ptr<const analysis::ParityResult>>();
}

ParityRunner::~ParityRunner() {
  cancel();
  waitForIdle();
}

void ParityRunner::start(const ParityRequest& request) {
  if (busy_) return;
  busy_ = true;
  stop_ = std::stop_source();
  JobControl control;
  control.stop = stop_.get_token();
  QPointer<ParityRunner> self(this);
  control.onProgress = [self](double fraction, std::string_view stage) {
    const QString text = QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size()));
    QMetaObject::invokeMethod(
        self.data(),
        [self, fraction, text] {
          if (self) emit self->progress(fraction, text);
        },
        Qt::QueuedConnection);
  };
  auto future = QtConcurrent::run([this, self, request, control] {
    enum class Outcome { Done, Cancelled, Failed } outcome = Outcome::Done;
    std::shared_ptr<const analysis::ParityResult> result;
    QString message;
    try {
      result = std::make_shared<const analysis::ParityResult>(run_(request, control));
    } catch (const Cancelled&) {
      outcome = Outcome::Cancelled;
    } catch (const std::exception& error) {
      outcome = Outcome::Failed;
      message = QString::fromUtf8(error.what());
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, outcome, result, message] {
          if (!self) return;
          self->busy_ = false;
          if (outcome == Outcome::Done)
            emit self->finished(result);
          else if (outcome == Outcome::Cancelled)
            emit self->cancelled();
          else
            emit self->failed(message);
        },
        Qt::QueuedConnection);
  });
  watcher_.setFuture(future);
}

void ParityRunner::cancel() {
  if (busy_) stop_.request_stop();
}

void ParityRunner::waitForIdle() {
  watcher_.waitForFinished();
}

}  // namespace imuwb::widgets
