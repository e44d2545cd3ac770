#include "EvaluationRunner.hpp"

#include "JobOptionsFromWidgets.hpp"
#include "common/Error.hpp"
#include "jobs/EvaluateJob.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

eval::EvaluationResult runEvaluationRequest(const EvaluationRequest& request,
                                            const JobControl& control) {
  if (!request.session || !request.bundle)
    throw Error("evaluate", "no session or no model is open", "open a session and a model bundle");
  if (request.session->sourcePath.empty())
    throw Error("evaluate", "the session is not a file on disk",
                "open the session from an .h5 file (evaluate windows the file like the CLI)");
  if ((request.backend == "int8" || request.compareBackend == "int8") &&
      request.calibration.empty())
    throw Error("evaluate", "no calibration set was chosen for the int8 side",
                "choose a calibration set in Run ▸ Calibration Set… (Tools ▸ Export Calibration "
                "Set… cuts one from a session)");
  return jobs::runEvaluateJob(*request.bundle, evaluateOptionsFor(request), control);
}

EvaluationRunner::EvaluationRunner(EvaluationFunction run, QObject* parent)
    : QObject(parent),
      run_(run ? std::move(run) : EvaluationFunction(runEvaluationRequest)),
      runner_(this,
              {[this](double fraction, const QString& stage) { emit progress(fraction, stage); },
               [this](std::shared_ptr<const EvaluationOutcome> outcome) {
                 emit finished(std::move(outcome));
               },
               [this](const QString& message) { emit failed(message); },
               [this] { emit cancelled(); }}) {
  qRegisterMetaType<std::shared_ptr<const EvaluationOutcome>>();
}

void EvaluationRunner::start(const EvaluationRequest& request) {
  runner_.run([run = run_, request](const JobControl& control) {
    return EvaluationOutcome{request, run(request, control)};
  });
}

void EvaluationRunner::cancel() {
  runner_.cancel();
}

void EvaluationRunner::waitForIdle() {
  runner_.waitForIdle();
}

}  // namespace imuwb::widgets
