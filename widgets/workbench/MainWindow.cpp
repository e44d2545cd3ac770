#include "MainWindow.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>

#include "BackendChecker.hpp"
#include "CoreRun.hpp"
#include "EvaluationPanel.hpp"
#include "LabelBands.hpp"
#include "LabelStrip.hpp"
#include "LatentHeatmapView.hpp"
#include "OutputsFileBridge.hpp"
#include "ParitySidesBar.hpp"
#include "ParityView.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "RecentFiles.hpp"
#include "RunPanel.hpp"
#include "RunnerWait.hpp"
#include "SessionBrowser.hpp"
#include "SetSizeStrip.hpp"
#include "SignalGroupChart.hpp"
#include "Theme.hpp"
#include "TimelineView.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchStatusBar.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

namespace {
constexpr auto kCalibrationKey = "parity/calibration";
constexpr int kLayoutVersion = 3;  // bump when docks change so old saved layouts are ignored

QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}

}  // namespace

MainWindow::MainWindow(RunFunction run, QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("IMU Model Workbench"));
  setWindowIcon(QIcon(":/imuwb/imuwb.svg"));
  setAcceptDrops(true);
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks |
                 QMainWindow::AllowNestedDocks);
  // Bottom docks sit under the timeline only, so the output views share its width and time axis.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

  timeline_ = new TimelineView(&axis_, &palette_, this);
  setCentralWidget(timeline_);
  runs_ = new RunController(run ? std::move(run) : RunFunction(runModelOverSession), this);
  playback_ = new PlaybackController(this);
  parityRuns_ = new ParityRunner({}, this);
  evalRuns_ = new EvaluationRunner({}, this);
  checks_ = new BackendChecker(this);
  opener_ = new SessionOpener({}, this);
  validation_ = new SessionValidationQueue(this);
  docks_ = buildWorkbenchDocks(*this, &axis_);
  connectDocks();
  buildMenus();
  status_ = new WorkbenchStatusBar(statusBar(), &axis_, this);
  connectOpening();
  connect(&axis_, &TimeAxisModel::cursorChanged, status_, &WorkbenchStatusBar::showTimes);
  connect(&axis_, &TimeAxisModel::viewChanged, status_, &WorkbenchStatusBar::showTimes);
  connect(&axis_, &TimeAxisModel::selectionChanged, status_, &WorkbenchStatusBar::showTimes);
  connectRunners();
  connectEvaluation();

  QSettings settings;
  applyTheme(static_cast<Theme>(settings.value("theme", 0).toInt()));
  defaultState_ = saveState(kLayoutVersion);
  resize(1400, 900);
  restoreGeometry(settings.value("geometry").toByteArray());
  restoreState(settings.value("windowState").toByteArray(), kLayoutVersion);
  recent_->rebuild();
  status_->showTimes();
}

MainWindow::~MainWindow() {
  openQueue_.clear();
  opener_->cancel();
  opener_->waitForIdle();
  validation_->cancelAll();
  validation_->waitForIdle();
  playback_->stop();
  runs_->cancel();
  runs_->waitForIdle();
  parityRuns_->cancel();
  parityRuns_->waitForIdle();
  evalRuns_->cancel();
  evalRuns_->waitForIdle();
}

void MainWindow::connectDocks() {
  connect(docks_.browser, &SessionBrowser::currentSessionChanged, this, &MainWindow::selectSession);
  connect(docks_.browser, &SessionBrowser::findingActivated, this, &MainWindow::showTimeRange);
  connect(docks_.runPanel, &RunPanel::runRequested, this, &MainWindow::startRun);
  connect(docks_.runPanel, &RunPanel::cancelRequested, runs_, &RunController::cancel);
  connect(docks_.runPanel, &RunPanel::saveRequested, this, &MainWindow::saveOutputsDialog);
  connect(docks_.runPanel, &RunPanel::openOutputsRequested, this, &MainWindow::openOutputsDialog);
  connect(docks_.playbackPanel, &PlaybackPanel::playRequested, this, &MainWindow::startPlayback);
  connect(docks_.playbackPanel, &PlaybackPanel::stopRequested, playback_,
          &PlaybackController::stop);
  for (auto* box :
       {docks_.runPanel->backendBox(), docks_.paritySides->sideA(), docks_.paritySides->sideB()})
    connect(box, &BackendChoiceBox::checkRequested, this, [this, box] { checkBackend(box); });
  connect(docks_.paritySides, &ParitySidesBar::parityRequested, this, &MainWindow::parityDialog);
}

void MainWindow::showTimeRange(double start, double end) {
  const double pad = std::max(2.0, (end - start) * 0.5);
  axis_.setView({start - pad, end + pad});
  axis_.setSelection({start, std::max(end, start + 0.01)});
  axis_.setCursor(start);
}

void MainWindow::checkBackend(BackendChoiceBox* box) {
  const int model = docks_.runPanel->currentModel();
  checks_->check(box, model >= 0 && model < static_cast<int>(models_.size())
                          ? models_[static_cast<std::size_t>(model)]
                          : nullptr);
}

void MainWindow::buildMenus() {
  MenuCommands commands;
  commands.openSession = [this] { openSessionDialog(); };
  commands.openModel = [this] { openModelDialog(); };
  commands.openOutputs = [this] { openOutputsDialog(); };
  commands.saveOutputs = [this] { saveOutputsDialog(); };
  commands.cancelOpens = [this] { cancelOpens(); };
  commands.quit = [this] { close(); };
  commands.run = [this] { startRun(); };
  commands.cancelRun = [this] { runs_->cancel(); };
  commands.togglePlayback = [this] {
    if (playback_->running())
      playback_->stop();
    else
      startPlayback();
  };
  commands.parity = [this] { parityDialog(); };
  commands.cancelParity = [this] { parityRuns_->cancel(); };
  commands.evaluate = [this] { evaluationDialog(); };
  commands.cancelEvaluation = [this] { evalRuns_->cancel(); };
  commands.exportCalibration = [this] { showCalibExportDialog(); };
  commands.resetLayout = [this] { resetLayout(); };
  commands.applyTheme = [this](Theme theme) { applyTheme(theme); };
  menus_ = buildWorkbenchMenus(*this, &axis_, docks_, commands);
  recent_ = std::make_unique<RecentFiles>(menus_.recent,
                                          [this](const QString& path) { openPaths({path}); });
}

void MainWindow::connectRunners() {
  connect(runs_, &RunController::progress, docks_.runPanel, &RunPanel::setProgress);
  connect(runs_, &RunController::finished, this,
          [this](std::shared_ptr<const ModelOutputs> outputs, bool fromCache) {
            docks_.runPanel->setBusy(false);
            docks_.runPanel->setProgress(
                1.0, fromCache ? tr("%1 windows (from cache)").arg(outputs->windowCount())
                               : tr("%1 windows").arg(outputs->windowCount()));
            showOutputs(outputs);
            statusBar()->showMessage(tr("Run finished: %1 windows on %2")
                                         .arg(outputs->windowCount())
                                         .arg(qstr(outputs->backendName)),
                                     5000);
          });
  connect(runs_, &RunController::failed, this, [this](const QString& message) {
    docks_.runPanel->setBusy(false);
    docks_.runPanel->setStatus(tr("Run failed: %1").arg(message));
    statusBar()->showMessage(tr("Run failed: %1").arg(message));
  });
  connect(runs_, &RunController::cancelled, this, [this] {
    docks_.runPanel->setBusy(false);
    docks_.runPanel->setStatus(tr("Run cancelled"));
  });
  connect(playback_, &PlaybackController::updated, this,
          [this](std::shared_ptr<const ModelOutputs> outputs, double latest_s, LatencyStats stats) {
            showOutputs(outputs);
            docks_.playbackPanel->showStats(stats);
            axis_.setCursor(latest_s);
            const auto view = axis_.view();
            if (latest_s > view.end_s || latest_s < view.start_s)
              axis_.setView({latest_s - view.length() * 0.9, latest_s + view.length() * 0.1});
          });
  connect(
      parityRuns_, &ParityRunner::progress, this, [this](double fraction, const QString& stage) {
        docks_.parity->setStatus(tr("Parity: %1 (%2 %)").arg(stage).arg(qRound(fraction * 100)));
        statusBar()->showMessage(tr("Parity: %1 %").arg(qRound(fraction * 100)));
      });
  connect(parityRuns_, &ParityRunner::finished, this,
          [this](std::shared_ptr<const analysis::ParityResult> result) {
            showParity(result);
            statusBar()->showMessage(
                tr("Parity finished: %1").arg(result->passed() ? tr("PASS") : tr("FAIL")), 5000);
          });
  connect(parityRuns_, &ParityRunner::failed, this, [this](const QString& message) {
    docks_.parity->setStatus(tr("Parity failed: %1").arg(message));
    statusBar()->showMessage(tr("Parity failed: %1").arg(message));
  });
  connect(parityRuns_, &ParityRunner::cancelled, this, [this] {
    docks_.parity->setStatus(tr("Parity cancelled"));
    statusBar()->showMessage(tr("Parity cancelled"), 4000);
  });
  connect(playback_, &PlaybackController::finished, this, [this](const QString& message) {
    docks_.playbackPanel->setRunning(false);
    docks_.playbackPanel->setStatus(message);
  });
}

void MainWindow::applyTheme(Theme theme) {
  applyApplicationTheme(theme);
}

void MainWindow::resetLayout() {
  restoreState(defaultState_, kLayoutVersion);
  for (auto* dock : findChildren<QDockWidget*>()) dock->show();
}

void MainWindow::refreshModelList() {
  QStringList names;
  for (const auto& model : models_)
    names << QStringLiteral("%1 (%2)").arg(qstr(model->displayName()),
                                           qstr(model->onnxPath.filename().string()));
  docks_.runPanel->setModels(names, static_cast<int>(models_.size()) - 1);
}

void MainWindow::selectSession(int index) {
  if (index < 0 || index >= static_cast<int>(sessions_.size()) || index == current_) return;
  current_ = index;
  playback_->stop();
  timeline_->setSession(sessions_[static_cast<std::size_t>(index)].plot);
  for (auto* chart : timeline_->charts())
    chart->setLabelBands(toTimeBands(currentSession()->labels), &palette_);
  showOutputs(nullptr);
  updateEvaluationContext();
  setWindowTitle(
      tr("%1 — IMU Model Workbench").arg(qstr(currentSession()->sourcePath.filename().string())));
  if (docks_.browser->currentIndex() != index) docks_.browser->setCurrentIndex(index);
}

std::shared_ptr<const Session> MainWindow::currentSession() const {
  if (current_ < 0) return nullptr;
  return sessions_[static_cast<std::size_t>(current_)].session;
}

bool MainWindow::canRun() const {
  return current_ >= 0 && docks_.runPanel->currentModel() >= 0 &&
         docks_.runPanel->currentModel() < static_cast<int>(models_.size());
}

void MainWindow::startRun() {
  if (runs_->busy()) return;
  if (!canRun()) {
    docks_.runPanel->setStatus(tr("Open a session and a model first."));
    return;
  }
  playback_->stop();
  RunRequest request;
  request.session = currentSession();
  request.bundle = models_[static_cast<std::size_t>(docks_.runPanel->currentModel())];
  request.backend =
      docks_.runPanel->currentBackend().empty() ? "cpu" : docks_.runPanel->currentBackend();
  request.strideSamples = static_cast<std::size_t>(docks_.runPanel->stride());
  request.backendSettings = docks_.runPanel->backendBox()->settings();  // edgeinfer: url
  if (request.backend == "int8") {
    // int8 calibrates at load: it needs the calibration set chosen for Parity.
    const QString calibration = lastCalibration();
    if (calibration.isEmpty() || !QFileInfo::exists(calibration)) {
      const QString message =
          tr("int8 needs a calibration set: choose one with Run > Parity… (export one with "
             "`imuwb calib-export`)");
      docks_.runPanel->setStatus(message);
      statusBar()->showMessage(message, 10000);
      return;
    }
    request.backendSettings["calibration"] = calibration.toStdString();
  }
  docks_.runPanel->setBusy(true);
  docks_.runPanel->setStatus(
      tr("Running %1 on %2…").arg(qstr(request.bundle->displayName()), qstr(request.backend)));
  runs_->start(request);
}

bool MainWindow::runAndWait(int timeoutMs, QString* error) {
  if (!canRun()) {
    if (error) *error = tr("need an open session and model");
    return false;
  }
  return waitForRunner(
      runs_, [this] { startRun(); }, timeoutMs, error);
}

void MainWindow::showOutputs(std::shared_ptr<const ModelOutputs> outputs) {
  outputs_ = std::move(outputs);
  if (outputs_) palette_.addClasses(outputs_->probabilities.columnNames);
  docks_.probabilities->setOutputs(outputs_, &palette_);
  docks_.motifs->setOutputs(outputs_, &palette_);
  docks_.latent->setOutputs(outputs_);
  const auto session = currentSession();
  timeline_->setPredicted(outputs_ && session ? outputs_->predictedIntervals(session->sampleRateHz)
                                              : std::vector<LabelInterval>{});
}

QString MainWindow::lastCalibration() {
  return QSettings().value(kCalibrationKey).toString();
}

void MainWindow::parityDialog() {
  if (!docks_.paritySides->usesInt8()) {
    startParity({});
    return;
  }
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Calibration set for int8"), lastCalibration(),
                                   tr("Calibration sets (*.npy);;All files (*)"));
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
  if (!calibrationNpy.isEmpty()) QSettings().setValue(kCalibrationKey, calibrationNpy);
  ParityRequest request;
  request.session = currentSession();
  request.bundle = models_[static_cast<std::size_t>(docks_.runPanel->currentModel())];
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
  docks_.parity->setResult(std::move(result));
  focusParity();
}

void MainWindow::focusParity() {
  docks_.parityDock->show();
  docks_.parityDock->raise();
  resizeDocks({docks_.parityDock}, {std::max(300, height() / 2)}, Qt::Vertical);
}

void MainWindow::startPlayback() {
  if (!canRun()) {
    docks_.playbackPanel->setStatus(tr("Open a session and a model first."));
    return;
  }
  if (runs_->busy()) return;
  const auto bundle = models_[static_cast<std::size_t>(docks_.runPanel->currentModel())];
  docks_.playbackPanel->setRunning(true);
  docks_.playbackPanel->setStatus(
      tr("Streaming %1 through %2…")
          .arg(qstr(bundle->displayName()), qstr(docks_.runPanel->currentBackend())));
  axis_.setView({0, std::min(axis_.extent().end_s, 60.0)});
  playback_->start(currentSession(), bundle, docks_.runPanel->currentBackend(),
                   docks_.runPanel->backendBox()->settings(),
                   static_cast<std::size_t>(docks_.runPanel->stride()),
                   docks_.playbackPanel->speed());
}

QStringList MainWindow::viewNames() {
  return {"window",   "timeline", "probabilities", "motifs", "latent",
          "sessions", "run",      "playback",      "parity", "evaluation"};
}

QWidget* MainWindow::view(const QString& name) {
  if (name == "window") return this;
  if (name == "timeline") return timeline_;
  if (name == "probabilities") return docks_.probabilities;
  if (name == "motifs") return docks_.motifs;
  if (name == "latent") return docks_.latent;
  if (name == "sessions") return docks_.browser;
  if (name == "run") return docks_.runPanel;
  if (name == "playback") return docks_.playbackPanel;
  if (name == "parity") return docks_.parity;
  if (name == "evaluation") return docks_.evaluation;
  return nullptr;
}

void MainWindow::refreshAllNow() {
  timeline_->refreshNow();
  docks_.probabilities->refreshNow();
  docks_.motifs->refreshNow();
  docks_.latent->update();
  docks_.parity->refreshNow();
  docks_.setSizes->refreshNow();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("geometry", saveGeometry());
  settings.setValue("windowState", saveState(kLayoutVersion));
  openQueue_.clear();
  opener_->cancel();
  validation_->cancelAll();
  playback_->stop();
  runs_->cancel();
  evalRuns_->cancel();
  QMainWindow::closeEvent(event);
}

}  // namespace imuwb::widgets
