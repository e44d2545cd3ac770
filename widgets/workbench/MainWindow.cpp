#include "MainWindow.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>

#include "BackendChecker.hpp"
#include "CoreRun.hpp"
#include "DefaultDockLayout.hpp"
#include "EvaluationPanel.hpp"
#include "FindingsPanel.hpp"
#include "LabelBands.hpp"
#include "LabelSaveController.hpp"
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
constexpr int kLayoutVersion = 4;  // bump when docks change so old saved layouts are ignored

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

  state_ = new WorkspaceState(this);
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
  buildMessagesDock();
  connectDocks();
  buildMenus();
  status_ = new WorkbenchStatusBar(statusBar(), &axis_, this);
  connectOpening();
  connect(&axis_, &TimeAxisModel::cursorChanged, status_, &WorkbenchStatusBar::showTimes);
  connect(&axis_, &TimeAxisModel::viewChanged, status_, &WorkbenchStatusBar::showTimes);
  connect(&axis_, &TimeAxisModel::selectionChanged, status_, &WorkbenchStatusBar::showTimes);
  connectRunners();
  connectEvaluation();
  buildReview();
  connectLabelEditing();

  QSettings settings;
  applyTheme(static_cast<Theme>(settings.value("theme", 0).toInt()));
  resize(1400, 900);
  restoreGeometry(settings.value("geometry").toByteArray());
  (new DockLayoutGuard(*this))
      ->restore(settings.value("windowState").toByteArray(), kLayoutVersion);
  recent_->rebuild();
  status_->showTimes();
}

MainWindow::~MainWindow() {
  // Closing moves the focus (QApplication::focusChanged) after this part is gone.
  disconnect(qApp, nullptr, this, nullptr);
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
  checks_->check(box, state_->model(model));
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
  commands.convertModel = [this] { showConvertDialog(); };
  commands.chooseCalibration = [this] { chooseCalibrationDialog(); };
  commands.resetLayout = [this] { resetLayout(); };
  commands.applyTheme = [this](Theme theme) { applyTheme(theme); };
  menus_ = buildWorkbenchMenus(*this, &axis_, docks_, commands);
  recent_ = std::make_unique<RecentFiles>(menus_.recent,
                                          [this](const QString& path) { openPaths({path}); });
}

void MainWindow::applyTheme(Theme theme) {
  applyApplicationTheme(theme);
}

void MainWindow::resetLayout() {
  DockLayoutGuard::of(*this)->reset();
}

void MainWindow::refreshModelList() {
  QStringList names;
  for (const auto& model : state_->models())
    names << QStringLiteral("%1 (%2)").arg(qstr(model->displayName()),
                                           qstr(model->onnxPath.filename().string()));
  docks_.runPanel->setModels(names, modelCount() - 1);
}

bool MainWindow::canRun() const {
  return state_->currentIndex() >= 0 && state_->model(docks_.runPanel->currentModel()) != nullptr;
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
  request.bundle = state_->model(docks_.runPanel->currentModel());
  request.backend =
      docks_.runPanel->currentBackend().empty() ? "cpu" : docks_.runPanel->currentBackend();
  request.strideSamples = static_cast<std::size_t>(docks_.runPanel->stride());
  request.backendSettings = docks_.runPanel->backendBox()->settings();  // edgeinfer: url
  // int8 calibrates at load: the calibration set chosen once (Run ▸ Calibration Set…).
  if (!int8Settings(request.backend, request.backendSettings, tr("Run"))) return;
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

void MainWindow::focusParity() {
  focusBottomDock(*this, docks_.parityDock);
}

QStringList MainWindow::viewNames() {
  return {"window", "timeline", "probabilities", "motifs",     "latent",  "sessions",
          "run",    "playback", "parity",        "evaluation", "messages"};
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
  if (name == "messages") return findings_;
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
  if (!labelSave_->confirmClose()) {  // unsaved label edits: save, discard or stay open
    event->ignore();
    return;
  }
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
