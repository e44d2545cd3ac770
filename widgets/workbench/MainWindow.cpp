#include "MainWindow.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>

#include "AboutDialog.hpp"
#include "CoreRun.hpp"
#include "LabelBands.hpp"
#include "LabelStrip.hpp"
#include "LatentHeatmapView.hpp"
#include "OutputsFileBridge.hpp"
#include "ParityView.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"
#include "SignalGroupChart.hpp"
#include "Theme.hpp"
#include "TimelineView.hpp"
#include "WindowSeriesChart.hpp"
#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

namespace {
constexpr auto kCalibrationKey = "parity/calibration";
constexpr int kLayoutVersion = 2;  // bump when docks change so old saved layouts are ignored

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
  opener_ = new SessionOpener({}, this);
  validation_ = new SessionValidationQueue(this);
  buildDocks();
  buildMenus();

  statusTime_ = new QLabel(this);
  statusBar()->addPermanentWidget(statusTime_);
  buildOpenProgress();
  connect(&axis_, &TimeAxisModel::cursorChanged, this, &MainWindow::updateStatus);
  connect(&axis_, &TimeAxisModel::viewChanged, this, &MainWindow::updateStatus);
  connect(&axis_, &TimeAxisModel::selectionChanged, this, &MainWindow::updateStatus);

  connect(runs_, &RunController::progress, runPanel_, &RunPanel::setProgress);
  connect(runs_, &RunController::finished, this,
          [this](std::shared_ptr<const ModelOutputs> outputs, bool fromCache) {
            runPanel_->setBusy(false);
            runPanel_->setProgress(
                1.0, fromCache ? tr("%1 windows (from cache)").arg(outputs->windowCount())
                               : tr("%1 windows").arg(outputs->windowCount()));
            showOutputs(outputs);
            statusBar()->showMessage(tr("Run finished: %1 windows on %2")
                                         .arg(outputs->windowCount())
                                         .arg(qstr(outputs->backendName)),
                                     5000);
          });
  connect(runs_, &RunController::failed, this, [this](const QString& message) {
    runPanel_->setBusy(false);
    runPanel_->setStatus(tr("Run failed: %1").arg(message));
    statusBar()->showMessage(tr("Run failed: %1").arg(message));
  });
  connect(runs_, &RunController::cancelled, this, [this] {
    runPanel_->setBusy(false);
    runPanel_->setStatus(tr("Run cancelled"));
  });
  connect(playback_, &PlaybackController::updated, this,
          [this](std::shared_ptr<const ModelOutputs> outputs, double latest_s, LatencyStats stats) {
            showOutputs(outputs);
            playbackPanel_->showStats(stats);
            axis_.setCursor(latest_s);
            const auto view = axis_.view();
            if (latest_s > view.end_s || latest_s < view.start_s)
              axis_.setView({latest_s - view.length() * 0.9, latest_s + view.length() * 0.1});
          });
  connect(parityRuns_, &ParityRunner::progress, this,
          [this](double fraction, const QString& stage) {
            parity_->setStatus(
                tr("Parity cpu vs int8: %1 (%2 %)").arg(stage).arg(qRound(fraction * 100)));
            statusBar()->showMessage(tr("Parity: %1 %").arg(qRound(fraction * 100)));
          });
  connect(parityRuns_, &ParityRunner::finished, this,
          [this](std::shared_ptr<const analysis::ParityResult> result) {
            showParity(result);
            statusBar()->showMessage(
                tr("Parity finished: %1").arg(result->passed() ? tr("PASS") : tr("FAIL")), 5000);
          });
  connect(parityRuns_, &ParityRunner::failed, this, [this](const QString& message) {
    parity_->setStatus(tr("Parity failed: %1").arg(message));
    statusBar()->showMessage(tr("Parity failed: %1").arg(message));
  });
  connect(parityRuns_, &ParityRunner::cancelled, this, [this] {
    parity_->setStatus(tr("Parity cancelled"));
    statusBar()->showMessage(tr("Parity cancelled"), 4000);
  });
  connect(playback_, &PlaybackController::finished, this, [this](const QString& message) {
    playbackPanel_->setRunning(false);
    playbackPanel_->setStatus(message);
  });

  QSettings settings;
  applyTheme(static_cast<Theme>(settings.value("theme", 0).toInt()));
  defaultState_ = saveState(kLayoutVersion);
  resize(1400, 900);
  restoreGeometry(settings.value("geometry").toByteArray());
  restoreState(settings.value("windowState").toByteArray(), kLayoutVersion);
  rebuildRecentMenu();
  updateStatus();
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
}

QDockWidget* MainWindow::addDock(QWidget* widget, const QString& title, const QString& objectName,
                                 Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(objectName);  // saveState/restoreState key
  dock->setWidget(widget);
  addDockWidget(area, dock);
  return dock;
}

void MainWindow::buildDocks() {
  browser_ = new SessionBrowser(this);
  auto* sessionsDock = addDock(browser_, tr("Sessions"), "dock.sessions", Qt::LeftDockWidgetArea);
  runPanel_ = new RunPanel(this);
  auto* runDock = addDock(runPanel_, tr("Run"), "dock.run", Qt::RightDockWidgetArea);
  playbackPanel_ = new PlaybackPanel(this);
  auto* playDock =
      addDock(playbackPanel_, tr("Live playback"), "dock.playback", Qt::RightDockWidgetArea);
  splitDockWidget(runDock, playDock, Qt::Vertical);
  probabilities_ = new WindowSeriesChart(&axis_, WindowSeriesChart::Kind::Probabilities, this);
  auto* probabilityDock = addDock(probabilities_, tr("Class probabilities"), "dock.probabilities",
                                  Qt::BottomDockWidgetArea);
  motifs_ = new WindowSeriesChart(&axis_, WindowSeriesChart::Kind::MotifScores, this);
  auto* motifDock = addDock(motifs_, tr("Motif scores"), "dock.motifs", Qt::BottomDockWidgetArea);
  latent_ = new LatentHeatmapView(&axis_, this);
  auto* latentDock = addDock(latent_, tr("Latent"), "dock.latent", Qt::BottomDockWidgetArea);
  parity_ = new ParityView(&axis_, this);
  // The parity view stacks a chart, a table, lists and two plots: its minimum height would
  // become the minimum of the whole tabbed bottom area and squeeze the timeline. Scrolled, the
  // dock can be as small as the latent heatmap it shares a tab with.
  auto* parityScroll = new QScrollArea(this);
  parityScroll->setWidgetResizable(true);
  parityScroll->setFrameShape(QFrame::NoFrame);
  parityScroll->setWidget(parity_);
  parityDock_ = addDock(parityScroll, tr("Parity"), "dock.parity", Qt::BottomDockWidgetArea);
  splitDockWidget(probabilityDock, motifDock, Qt::Vertical);
  splitDockWidget(motifDock, latentDock, Qt::Vertical);
  resizeDocks({sessionsDock, runDock}, {330, 290}, Qt::Horizontal);
  tabifyDockWidget(latentDock, parityDock_);
  latentDock->raise();
  resizeDocks({probabilityDock, motifDock, latentDock}, {130, 130, 130}, Qt::Vertical);

  std::vector<std::pair<std::string, std::string>> backends;
  const auto registry = makeDefaultBackendRegistry();  // keep it alive while iterating
  for (const auto& entry : registry.entries()) backends.emplace_back(entry.name, entry.description);
  runPanel_->setBackends(backends);

  connect(browser_, &SessionBrowser::currentSessionChanged, this, &MainWindow::selectSession);
  connect(browser_, &SessionBrowser::findingActivated, this, [this](double start, double end) {
    const double pad = std::max(2.0, (end - start) * 0.5);
    axis_.setView({start - pad, end + pad});
    axis_.setSelection({start, std::max(end, start + 0.01)});
    axis_.setCursor(start);
  });
  connect(runPanel_, &RunPanel::runRequested, this, &MainWindow::startRun);
  connect(runPanel_, &RunPanel::cancelRequested, runs_, &RunController::cancel);
  connect(runPanel_, &RunPanel::saveRequested, this, &MainWindow::saveOutputsDialog);
  connect(runPanel_, &RunPanel::openOutputsRequested, this, &MainWindow::openOutputsDialog);
  connect(playbackPanel_, &PlaybackPanel::playRequested, this, &MainWindow::startPlayback);
  connect(playbackPanel_, &PlaybackPanel::stopRequested, playback_, &PlaybackController::stop);
}

void MainWindow::buildMenus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* openSession = file->addAction(tr("Open &Session…"), this, &MainWindow::openSessionDialog);
  openSession->setShortcut(QKeySequence::Open);
  openSession->setToolTip(tr("Open a session (.h5), or import a CSV or sidecar JSON window"));
  auto* openModel = file->addAction(tr("Open &Model…"), this, &MainWindow::openModelDialog);
  openModel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
  file->addAction(tr("Open &Outputs…"), this, &MainWindow::openOutputsDialog);
  auto* save = file->addAction(tr("&Save Outputs…"), this, &MainWindow::saveOutputsDialog);
  save->setShortcut(QKeySequence::Save);
  recentMenu_ = file->addMenu(tr("&Recent Files"));
  // Esc stops an open in progress; the action is disabled otherwise, so Esc still clears the
  // timeline selection.
  cancelOpenAction_ = file->addAction(tr("&Cancel Opening"), this, &MainWindow::cancelOpens);
  cancelOpenAction_->setObjectName("action.cancelOpen");
  cancelOpenAction_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancelOpenAction_->setEnabled(false);
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  viewMenu_ = menuBar()->addMenu(tr("&View"));
  auto* zoomIn = viewMenu_->addAction(tr("Zoom &In"), &axis_, &TimeAxisModel::zoomIn);
  zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  auto* zoomOut = viewMenu_->addAction(tr("Zoom &Out"), &axis_, &TimeAxisModel::zoomOut);
  zoomOut->setShortcut(QKeySequence::ZoomOut);
  auto* all = viewMenu_->addAction(tr("Show &All"), &axis_, &TimeAxisModel::showAll);
  all->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  auto* toSelection =
      viewMenu_->addAction(tr("Zoom to &Selection"), &axis_, &TimeAxisModel::zoomToSelection);
  toSelection->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  viewMenu_->addSeparator();
  for (auto* dock : findChildren<QDockWidget*>()) viewMenu_->addAction(dock->toggleViewAction());
  viewMenu_->addSeparator();
  addStyleMenu(probabilities_, tr("Class &Probabilities As"), "probabilityStyle",
               {{tr("&Lines"), WindowSeriesChart::Style::Lines},
                {tr("&Stacked Areas"), WindowSeriesChart::Style::StackedAreas}});
  addStyleMenu(motifs_, tr("&Motif Scores As"), "motifStyle",
               {{tr("&Lines"), WindowSeriesChart::Style::Lines},
                {tr("&Heatmap"), WindowSeriesChart::Style::Heatmap}});
  viewMenu_->addSeparator();
  viewMenu_->addAction(tr("&Reset Layout"), this, &MainWindow::resetLayout);
  auto* theme = viewMenu_->addMenu(tr("&Theme"));
  auto* group = new QActionGroup(this);
  const QSettings settings;
  const int currentTheme = settings.value("theme", 0).toInt();
  const std::pair<QString, Theme> themes[] = {{tr("Follow &system"), Theme::System},
                                              {tr("&Light"), Theme::Light},
                                              {tr("&Dark"), Theme::Dark}};
  for (const auto& [label, value] : themes) {
    auto* action = theme->addAction(label);
    action->setCheckable(true);
    action->setChecked(static_cast<int>(value) == currentTheme);
    group->addAction(action);
    connect(action, &QAction::triggered, this, [this, value] {
      QSettings().setValue("theme", static_cast<int>(value));
      applyTheme(value);
    });
  }

  auto* runMenu = menuBar()->addMenu(tr("&Run"));
  auto* run = runMenu->addAction(tr("&Run Model"), this, &MainWindow::startRun);
  run->setShortcut(QKeySequence(Qt::Key_F5));
  auto* cancel = runMenu->addAction(tr("&Cancel Run"), runs_, &RunController::cancel);
  cancel->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  auto* play = runMenu->addAction(tr("&Play / Stop"), this, [this] {
    if (playback_->running())
      playback_->stop();
    else
      startPlayback();
  });
  play->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
  runMenu->addSeparator();
  auto* parity = runMenu->addAction(tr("P&arity (cpu vs int8)…"), this, &MainWindow::parityDialog);
  parity->setToolTip(
      tr("Compare the model on cpu and int8 over the session; asks for a "
         "calibration .npy (imuwb calib-export)"));
  runMenu->addAction(tr("Cancel Pa&rity"), parityRuns_, &ParityRunner::cancel);

  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
    QMessageBox::information(
        this, tr("Keyboard shortcuts"),
        tr("<table>"
           "<tr><td>Ctrl+O / Ctrl+M</td><td>open session / model</td></tr>"
           "<tr><td>F5 / Shift+F5</td><td>run / cancel</td></tr>"
           "<tr><td>Ctrl+Space</td><td>live playback on/off</td></tr>"
           "<tr><td>Wheel, +/-</td><td>zoom around the pointer / centre</td></tr>"
           "<tr><td>Drag, Shift+wheel, ←/→</td><td>pan</td></tr>"
           "<tr><td>Click</td><td>set the cursor</td></tr>"
           "<tr><td>Shift+drag</td><td>select a range</td></tr>"
           "<tr><td>Double-click, Ctrl+E</td><td>zoom to selection</td></tr>"
           "<tr><td>Home, Ctrl+0</td><td>show everything</td></tr>"
           "<tr><td>Esc</td><td>cancel opening a file, else clear the selection</td></tr>"
           "</table>"));
  });
  help->addAction(tr("&About"), this, [this] { AboutDialog(this).exec(); });
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
  runPanel_->setModels(names, static_cast<int>(models_.size()) - 1);
}

void MainWindow::selectSession(int index) {
  if (index < 0 || index >= static_cast<int>(sessions_.size()) || index == current_) return;
  current_ = index;
  playback_->stop();
  timeline_->setSession(sessions_[static_cast<std::size_t>(index)].plot);
  for (auto* chart : timeline_->charts())
    chart->setLabelBands(toTimeBands(currentSession()->labels), &palette_);
  showOutputs(nullptr);
  setWindowTitle(
      tr("%1 — IMU Model Workbench").arg(qstr(currentSession()->sourcePath.filename().string())));
  if (browser_->currentIndex() != index) browser_->setCurrentIndex(index);
}

std::shared_ptr<const Session> MainWindow::currentSession() const {
  if (current_ < 0) return nullptr;
  return sessions_[static_cast<std::size_t>(current_)].session;
}

bool MainWindow::canRun() const {
  return current_ >= 0 && runPanel_->currentModel() >= 0 &&
         runPanel_->currentModel() < static_cast<int>(models_.size());
}

void MainWindow::startRun() {
  if (runs_->busy()) return;
  if (!canRun()) {
    runPanel_->setStatus(tr("Open a session and a model first."));
    return;
  }
  playback_->stop();
  RunRequest request;
  request.session = currentSession();
  request.bundle = models_[static_cast<std::size_t>(runPanel_->currentModel())];
  request.backend = runPanel_->currentBackend().empty() ? "cpu" : runPanel_->currentBackend();
  request.strideSamples = static_cast<std::size_t>(runPanel_->stride());
  if (request.backend == "int8") {
    // int8 calibrates at load: it needs the calibration set chosen for Parity.
    const QString calibration = lastCalibration();
    if (calibration.isEmpty() || !QFileInfo::exists(calibration)) {
      const QString message =
          tr("int8 needs a calibration set: choose one with Run > Parity… (export one with "
             "`imuwb calib-export`)");
      runPanel_->setStatus(message);
      statusBar()->showMessage(message, 10000);
      return;
    }
    request.backendSettings["calibration"] = calibration.toStdString();
  }
  runPanel_->setBusy(true);
  runPanel_->setStatus(
      tr("Running %1 on %2…").arg(qstr(request.bundle->displayName()), qstr(request.backend)));
  runs_->start(request);
}

namespace {

// Starts a job on runner (RunController or ParityRunner) and blocks in a local event loop until
// it reports finished, failed or cancelled, or until timeoutMs. A job that settles at once (a
// cached run) or never starts (nothing to run) does not wait.
template <class Runner>
bool waitForRunner(Runner* runner, const std::function<void()>& start, int timeoutMs,
                   QString* error) {
  QEventLoop loop;
  bool ok = false;
  bool settled = false;
  QString message = MainWindow::tr("timed out");
  const auto settle = [&](bool succeeded, const QString& why) {
    ok = succeeded;
    settled = true;
    message = why;
    loop.quit();
  };
  const QList<QMetaObject::Connection> connections = {
      QObject::connect(runner, &Runner::finished, &loop, [&] { settle(true, {}); }),
      QObject::connect(runner, &Runner::failed, &loop,
                       [&](const QString& why) { settle(false, why); }),
      QObject::connect(runner, &Runner::cancelled, &loop,
                       [&] { settle(false, MainWindow::tr("cancelled")); }),
  };
  QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
  start();
  if (!settled && runner->busy()) loop.exec();
  for (const auto& connection : connections) QObject::disconnect(connection);
  if (!ok && error) *error = message;
  return ok;
}

}  // namespace

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
  probabilities_->setOutputs(outputs_, &palette_);
  motifs_->setOutputs(outputs_, &palette_);
  latent_->setOutputs(outputs_);
  const auto session = currentSession();
  timeline_->setPredicted(outputs_ && session ? outputs_->predictedIntervals(session->sampleRateHz)
                                              : std::vector<LabelInterval>{});
}

QString MainWindow::lastCalibration() {
  return QSettings().value(kCalibrationKey).toString();
}

void MainWindow::parityDialog() {
  const QString path =
      QFileDialog::getOpenFileName(this, tr("Calibration set for int8"), lastCalibration(),
                                   tr("Calibration sets (*.npy);;All files (*)"));
  if (!path.isEmpty()) startParity(path);
}

void MainWindow::startParity(const QString& calibrationNpy) {
  if (parityRuns_->busy()) return;
  focusParity();
  if (!canRun()) {
    parity_->setStatus(tr("Open a session and a model first."));
    statusBar()->showMessage(tr("Parity needs an open session and model"), 5000);
    return;
  }
  QSettings().setValue(kCalibrationKey, calibrationNpy);
  ParityRequest request;
  request.session = currentSession();
  request.bundle = models_[static_cast<std::size_t>(runPanel_->currentModel())];
  request.calibration = calibrationNpy.toStdString();
  request.strideSamples = runPanel_->stride();
  parity_->setStatus(tr("Parity cpu vs int8 on %1…").arg(qstr(request.bundle->displayName())));
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
  parity_->setResult(std::move(result));
  focusParity();
}

void MainWindow::focusParity() {
  parityDock_->show();
  parityDock_->raise();
  resizeDocks({parityDock_}, {std::max(300, height() / 2)}, Qt::Vertical);
}

void MainWindow::startPlayback() {
  if (!canRun()) {
    playbackPanel_->setStatus(tr("Open a session and a model first."));
    return;
  }
  if (runs_->busy()) return;
  const auto bundle = models_[static_cast<std::size_t>(runPanel_->currentModel())];
  playbackPanel_->setRunning(true);
  playbackPanel_->setStatus(
      tr("Streaming %1 through %2…")
          .arg(qstr(bundle->displayName()), qstr(runPanel_->currentBackend())));
  axis_.setView({0, std::min(axis_.extent().end_s, 60.0)});
  playback_->start(currentSession(), bundle, runPanel_->currentBackend(),
                   static_cast<std::size_t>(runPanel_->stride()), playbackPanel_->speed());
}

void MainWindow::updateStatus() {
  const auto view = axis_.view();
  QString text = tr("cursor %1 · view %2 – %3")
                     .arg(formatTime(axis_.cursor(), 0.01), formatTime(view.start_s, 0.1),
                          formatTime(view.end_s, 0.1));
  const auto selection = axis_.selection();
  if (selection.valid()) text += tr(" · selection %1 s").arg(selection.length(), 0, 'f', 2);
  statusTime_->setText(text);
}

void MainWindow::addStyleMenu(
    WindowSeriesChart* chart, const QString& title, const QString& settingsKey,
    const std::vector<std::pair<QString, WindowSeriesChart::Style>>& styles) {
  // The chart's own right-click menu changes the style too; both paths end in styleChanged,
  // which checks the menu entry and remembers the choice.
  auto* menu = viewMenu_->addMenu(title);
  auto* group = new QActionGroup(menu);
  std::vector<std::pair<QAction*, WindowSeriesChart::Style>> actions;
  for (const auto& [label, style] : styles) {
    auto* action = menu->addAction(label);
    action->setCheckable(true);
    group->addAction(action);
    connect(action, &QAction::triggered, chart, [chart, style] { chart->setStyle(style); });
    actions.emplace_back(action, style);
  }
  auto reflect = [actions, settingsKey](WindowSeriesChart::Style current) {
    for (const auto& [action, style] : actions) action->setChecked(style == current);
    QSettings().setValue(settingsKey, WindowSeriesChart::styleName(current));
  };
  connect(chart, &WindowSeriesChart::styleChanged, menu, reflect);
  const QString saved = QSettings().value(settingsKey).toString();
  for (const auto& [label, style] : styles)
    if (WindowSeriesChart::styleName(style) == saved) chart->setStyle(style);
  for (const auto& [action, style] : actions) action->setChecked(style == chart->style());
}

QStringList MainWindow::viewNames() {
  return {"window",   "timeline", "probabilities", "motifs", "latent",
          "sessions", "run",      "playback",      "parity"};
}

QWidget* MainWindow::view(const QString& name) {
  if (name == "window") return this;
  if (name == "timeline") return timeline_;
  if (name == "probabilities") return probabilities_;
  if (name == "motifs") return motifs_;
  if (name == "latent") return latent_;
  if (name == "sessions") return browser_;
  if (name == "run") return runPanel_;
  if (name == "playback") return playbackPanel_;
  if (name == "parity") return parity_;
  return nullptr;
}

void MainWindow::refreshAllNow() {
  timeline_->refreshNow();
  probabilities_->refreshNow();
  motifs_->refreshNow();
  latent_->update();
  parity_->refreshNow();
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
  QMainWindow::closeEvent(event);
}

}  // namespace imuwb::widgets
