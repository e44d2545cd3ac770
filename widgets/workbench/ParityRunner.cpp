#include "ParityRunner.hpp"

#include "JobOptionsFromWidgets.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

analysis::ParityResult runParityRequest(const ParityRequest& request, const JobControl& control) {
  if (!request.session || !request.bundle)
    throw Error("parity", "no session or no model is open", "open a session and a model bundle");
  if (request.session->sourcePath.empty())
    throw Error("parity", "the session is not a file on disk",
                "open the session from an .h5 file (parity windows the file like the CLI)");
  if ((request.a == "int8" || request.b == "int8") && request.calibration.empty())
    throw Error("parity", "no calibration set was chosen",
                "choose a calibration set in Run ▸ Calibration Set… (Tools ▸ Export Calibration "
                "Set… cuts one from a session)");
  return jobs::runParityJob(*request.bundle, parityOptionsFor(request), control);
}

ParityRunner::ParityRunner(ParityFunction run, QObject* parent)
    : QObject(parent),
      run_(run ? std::move(run) : ParityFunction(runParityRequest)),
      runner_(this,
              {[this](double fraction, const QString& stage) { emit progress(fraction, stage); },
               [this](std::shared_ptr<const analysis::ParityResult> result) {
                 emit finished(std::move(result));
               },
               [this](const QString& message) { emit failed(message); },
               [this] { emit cancelled(); }}) {
  qRegisterMetaType<std::shared_ptr<const analysis::ParityResult>>();
}

void ParityRunner::start(const ParityRequest& request) {
  if (busy()) return;
  request_ = request;
  runner_.run([run = run_, request](const JobControl& control) { return run(request, control); });
}

void ParityRunner::cancel() {
  runner_.cancel();
}

void ParityRunner::waitForIdle() {
  runner_.waitForIdle();
}

}  // namespace imuwb::widgets
