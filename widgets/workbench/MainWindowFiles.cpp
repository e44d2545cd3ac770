// MainWindow, continued: how files get into the window. Sessions open in the background in the
// order asked (SessionOpener), are shown as soon as they are read and validated after
// (SessionValidationQueue); models and outputs files are small and open on the GUI thread;
// recent files, the file dialogs, and drag and drop all end in openPaths().
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTimer>
#include <algorithm>
#include <utility>

#include "MainWindow.hpp"
#include "OpenAnythingDialog.hpp"
#include "OpenRouting.hpp"
#include "OutputsFileBridge.hpp"
#include "RecentFiles.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"
#include "SessionPlotData.hpp"
#include "WorkbenchStatusBar.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

void MainWindow::connectOpening() {
  connect(status_, &WorkbenchStatusBar::cancelOpenRequested, this, &MainWindow::cancelOpens);
  connect(opener_, &SessionOpener::progress, status_, &WorkbenchStatusBar::openProgress);
  connect(opener_, &SessionOpener::opened, this,
          [this](const QString& path, std::shared_ptr<const OpenSession> open) {
            addOpenSession(*open);
            openSettled(path, {});
            openNext();
          });
  connect(opener_, &SessionOpener::failed, this,
          [this](const QString& path, const QString& message) {
            QString failure = message;
            if (!openingModelError_.isEmpty()) {
              failure = openingModelError_;  // a .json that is neither: the model error explains
            } else if (QFileInfo(path).suffix().toLower() != "csv") {
              // Not a session: maybe an outputs file (small, opened here).
              QString outputsError;
              if (openOutputsFile(path, &outputsError)) failure.clear();
            }
            openSettled(path, failure);
            openNext();
          });
  connect(opener_, &SessionOpener::cancelled, this, [this](const QString& path) {
    const auto skipped = static_cast<int>(openQueue_.size());
    openQueue_.clear();
    openErrors_ << tr("%1: cancelled").arg(QFileInfo(path).fileName());
    statusBar()->showMessage(
        skipped > 0 ? tr("Opening %1 cancelled; %n more file(s) not opened", "", skipped)
                          .arg(QFileInfo(path).fileName())
                    : tr("Opening %1 cancelled").arg(QFileInfo(path).fileName()),
        8000);
    openNext();
  });

  connect(validation_, &SessionValidationQueue::started, status_,
          &WorkbenchStatusBar::validationStarted);
  connect(validation_, &SessionValidationQueue::finished, this,
          [this](const std::shared_ptr<const SessionValidation>& result) {
            validationSettled(*result);
          });
  connect(validation_, &SessionValidationQueue::drained, this, [this] {
    status_->validationDrained();
    emit validationFinished();
  });
}

void MainWindow::openPaths(const QStringList& paths) {
  for (const auto& path : paths) openQueue_.push_back(path);
  openNext();
}

bool MainWindow::opensPending() const {
  return opener_->busy() || !openQueue_.empty();
}

void MainWindow::cancelOpens() {
  if (!opener_->busy()) return;
  opener_->cancel();  // the queue is dropped when the cancel arrives (SessionOpener::cancelled)
  status_->openCancelling();
}

void MainWindow::openNext() {
  while (!opener_->busy() && !openQueue_.empty()) {
    const QString path = openQueue_.front();
    openQueue_.pop_front();
    openingModelError_.clear();
    const OpenKind kind = classifyOpenPath(path);
    if (kind != OpenKind::Recording && kind != OpenKind::ModelOrWindow) {
      QString failure;
      if (kind == OpenKind::Model) openNow(path, &failure);
      if (kind == OpenKind::Labels) openLabels(path, &failure);
      if (kind == OpenKind::Calibration) openCalibration(path, &failure);
      openSettled(path, failure);
      continue;
    }
    if (kind == OpenKind::ModelOrWindow) {
      // A manifest (or the pipeline's model_config.json) is a model; else a sidecar window.
      QString failure;
      if (openNow(path, &failure)) {
        openSettled(path, {});
        continue;
      }
      openingModelError_ = failure;
    }
    opener_->open(path);
    status_->openStarted(path);
  }
  const bool loading = opener_->busy();
  status_->setLoading(loading);
  menus_.cancelOpen->setEnabled(loading);
  if (!loading) emit opensFinished();
}

// Models are small: they load on the GUI thread when their turn in the queue comes.
bool MainWindow::openNow(const QString& path, QString* failure) {
  try {
    addModel(std::make_shared<const ModelBundle>(loadModelBundle(path.toStdString())));
    return true;
  } catch (const std::exception& e) {
    *failure = QString::fromUtf8(e.what());
    return false;
  }
}

void MainWindow::openSettled(const QString& path, const QString& failure) {
  const QFileInfo info(path);
  if (!failure.isEmpty()) {
    report(Severity::Error, tr("Could not open %1").arg(info.fileName()), failure);
    openErrors_ << tr("%1: %2").arg(info.fileName(), failure);
    return;
  }
  recent_->add(info.absoluteFilePath());
  statusBar()->showMessage(tr("Opened %1").arg(info.fileName()), 4000);
}

bool MainWindow::waitForOpens(int timeoutMs, QStringList* errors) {
  bool timedOut = false;
  if (opensPending()) {
    QEventLoop loop;
    const auto done = connect(this, &MainWindow::opensFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, [&] {
      timedOut = true;
      loop.quit();
    });
    loop.exec();
    disconnect(done);
  }
  QStringList failures = std::exchange(openErrors_, {});
  if (timedOut && opensPending()) failures << tr("timed out waiting for files to open");
  if (errors) *errors = failures;
  return failures.isEmpty();
}

bool MainWindow::waitForValidation(int timeoutMs) {
  if (!validation_->pending()) return true;
  QEventLoop loop;
  const auto done = connect(this, &MainWindow::validationFinished, &loop, &QEventLoop::quit);
  QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
  loop.exec();
  disconnect(done);
  return !validation_->pending();
}

bool MainWindow::openPath(const QString& path, QString* error) {
  openPaths({path});
  QStringList errors;
  const bool ok = waitForOpens(kOpenTimeoutMs, &errors);
  if (!ok && error) *error = errors.join('\n');
  return ok;
}

void MainWindow::addSession(std::shared_ptr<const Session> session, std::vector<Finding> findings) {
  auto plot = std::make_shared<const SessionPlotData>(session);
  addOpenSession(OpenSession{std::move(session), std::move(plot), std::move(findings)});
}

void MainWindow::addOpenSession(OpenSession open) {
  const auto session = open.session;
  const bool validate = open.needsValidation;
  palette_.addClasses(session->classes);
  const int index = state_->addSession(std::move(open));
  // selects it -> selectSession
  docks_.browser->addSession(*session, state_->sessions().back().findings, validate);
  selectSession(index);
  // Shown first, validated after: the findings join the import report when they arrive.
  if (validate) validation_->enqueue(session, QString::fromStdString(session->sourcePath.string()));
}

void MainWindow::validationSettled(const SessionValidation& result) {
  // Matched by the session itself, never by index: a result for a session no longer open is
  // dropped, and one can never land on another session.
  auto& sessions = state_->sessions();
  const auto it = std::find_if(sessions.begin(), sessions.end(), [&](const OpenSession& open) {
    return open.session == result.session;
  });
  if (it == sessions.end()) return;
  auto& findings = it->findings;
  const QString name = QFileInfo(result.path).fileName();
  if (result.error.isEmpty()) {
    findings.insert(findings.end(), result.findings.begin(), result.findings.end());
  } else {
    Finding failure;
    failure.severity = Severity::Error;
    failure.code = "validation_failed";
    failure.message = "validation did not finish: " + result.error.toStdString();
    failure.fix = "open the file again; if it keeps failing, check it with `imuwb info`";
    findings.push_back(std::move(failure));
    report(Severity::Error, tr("Validate %1").arg(name), result.error);
  }
  it->needsValidation = false;
  docks_.browser->setFindings(static_cast<int>(it - sessions.begin()), findings);
}

void MainWindow::addModel(std::shared_ptr<const ModelBundle> bundle) {
  state_->addModel(std::move(bundle));
  refreshModelList();
  updateEvaluationContext();
}

bool MainWindow::openOutputsFile(const QString& path, QString* error) {
  try {
    auto outputs = std::make_shared<const ModelOutputs>(loadOutputs(path.toStdString()));
    if (!currentSession())
      throw Error(path.toStdString(), "outputs need their session",
                  "open the session the outputs were computed on first");
    showOutputs(outputs);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void MainWindow::saveOutputsDialog() {
  if (!outputs_ || !currentSession()) {
    statusBar()->showMessage(tr("Nothing to save: run a model first."), 4000);
    return;
  }
  const auto path =
      QFileDialog::getSaveFileName(this, tr("Save outputs"), "outputs.h5", tr("Outputs (*.h5)"));
  if (path.isEmpty()) return;
  QString error;
  if (saveOutputsTo(path, &error))
    statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
  else
    QMessageBox::warning(this, tr("Could not save outputs"), error);
}

bool MainWindow::saveOutputsTo(const QString& path, QString* error) {
  try {
    if (!outputs_ || !currentSession())
      throw Error(path.toStdString(), "there are no outputs to save", "run a model first");
    // The save dialog has asked before replacing a file (replaceExisting); what it cannot know is
    // that the file is a recording or a model this window has open.
    OutputPathCheck check(true);
    for (const auto& open : state_->sessions())
      if (open.session) check.input(open.session->sourcePath, "the open session");
    for (const auto& model : state_->models())
      check.input(model->onnxPath, "the open model").input(model->manifestPath, "its manifest");
    check.output(path.toStdString(), "the outputs file").enforce();
    saveOutputs(*outputs_, *currentSession(), path.toStdString());
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void MainWindow::openSessionDialog() {
  OpenAnythingDialog dialog(this, tr("Open"));
  if (dialog.exec() == QDialog::Accepted) openPaths(dialog.chosenPaths());
}

void MainWindow::openModelDialog() {
  OpenAnythingDialog dialog(this, tr("Open a model bundle"));
  dialog.selectNameFilter(dialog.nameFilters().at(2));
  if (dialog.exec() == QDialog::Accepted) openPaths(dialog.chosenPaths());
}

void MainWindow::openOutputsDialog() {
  const auto path = QFileDialog::getOpenFileName(this, tr("Open outputs"), QString(),
                                                 tr("Outputs (*.h5 *.hdf5)"));
  if (path.isEmpty()) return;
  QString error;
  if (openOutputsFile(path, &error))
    recent_->add(path);
  else
    QMessageBox::warning(this, tr("Could not open outputs"), error);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const auto& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths << url.toLocalFile();
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  openPaths(paths);
}

}  // namespace imuwb::widgets
