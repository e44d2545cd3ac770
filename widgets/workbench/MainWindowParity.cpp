// MainWindow, continued: parity and int8's calibration set. Parity runs on the current session
// and model (ParityRunner); its result is recorded under that session in the workspace state and
// shown with it. The calibration set is chosen once (Run ▸ Calibration Set…, or the first int8
// parity) and serves Run, Parity, Evaluation and Playback (CalibrationChoice).
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QStatusBar>

#include "BackendChoiceBox.hpp"
#include "CalibrationChoice.hpp"
#include "MainWindow.hpp"
#include "ParitySidesBar.hpp"
#include "ParityView.hpp"
#include "RunPanel.hpp"
#include "RunnerWait.hpp"
#include "WorkbenchMessage.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

namespace {
QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}
}  // namespace

QString MainWindow::lastCalibration() {
  return rememberedCalibration();
}

bool MainWindow::chooseCalibration(const QString& path, QString* error) {
  const auto model = state_->model(docks_.runPanel->currentModel());
  QString problem;
  if (!widgets::chooseCalibration(path, model.get(), &problem)) {
    report(Severity::Error, tr("Calibration set"), problem);
    if (error) *error = problem;
    return false;
  }
  statusBar()->showMessage(tr("int8 calibration set: %1").arg(QFileInfo(path).fileName()), 5000);
  return true;
}

void MainWindow::chooseCalibrationDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Calibration set for int8"), rememberedCalibration(),
      tr("Calibration sets (*.npy);;Quantization parameters (*.json);;All files (*)"));
  if (!path.isEmpty()) chooseCalibration(path);
}

bool MainWindow::openCalibration(const QString& path, QString* failure) {
  QString error;
  if (chooseCalibration(path, &error)) return true;
  if (failure) *failure = error;
  return false;
}

void MainWindow::parityDialog() {
  if (!docks_.paritySides->usesInt8()) {
    startParity({});
    return;
  }
  QString path = rememberedCalibration();
  if (path.isEmpty())
    path = QFileDialog::getOpenFileName(
        this, tr("Calibration set for int8"), QString(),
        tr("Calibration sets (*.npy);;Quantization parameters (*.json);;All files (*)"));
  if (!path.isEmpty()) startParity(path);
}

void MainWindow::startParity(const QString& calibrationNpy) {
  if (parityRuns_->busy()) return;
  focusParity();
  if (!canRun()) {
    docks_.parity->setStatus(tr("Open a session and a model first."));
    statusBar()->showMessage(tr("Parity needs an open session and model"), 5000);
    return;
  }
  // Remembered only when it loads for the model: a rejected file is never offered again.
  if (!calibrationNpy.isEmpty() && !chooseCalibration(calibrationNpy)) {
    docks_.parity->setStatus(tr("Parity: the calibration set was rejected (see Messages)"));
    return;
  }
  ParityRequest request;
  request.session = currentSession();
  request.bundle = state_->model(docks_.runPanel->currentModel());
  request.calibration = calibrationNpy.toStdString();
  request.strideSamples = docks_.runPanel->stride();
  const auto* sides = docks_.paritySides;
  request.a = sides->sideA()->currentBackend();
  request.b = sides->sideB()->currentBackend();
  request.aSettings = sides->sideA()->settings();
  request.bSettings = sides->sideB()->settings();
  docks_.parity->setStatus(
      tr("Parity %1 vs %2 on %3…")
          .arg(qstr(request.a), qstr(request.b), qstr(request.bundle->displayName())));
  parityRuns_->start(request);
}

bool MainWindow::parityAndWait(const QString& calibrationNpy, int timeoutMs, QString* error) {
  if (!canRun()) {
    if (error) *error = tr("need an open session and model");
    return false;
  }
  return waitForRunner(
      parityRuns_, [&] { startParity(calibrationNpy); }, timeoutMs, error);
}

void MainWindow::showParity(std::shared_ptr<const analysis::ParityResult> result) {
  if (const auto session = currentSession()) state_->parityFinished(session.get(), result);
  docks_.parity->setResult(std::move(result));
  focusParity();
}

void MainWindow::connectParity() {
  connect(
      parityRuns_, &ParityRunner::progress, this, [this](double fraction, const QString& stage) {
        if (parityRuns_->request().session != currentSession()) return;
        docks_.parity->setStatus(tr("Parity: %1 (%2 %)").arg(stage).arg(qRound(fraction * 100)));
        statusBar()->showMessage(tr("Parity: %1 %").arg(qRound(fraction * 100)));
      });
  connect(parityRuns_, &ParityRunner::finished, this,
          [this](std::shared_ptr<const analysis::ParityResult> result) {
            const auto session = parityRuns_->request().session;
            statusBar()->showMessage(
                tr("Parity finished: %1").arg(result->passed() ? tr("PASS") : tr("FAIL")), 5000);
            state_->parityFinished(session.get(), std::move(result));
            if (session == currentSession()) focusParity();
          });
  connect(parityRuns_, &ParityRunner::failed, this, [this](const QString& message) {
    report(Severity::Error, tr("Parity"), message);
    state_->parityNote(parityRuns_->request().session.get(),
                       tr("Parity failed: %1").arg(guiWording(message)));
  });
  connect(parityRuns_, &ParityRunner::cancelled, this, [this] {
    state_->parityNote(parityRuns_->request().session.get(), tr("Parity cancelled"));
    statusBar()->showMessage(tr("Parity cancelled"), 4000);
  });
}

}  // namespace imuwb::widgets
