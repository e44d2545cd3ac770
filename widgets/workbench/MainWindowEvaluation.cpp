// MainWindow's evaluation: the evaluation panel's choices run as `imuwb evaluate` on the current
// session and model (EvaluationRunner), the result shown in the panel and the set-size strip, and
// kept per session and model so a session switch never shows another session's result.
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>
#include <algorithm>

#include "BackendChoiceBox.hpp"
#include "DefaultDockLayout.hpp"
#include "EvaluationPanel.hpp"
#include "MainWindow.hpp"
#include "RunPanel.hpp"
#include "RunnerWait.hpp"
#include "WorkbenchMessage.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

std::shared_ptr<const ModelBundle> MainWindow::currentModel() const {
  const int model = docks_.runPanel->currentModel();
  return state_->model(model);
}

void MainWindow::updateEvaluationContext() {
  docks_.evaluation->setContext(currentSession(), currentModel());
}

void MainWindow::connectEvaluation() {
  auto* panel = docks_.evaluation;
  connect(panel, &EvaluationPanel::evaluateRequested, this, &MainWindow::evaluationDialog);
  connect(panel, &EvaluationPanel::cancelRequested, evalRuns_, &EvaluationRunner::cancel);
  connect(panel, &EvaluationPanel::windowActivated, this, &MainWindow::showTimeRange);
  connect(docks_.runPanel, &RunPanel::modelChanged, this, [this] { updateEvaluationContext(); });
  for (auto* box : {panel->sideA(), panel->sideB()})
    connect(box, &BackendChoiceBox::checkRequested, this, [this, box] { checkBackend(box); });
  connect(evalRuns_, &EvaluationRunner::progress, panel, &EvaluationPanel::setProgress);
  connect(evalRuns_, &EvaluationRunner::finished, this,
          [this, panel](std::shared_ptr<const EvaluationOutcome> outcome) {
            panel->setBusy(false);
            const auto& r = outcome->result;
            panel->setStatus(
                tr("Evaluated %1 windows in %2 s").arg(r.counts.windows).arg(r.seconds, 0, 'f', 1));
            panel->addOutcome(std::move(outcome));
            statusBar()->showMessage(tr("Evaluation finished"), 5000);
          });
  connect(evalRuns_, &EvaluationRunner::failed, this, [this, panel](const QString& message) {
    panel->setBusy(false);
    panel->setStatus(tr("Evaluation failed: %1").arg(guiWording(message)));
    report(Severity::Error, tr("Evaluation"), message);
  });
  connect(evalRuns_, &EvaluationRunner::cancelled, this, [this, panel] {
    panel->setBusy(false);
    panel->setStatus(tr("Evaluation cancelled"));
    statusBar()->showMessage(tr("Evaluation cancelled"), 4000);
  });
}

void MainWindow::evaluationDialog() {
  if (!docks_.evaluation->usesInt8()) {
    startEvaluation({});
    return;
  }
  QString path = lastCalibration();
  if (path.isEmpty() || !QFileInfo::exists(path))
    path = QFileDialog::getOpenFileName(
        this, tr("Calibration set for int8"), path,
        tr("Calibration sets (*.npy);;Quantization parameters (*.json);;All files (*)"));
  if (!path.isEmpty()) startEvaluation(path);
}

void MainWindow::startEvaluation(const QString& calibrationNpy) {
  if (evalRuns_->busy()) return;
  focusEvaluation();
  auto* panel = docks_.evaluation;
  if (!canRun()) {
    panel->setStatus(tr("Open a labelled session and a model first."));
    statusBar()->showMessage(tr("Evaluation needs an open session and model"), 5000);
    return;
  }
  if (!calibrationNpy.isEmpty() && !chooseCalibration(calibrationNpy)) {
    panel->setStatus(tr("Evaluation: the calibration set was rejected (see Messages)"));
    return;
  }
  EvaluationRequest request = panel->choices();
  request.session = currentSession();
  request.bundle = currentModel();
  request.calibration = calibrationNpy.toStdString();
  request.strideSamples = docks_.runPanel->stride();
  panel->setBusy(true);
  panel->setStatus(tr("Evaluating %1 on %2…")
                       .arg(QString::fromStdString(request.bundle->displayName()),
                            QString::fromStdString(request.backend)));
  evalRuns_->start(request);
}

bool MainWindow::evaluateAndWait(const QString& calibrationNpy, int timeoutMs, QString* error) {
  if (!canRun()) {
    if (error) *error = tr("need an open session and model");
    return false;
  }
  return waitForRunner(
      evalRuns_, [&] { startEvaluation(calibrationNpy); }, timeoutMs, error);
}

void MainWindow::focusEvaluation() {
  focusBottomDock(*this, docks_.evaluationDock);
}

}  // namespace imuwb::widgets
