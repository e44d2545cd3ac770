// MainWindow, continued: a labels CSV opened while a session is shown is offered for attachment
// to that session (a non-modal question; tests answer through setLabelConfirmation). Attaching
// gives the session in memory those labels (the recording on disk is never touched): the label
// strip, the chart bands and the evaluation panel show them, and the session keeps its results.
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>

#include "LabelBands.hpp"
#include "LabelEditController.hpp"
#include "MainWindow.hpp"
#include "SessionPlotData.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"
#include "common/Error.hpp"
#include "session/LabelCsv.hpp"

namespace imuwb::widgets {

bool MainWindow::openLabels(const QString& path, QString* failure) {
  const auto session = currentSession();
  const QString name = QFileInfo(path).fileName();
  if (!session) {
    *failure = tr("%1 holds labels (start, end, label), not sensor data\n  fix: open the "
                  "session it belongs to first, then open the labels again to attach them")
                   .arg(name);
    return false;
  }
  try {
    readLabelCsv(path.toStdString());  // a bad row is reported now, not after the question
  } catch (const std::exception& e) {
    *failure = QString::fromUtf8(e.what());
    return false;
  }
  const QString question =
      tr("%1 holds labels. Attach them to %2?")
          .arg(name, QString::fromStdString(session->sourcePath.filename().string()));
  auto answer = [this, path, target = session](bool attach) {
    if (!attach || currentSession() != target) return;
    QString error;
    if (!attachLabels(path, &error)) report(Severity::Error, tr("Attach labels"), error);
  };
  if (confirmLabels_) {
    confirmLabels_(question, answer);
    return true;
  }
  auto* box = new QMessageBox(QMessageBox::Question, tr("Labels"), question,
                              QMessageBox::Yes | QMessageBox::No, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->button(QMessageBox::Yes)->setText(tr("Attach"));
  connect(box, &QMessageBox::finished, this,
          [answer](int result) { answer(result == QMessageBox::Yes); });
  box->open();  // non-modal to the queue: the other files keep opening
  return true;
}

bool MainWindow::attachLabels(const QString& path, QString* error) {
  const int index = state_->currentIndex();
  const auto current = currentSession();
  try {
    if (!current)
      throw Error(path.toStdString(), "no session is open to attach the labels to",
                  "open the session first");
    const LabelTrack track = readLabelCsv(path.toStdString());
    auto session = std::make_shared<Session>(*current);
    session->labels = track.labels;
    for (const auto& cls : track.classes)
      if (std::find(session->classes.begin(), session->classes.end(), cls) ==
          session->classes.end())
        session->classes.push_back(cls);
    std::shared_ptr<const Session> attached = std::move(session);
    auto& open = state_->sessions()[static_cast<std::size_t>(index)];
    open.plot = std::make_shared<const SessionPlotData>(attached);
    palette_.addClasses(attached->classes);
    state_->replaceSession(index, attached);
    timeline_->setSession(open.plot);
    for (auto* chart : timeline_->charts())
      chart->setLabelBands(toTimeBands(attached->labels), &palette_);
    updateEvaluationContext();
    renderOutputs(nullptr);  // the predicted strip is drawn against the new session
    showSessionResults();
    labelEdit_->showSession(attached);  // an undoable edit of the session's stored labels
    statusBar()->showMessage(
        tr("Attached %n label interval(s) from %1", "", int(track.labels.size()))
            .arg(QFileInfo(path).fileName()),
        5000);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

}  // namespace imuwb::widgets
