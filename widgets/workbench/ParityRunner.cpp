#include "ParityRunner.hpp"

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
    : QObject(parent),
      run_(run ? std::move(run) : ParityFunction(runCpuVsInt8)),
      job_(new BackgroundJob(this)) {
  qRegisterMetaType<std::shared_ptr<const analysis::ParityResult>>();
  connect(job_, &BackgroundJob::progress, this, &ParityRunner::progress);
  connect(job_, &BackgroundJob::succeeded, this, [this](const BackgroundJob::Value& value) {
    emit finished(BackgroundJob::valueAs<analysis::ParityResult>(value));
  });
  connect(job_, &BackgroundJob::failed, this, &ParityRunner::failed);
  connect(job_, &BackgroundJob::cancelled, this, &ParityRunner::cancelled);
}

ParityRunner::~ParityRunner() {
  cancel();
  waitForIdle();
}

void ParityRunner::start(const ParityRequest& request) {
  job_->run([run = run_, request](const JobControl& control) { return run(request, control); });
}

void ParityRunner::cancel() {
  job_->cancel();
}

void ParityRunner::waitForIdle() {
  job_->waitForIdle();
}

}  // namespace imuwb::widgets
