// MainWindow, continued: the views follow the workspace state (WorkspaceState). Runs, playback
// and parity record their results into the state under the session they were computed on; the
// views show the current session's results (showSessionResults), so a session switch shows that
// session's own outputs, parity and playback, and a failed job never wipes a good result.
#include <QDockWidget>
#include <QStatusBar>
#include <algorithm>

#include "BackendChoiceBox.hpp"
#include "CalibrationChoice.hpp"
#include "FindingsPanel.hpp"
#include "LabelBands.hpp"
#include "LabelEditController.hpp"
#include "LatentHeatmapView.hpp"
#include "MainWindow.hpp"
#include "ParityView.hpp"
#include "PlaybackController.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchMessage.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

namespace {
QString qstr(const std::string& text) {
  return QString::fromStdString(text);
}
constexpr int kStatusMs = 10000;
}  // namespace

void MainWindow::buildMessagesDock() {
  findings_ = new FindingsPanel(this);
  auto* dock = new QDockWidget(tr("Messages"), this);
  dock->setObjectName("dock.messages");
  dock->setWidget(findings_);
  addDockWidget(Qt::BottomDockWidgetArea, dock);
  if (docks_.evaluationDock) tabifyDockWidget(docks_.evaluationDock, dock);
  // The latent heatmap stays the tab shown in that group (WorkbenchDocks' default).
  if (auto* latent = findChild<QDockWidget*>("dock.latent")) latent->raise();
}

void MainWindow::report(Severity severity, const QString& context, const QString& text) {
  const auto message = parseWorkbenchMessage(severity, context, text);
  findings_->add(message);
  statusBar()->showMessage(message.shortText(), kStatusMs);
}

std::shared_ptr<const Session> MainWindow::currentSession() const {
  return state_->currentSession();
}

void MainWindow::selectSession(int index) {
  if (index < 0 || index >= sessionCount() || index == state_->currentIndex()) return;
  // A playback belongs to the session it plays: its last windows land there, before the switch.
  playback_->stop();
  state_->setCurrent(index);
  timeline_->setSession(state_->sessions()[static_cast<std::size_t>(index)].plot);
  for (auto* chart : timeline_->charts())
    chart->setLabelBands(toTimeBands(currentSession()->labels), &palette_);
  showSessionResults();
  updateEvaluationContext();
  setWindowTitle(
      tr("%1 — IMU Model Workbench").arg(qstr(currentSession()->sourcePath.filename().string())));
  if (docks_.browser->currentIndex() != index) docks_.browser->setCurrentIndex(index);
  labelEdit_->showSession(currentSession());  // its edited labels over the loaded ones
}

void MainWindow::showSessionResults() {
  const auto& results = state_->currentResults();
  renderOutputs(results.outputs);
  if (!runs_->busy()) {
    docks_.runPanel->setProgress(results.outputsFraction, results.outputsNote);
    if (!results.lastRunError.isEmpty())
      docks_.runPanel->setStatus(
          results.outputs ? tr("Run failed (the outputs shown are the last good ones): %1")
                                .arg(results.lastRunError)
                          : tr("Run failed: %1").arg(results.lastRunError));
  }
  if (docks_.parity->result() != results.parity) docks_.parity->setResult(results.parity);
  if (!parityRuns_->busy() || parityRuns_->request().session != currentSession())
    docks_.parity->setStatus(results.parityNote);
  if (!playback_->running()) {
    if (results.playback) {
      docks_.playbackPanel->showStats(results.playback->stats);
      docks_.playbackPanel->setStatus(results.playback->message);
    } else {
      docks_.playbackPanel->clearStats();
      docks_.playbackPanel->setStatus({});
    }
  }
}

void MainWindow::showOutputs(std::shared_ptr<const ModelOutputs> outputs) {
  if (const auto session = currentSession()) state_->outputsOpened(session.get(), outputs);
  renderOutputs(std::move(outputs));
}

void MainWindow::renderOutputs(std::shared_ptr<const ModelOutputs> outputs) {
  if (outputs == outputs_ && outputs) return;
  outputs_ = std::move(outputs);
  if (outputs_) palette_.addClasses(outputs_->probabilities.columnNames);
  docks_.probabilities->setOutputs(outputs_, &palette_);
  docks_.motifs->setOutputs(outputs_, &palette_);
  docks_.latent->setOutputs(outputs_);
  const auto session = currentSession();
  timeline_->setPredicted(outputs_ && session ? outputs_->predictedIntervals(session->sampleRateHz)
                                              : std::vector<LabelInterval>{});
}

bool MainWindow::int8Settings(const std::string& backend,
                              std::map<std::string, std::string>& settings,
                              const QString& context) {
  if (backend != "int8") return true;
  QString message;
  if (int8SettingsFromChoice(settings, &message)) return true;
  if (context == tr("Run")) docks_.runPanel->setStatus(message);
  if (context == tr("Playback")) docks_.playbackPanel->setStatus(message);
  report(Severity::Error, context, message);
  return false;
}

void MainWindow::connectRunners() {
  connect(state_, &WorkspaceState::resultsChanged, this, [this](const Session* session) {
    if (session == currentSession().get()) showSessionResults();
  });
  connect(runs_, &RunController::progress, docks_.runPanel, &RunPanel::setProgress);
  connect(runs_, &RunController::finished, this,
          [this](std::shared_ptr<const ModelOutputs> outputs, bool fromCache) {
            docks_.runPanel->setBusy(false);
            const auto& request = runs_->request();
            statusBar()->showMessage(tr("Run finished: %1 windows on %2")
                                         .arg(outputs->windowCount())
                                         .arg(qstr(outputs->backendName)),
                                     5000);
            state_->runFinished(request.session.get(), request.key(), std::move(outputs),
                                fromCache);
          });
  connect(runs_, &RunController::failed, this, [this](const QString& message) {
    docks_.runPanel->setBusy(false);
    report(Severity::Error, tr("Run"), message);
    state_->runFailed(runs_->request().session.get(), guiWording(message));
  });
  connect(runs_, &RunController::cancelled, this, [this] {
    docks_.runPanel->setBusy(false);
    showSessionResults();
    docks_.runPanel->setStatus(tr("Run cancelled"));
  });
  connectPlayback();
  connectParity();
}

void MainWindow::connectPlayback() {
  connect(playback_, &PlaybackController::updated, this,
          [this](std::shared_ptr<const ModelOutputs> outputs, double latest_s, LatencyStats stats) {
            const auto* session = playback_->session().get();
            state_->playbackUpdated(session, std::move(outputs), stats);
            if (session != currentSession().get()) return;
            docks_.playbackPanel->showStats(stats);
            if (stats.windows == 0) return;
            axis_.setCursor(latest_s);
            const auto view = axis_.view();
            if (latest_s > view.end_s || latest_s < view.start_s)
              axis_.setView({latest_s - view.length() * 0.9, latest_s + view.length() * 0.1});
          });
  connect(playback_, &PlaybackController::finished, this, [this](const QString& message) {
    docks_.playbackPanel->setRunning(false);
    const auto end = playback_->lastEnd();
    const auto recorded = end == PlaybackController::End::Failed    ? PlaybackRecord::End::Failed
                          : end == PlaybackController::End::Stopped ? PlaybackRecord::End::Stopped
                                                                    : PlaybackRecord::End::Complete;
    const QString text = end == PlaybackController::End::Failed ? guiWording(message) : message;
    state_->playbackEnded(playback_->session().get(), recorded, text);
    if (end == PlaybackController::End::Failed) report(Severity::Error, tr("Playback"), message);
  });
}

double MainWindow::playbackStart_s() const {
  const auto session = currentSession();
  const double end_s = session ? session->sampleCount() / session->sampleRateHz : 0;
  const auto selection = axis_.selection();
  double start = selection.valid() ? selection.start_s : axis_.cursor();
  // From the very end there is nothing to play: start again from the beginning.
  const auto model = state_->model(docks_.runPanel->currentModel());
  const double window_s =
      model && session ? model->manifest.input.windowLength / session->sampleRateHz : 1.0;
  if (start < 0 || start > end_s - window_s) start = 0;
  return start;
}

void MainWindow::startPlayback() {
  if (!canRun()) {
    docks_.playbackPanel->setStatus(tr("Open a session and a model first."));
    return;
  }
  if (runs_->busy()) return;
  const auto bundle = state_->model(docks_.runPanel->currentModel());
  const std::string backend = docks_.runPanel->currentBackend();
  auto settings = docks_.runPanel->backendBox()->settings();
  if (!int8Settings(backend, settings, tr("Playback"))) return;
  const auto session = currentSession();
  const double start_s = playbackStart_s();
  state_->playbackStarted(session.get(), start_s, 0);  // the total comes with the first update
  docks_.playbackPanel->setRunning(true);
  docks_.playbackPanel->setStatus(tr("Streaming %1 through %2 from %3 s…")
                                      .arg(qstr(bundle->displayName()), qstr(backend))
                                      .arg(start_s, 0, 'f', 1));
  const double viewLength = std::min(axis_.extent().length(), 60.0);
  axis_.setView({start_s, start_s + viewLength});
  axis_.setCursor(start_s);
  playback_->start(session, bundle, backend, settings,
                   static_cast<std::size_t>(docks_.runPanel->stride()),
                   docks_.playbackPanel->speed(), start_s);
}

}  // namespace imuwb::widgets
