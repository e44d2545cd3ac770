#pragma once
// The workbench window: sessions, models and their outputs on one shared time axis, with the
// run and playback panels. A thin shell: loading, validation, windows, inference and output
// files are core jobs; this class wires them to views and remembers the user's layout.
#include <QMainWindow>
#include <QStringList>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "ClassPalette.hpp"
#include "EvaluationRunner.hpp"
#include "LabelEditMenus.hpp"
#include "ModelOutputs.hpp"
#include "ParityRunner.hpp"
#include "RunController.hpp"
#include "SessionOpener.hpp"
#include "SessionValidationQueue.hpp"
#include "Theme.hpp"
#include "TimeAxisModel.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchDocks.hpp"
#include "WorkbenchMenus.hpp"
#include "WorkspaceState.hpp"
#include "common/Finding.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::widgets {

class TimelineView;
class SessionBrowser;
class RunPanel;
class PlaybackPanel;
class PlaybackController;
class WindowSeriesChart;
class LatentHeatmapView;
class SessionPlotData;
class ParityView;
class BackendChecker;
class BackendChoiceBox;
class RecentFiles;
class WorkbenchStatusBar;
class EvaluationPanel;
class SetSizeStrip;
class CalibExportDialog;
class ConvertDialog;
class FindingsPanel;
class ReviewPanel;
class ReviewController;
class AgreementStrip;
class LabelEditController;
class LabelSaveController;
class LabelEditPanel;
class LabelEditInteraction;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // run: how a model is run over a session (tests pass a fake); defaults to core's pipeline.
  explicit MainWindow(RunFunction run = {}, QWidget* parent = nullptr);
  ~MainWindow() override;

  static constexpr int kOpenTimeoutMs = 10 * 60 * 1000;
  // Opens sessions (.h5/.csv/.json window), model bundles (folder/.onnx/manifest .json) and
  // outputs files, deciding by content, one after another in the order given. Sessions load in
  // the background (status-bar progress; Esc or its Cancel button stops them); models and
  // outputs open when their turn comes. Each failure is shown in the status bar naming the file.
  // Returns at once; opensFinished() follows when the queue has drained.
  void openPaths(const QStringList& paths);
  // Waits in a local event loop (the window keeps painting) until every queued open has settled
  // or timeoutMs passed. True when every open since the last wait succeeded; errors gets one
  // "file: problem" line per failure, cancel or timeout. An opened session is shown before its
  // validation ends: this does not wait for findings (waitForValidation does).
  bool waitForOpens(int timeoutMs = kOpenTimeoutMs, QStringList* errors = nullptr);
  bool opensPending() const;
  // Sessions are validated in the background after they are shown, in the order opened; their
  // findings then join the session's import report. Waits (event loop) until no validation is
  // queued or running; false on timeout. Screenshots and tests that look at findings call it
  // after waitForOpens (a session still opening is queued only once it is shown).
  bool waitForValidation(int timeoutMs = kOpenTimeoutMs);
  bool validationPending() const { return validation_->pending(); }
  SessionValidationQueue* validationQueue() const { return validation_; }
  // The findings of the session shown at index (import report, then validation's).
  const std::vector<Finding>& sessionFindings(int index) const {
    return state_->sessions().at(static_cast<std::size_t>(index)).findings;
  }
  void cancelOpens();  // stops the session being opened and drops the files queued behind it
  // openPaths({path}) then waitForOpens: for scripts and tests (interactive code uses openPaths).
  bool openPath(const QString& path, QString* error = nullptr);
  SessionOpener* sessionOpener() const { return opener_; }
  // Adds a session already in memory (tests, benchmarks).
  void addSession(std::shared_ptr<const Session> session, std::vector<Finding> findings = {});
  void addModel(std::shared_ptr<const ModelBundle> bundle);

  bool canRun() const;
  void startRun();  // current session x current model, backend and stride from the run panel
  // Runs and waits (event loop) until finished; false on failure or timeout. For --screenshot.
  bool runAndWait(int timeoutMs, QString* error = nullptr);
  void showOutputs(std::shared_ptr<const ModelOutputs> outputs);
  // Parity: the parity view's A against B (cpu against int8 by default) on the current session
  // and model, an int8 side calibrated from `calib` (may be empty when no side is int8). The
  // calibration path is remembered (QSettings "parity/calibration") for the run panel too.
  void startParity(const QString& calibrationNpy);
  bool parityAndWait(const QString& calibrationNpy, int timeoutMs, QString* error = nullptr);
  void showParity(std::shared_ptr<const analysis::ParityResult> result);
  void focusParity();  // raise the parity dock and give it most of the bottom area
  ParityView* parityView() const { return docks_.parity; }
  ParityRunner* parityRunner() const { return parityRuns_; }
  ParitySidesBar* paritySides() const { return docks_.paritySides; }
  // A backend choice's Check (run panel, parity sides): the current model loaded into it.
  void checkBackend(BackendChoiceBox* box);
  BackendChecker* backendChecker() const { return checks_; }
  // Evaluation: the evaluation panel's backends (A, optionally B) against the current session's
  // labels with the current model, as `imuwb evaluate`; an int8 side calibrated from `calib`.
  void startEvaluation(const QString& calibrationNpy);
  bool evaluateAndWait(const QString& calibrationNpy, int timeoutMs, QString* error = nullptr);
  void focusEvaluation();  // raise the evaluation dock and give it most of the bottom area
  EvaluationPanel* evaluationPanel() const { return docks_.evaluation; }
  EvaluationRunner* evaluationRunner() const { return evalRuns_; }
  SetSizeStrip* setSizeStrip() const { return docks_.setSizes; }
  // Moves the timeline to [start_s, end_s]: the view around it, the selection on it, the cursor
  // at its start (a finding, a worst parity window or an evaluated window clicked in a list).
  void showTimeRange(double start_s, double end_s);
  static QString lastCalibration();
  // Tools > Export Calibration Set…: the modeless dialog over the current session and model,
  // checking coverage against the other open and recent sessions (MainWindowCalibration.cpp).
  void showCalibExportDialog();
  CalibExportDialog* calibExportDialog() const { return calibDialog_; }
  // Tools > Convert for Hailo-8…: the modeless dialog over the current model, proving on the
  // current session; a passing conversion is opened when asked (MainWindowConvert.cpp).
  void showConvertDialog();
  ConvertDialog* convertDialog() const { return convertDialog_; }
  std::shared_ptr<const ModelOutputs> outputs() const { return outputs_; }

  // The open workspace: sessions, models and each session's results (MainWindowState.cpp).
  WorkspaceState* workspace() const { return state_; }
  // Messages dock: errors and warnings with their fix; the status bar shows the latest, short.
  FindingsPanel* findingsPanel() const { return findings_; }
  void report(Severity severity, const QString& context, const QString& text);
  // int8's calibration set (or quantization parameters), chosen once for Run, Parity,
  // Evaluation and Playback; checked against the current model first (CalibrationChoice).
  bool chooseCalibration(const QString& path, QString* error = nullptr);
  // Playback from the cursor, or from the selection's start when there is a selection.
  double playbackStart_s() const;
  void startPlayback();
  // Labels CSV opened with a session shown: asks whether to attach them to it. The default asks
  // in a non-modal message box; tests answer at once. answer(true) attaches.
  using LabelConfirmation =
      std::function<void(const QString& question, std::function<void(bool)> answer)>;
  void setLabelConfirmation(LabelConfirmation confirm) { confirmLabels_ = std::move(confirm); }
  bool attachLabels(const QString& path, QString* error = nullptr);  // to the current session

  // Label editing (MainWindowLabelEdit.cpp): the edits of every open session, their saving
  // (questions answered through labelSaving()->setAsk in tests), the Labels dock, the actions.
  LabelEditController* labelEditor() const { return labelEdit_; }
  LabelSaveController* labelSaving() const { return labelSave_; }
  LabelEditPanel* labelPanel() const { return labelPanel_; }
  LabelEditInteraction* labelGestures() const { return labelGestures_; }
  const LabelEditActions& labelActions() const { return labelActions_; }
  // The current outputs' predicted intervals (what "accept prediction" takes).
  std::vector<LabelInterval> predictedIntervals() const;
  // The axis selection, else the selected interval, takes the prediction.
  bool acceptPredictionForSelection();

  // Named views for --screenshot --view NAME: window, timeline, probabilities, motifs, latent,
  // sessions, run, playback.
  static QStringList viewNames();
  QWidget* view(const QString& name);

  // Review mode (MainWindowReview.cpp): the review dock, the agreement strip under the signals,
  // Review > Next / Previous Disagreement.
  ReviewPanel* reviewPanel() const { return reviewPanel_; }
  ReviewController* review() const { return review_; }
  AgreementStrip* agreementStrip() const { return agreementStrip_; }
  void focusReview();  // raise the review dock and give it most of the bottom area

  TimeAxisModel* timeAxis() { return &axis_; }
  TimelineView* timeline() const { return timeline_; }
  SessionBrowser* sessionBrowser() const { return docks_.browser; }
  RunPanel* runPanel() const { return docks_.runPanel; }
  PlaybackPanel* playbackPanel() const { return docks_.playbackPanel; }
  PlaybackController* playback() const { return playback_; }
  RunController* runController() const { return runs_; }
  WindowSeriesChart* probabilityChart() const { return docks_.probabilities; }
  WindowSeriesChart* motifChart() const { return docks_.motifs; }
  LatentHeatmapView* latentView() const { return docks_.latent; }
  int sessionCount() const { return static_cast<int>(state_->sessions().size()); }
  int modelCount() const { return static_cast<int>(state_->models().size()); }
  std::shared_ptr<const Session> currentSession() const;
  void refreshAllNow();  // recompute every plot immediately (tests, benchmarks, screenshots)
  void applyTheme(Theme theme);
  void resetLayout();

 signals:
  void opensFinished();  // the open queue drained (every file opened, failed or was cancelled)
  // No validation queued or running any more.
  void validationFinished();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void connectDocks();
  void buildMenus();
  void connectRunners();  // MainWindowState.cpp
  void connectPlayback();
  void connectParity();  // MainWindowParity.cpp
  void connectOpening();
  void openNext();  // works through openQueue_ until a session load is in flight
  bool openNow(const QString& path, QString* failure);  // models, outputs: on the GUI thread
  void openSettled(const QString& path, const QString& failure);
  void addOpenSession(OpenSession open);
  void validationSettled(const SessionValidation& result);
  void selectSession(int index);
  void openSessionDialog();
  void openModelDialog();
  void openOutputsDialog();
  void saveOutputsDialog();

 public:
  // Saves the current outputs to path under the output-path policy (never over an open session
  // or model); false with the reason in *error. The Save dialog ends here.
  bool saveOutputsTo(const QString& path, QString* error);

 private:
  bool openOutputsFile(const QString& path, QString* error);
  bool openLabels(const QString& path, QString* failure);       // asks, then attachLabels
  bool openCalibration(const QString& path, QString* failure);  // chooseCalibration
  void chooseCalibrationDialog();
  void buildMessagesDock();
  void showSessionResults();  // the current session's results into every view
  void renderOutputs(std::shared_ptr<const ModelOutputs> outputs);
  bool int8Settings(const std::string& backend, std::map<std::string, std::string>& settings,
                    const QString& context);
  void parityDialog();
  void evaluationDialog();
  void connectEvaluation();
  void buildReview();              // MainWindowReview.cpp
  void updateEvaluationContext();  // the panel follows the current session and model
  std::shared_ptr<const ModelBundle> currentModel() const;
  void refreshModelList();
  void connectLabelEditing();  // MainWindowLabelEdit.cpp
  void buildLabelEditActions();
  void showEditedLabels(bool dragOnly);
  void updateLabelActions();
  void showLabelHistory();
  void embedLabelsDialog();

  TimeAxisModel axis_;
  ClassPalette palette_;
  TimelineView* timeline_ = nullptr;
  WorkbenchDocks docks_;
  WorkbenchMenus menus_;
  std::unique_ptr<RecentFiles> recent_;
  CalibExportDialog* calibDialog_ = nullptr;
  ConvertDialog* convertDialog_ = nullptr;
  WorkbenchStatusBar* status_ = nullptr;
  ParityRunner* parityRuns_ = nullptr;
  EvaluationRunner* evalRuns_ = nullptr;
  BackendChecker* checks_ = nullptr;
  RunController* runs_ = nullptr;
  PlaybackController* playback_ = nullptr;
  SessionOpener* opener_ = nullptr;
  SessionValidationQueue* validation_ = nullptr;
  std::deque<QString> openQueue_;
  QString openingModelError_;  // a .json that was not a model: its model error, if not a window
  QStringList openErrors_;     // "file: problem" since the last waitForOpens
  WorkspaceState* state_ = nullptr;
  FindingsPanel* findings_ = nullptr;
  LabelConfirmation confirmLabels_;
  std::shared_ptr<const ModelOutputs> outputs_;  // what the output views show now
  ReviewPanel* reviewPanel_ = nullptr;
  QDockWidget* reviewDock_ = nullptr;
  ReviewController* review_ = nullptr;
  AgreementStrip* agreementStrip_ = nullptr;
  LabelEditController* labelEdit_ = nullptr;
  LabelSaveController* labelSave_ = nullptr;
  LabelEditPanel* labelPanel_ = nullptr;
  LabelEditInteraction* labelGestures_ = nullptr;
  LabelEditActions labelActions_;
};

}  // namespace imuwb::widgets
