// MainWindow, continued: label editing. The editing state lives in LabelEditController (one
// LabelEditor per session, kept until the window closes), saving in LabelSaveController; this
// file wires them to the strip (gestures: LabelEditInteraction), the Edit and Labels menus, the
// Labels dock and the chart bands, and keeps the class colours stable: the palette's class
// order is remembered (QSettings "labels/classOrder"), so a class keeps its colour in every view,
// every session and the next time the workbench starts.
#include <QAbstractSpinBox>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTextEdit>

#include "LabelBands.hpp"
#include "LabelEditController.hpp"
#include "LabelEditInteraction.hpp"
#include "LabelEditMenus.hpp"
#include "LabelEditPanel.hpp"
#include "LabelHistoryDialog.hpp"
#include "LabelSaveController.hpp"
#include "LabelStrip.hpp"
#include "MainWindow.hpp"
#include "ReviewController.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"

namespace imuwb::widgets {

namespace {
constexpr const char* kClassOrderKey = "labels/classOrder";
constexpr const char* kSnapKey = "labels/snapToPredicted";

// Segmentation takes Enter window-wide (focus may be on the Play button), but not from a text
// field (a note, the find box, a new class, a spin box): there Enter stays the field's.
bool typingIn(const QWidget* focus) {
  return qobject_cast<const QLineEdit*>(focus) || qobject_cast<const QAbstractSpinBox*>(focus) ||
         qobject_cast<const QTextEdit*>(focus) || qobject_cast<const QPlainTextEdit*>(focus);
}
}  // namespace

void MainWindow::connectLabelEditing() {
  QStringList remembered = QSettings().value(kClassOrderKey).toStringList();
  std::vector<std::string> order;
  for (const auto& name : remembered) order.push_back(name.toStdString());
  palette_.addClasses(order);  // before any session: remembered classes keep their colours

  labelEdit_ = new LabelEditController(this);
  labelSave_ = new LabelSaveController(labelEdit_, this);
  labelGestures_ = new LabelEditInteraction(timeline_->labelStrip(), labelEdit_, &axis_);
  // The views (and the palette) follow first, so the panel below paints the new colours.
  connect(labelEdit_, &LabelEditController::labelsChanged, this,
          [this](bool dragOnly) { showEditedLabels(dragOnly); });
  connect(labelEdit_, &LabelEditController::selectionChanged, this, [this](int index) {
    timeline_->labelStrip()->setSelectedIndex(index);
    updateLabelActions();
  });
  connect(labelEdit_, &LabelEditController::failed, this,
          [this](const QString& message) { report(Severity::Warning, tr("Labels"), message); });
  connect(labelSave_, &LabelSaveController::failed, this,
          [this](const QString& message) { report(Severity::Error, tr("Labels"), message); });
  connect(labelSave_, &LabelSaveController::saved, this, [this](int revision) {
    statusBar()->showMessage(tr("Labels saved as revision %1 in %2")
                                 .arg(revision)
                                 .arg(QFileInfo(labelSave_->sidecarPath()).fileName()),
                             5000);
    updateLabelActions();
  });
  connect(labelSave_, &LabelSaveController::embedFinished, this,
          [this](bool ok, const QString& message) {
            if (ok)
              statusBar()->showMessage(tr("Labels embedded into %1").arg(message), 5000);
            else
              report(Severity::Error, tr("Embed labels"), message);
          });

  labelPanel_ = new LabelEditPanel(labelEdit_, &palette_, this);
  auto* dock = new QDockWidget(tr("Labels"), this);
  dock->setObjectName("dock.labels");
  dock->setWidget(labelPanel_);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  if (auto* sessions = findChild<QDockWidget*>("dock.sessions")) {
    tabifyDockWidget(sessions, dock);
    sessions->raise();
  }
  connect(labelPanel_, &LabelEditPanel::saveRequested, this, [this](const QString& note) {
    if (labelSave_->save(note)) labelPanel_->saveNoteEdit()->clear();
  });
  connect(labelPanel_, &LabelEditPanel::jumpRequested, this, &MainWindow::showTimeRange);
  buildLabelEditActions();
  updateLabelActions();
}

void MainWindow::buildLabelEditActions() {
  auto focusPanel = [this](QWidget* field) {
    if (auto* dock = findChild<QDockWidget*>("dock.labels")) {
      dock->show();
      dock->raise();
    }
    field->setFocus(Qt::ShortcutFocusReason);
  };
  LabelEditCommands c;
  c.undo = [this] { labelEdit_->undo(); };
  c.redo = [this] { labelEdit_->redo(); };
  c.split = [this] { labelEdit_->splitAt(axis_.cursor()); };
  c.merge = [this] { labelEdit_->mergeWithNext(); };
  c.remove = [this] { labelEdit_->removeSelected(); };
  c.editNote = [this, focusPanel] { focusPanel(labelPanel_->noteEdit()); };
  c.pickClass = [this, focusPanel] { focusPanel(labelPanel_->classList()); };
  c.acceptPrediction = [this] { acceptPredictionForSelection(); };
  c.setSegmenting = [this](bool on) {
    labelEdit_->setSegmenting(on);
    if (on) timeline_->labelStrip()->setFocus(Qt::ShortcutFocusReason);
    updateLabelActions();
  };
  c.segment = [this] { labelEdit_->segmentAt(axis_.cursor()); };
  c.setSnapToPredicted = [this](bool on) {
    labelGestures_->setSnapToPredicted(on);
    QSettings().setValue(kSnapKey, on);
  };
  c.save = [this] {
    if (labelSave_->save(labelPanel_->saveNoteEdit()->text())) labelPanel_->saveNoteEdit()->clear();
  };
  c.history = [this] { showLabelHistory(); };
  c.embed = [this] { embedLabelsDialog(); };
  c.addClass = [this, focusPanel] { focusPanel(labelPanel_->newClassEdit()); };
  c.find = [this, focusPanel] { focusPanel(labelPanel_->findEdit()); };
  c.relabel = [this](int index) { labelEdit_->relabelSelected(index); };
  labelActions_ = buildLabelEditMenus(*this, timeline_, menus_.view, c);
  connect(qApp, &QApplication::focusChanged, this, [this] { updateLabelActions(); });
  labelActions_.snapToPredicted->setChecked(QSettings().value(kSnapKey, true).toBool());
  labelGestures_->setSnapToPredicted(labelActions_.snapToPredicted->isChecked());
}

void MainWindow::showEditedLabels(bool dragOnly) {
  if (!labelEdit_->hasDocument()) return;
  const auto& labels = labelEdit_->labels();
  const auto known = palette_.classes().size();
  palette_.addClasses(labels.classes);
  if (palette_.classes().size() != known) {
    QStringList order;
    for (const auto& name : palette_.classes()) order << QString::fromStdString(name);
    QSettings().setValue(kClassOrderKey, order);
  }
  auto bands = toTimeBands(labels.intervals);
  auto* strip = timeline_->labelStrip();
  strip->setLabels(bands);
  strip->setSelectedIndex(labelEdit_->selected());
  if (!dragOnly) {
    for (auto* chart : timeline_->charts()) chart->setLabelBands(bands, &palette_);
    // Review mode reviews the labels as edited, before they are saved (a drag: at its commit).
    if (review_) review_->setLabels(labels.intervals);
  }
  updateLabelActions();
}

void MainWindow::updateLabelActions() {
  if (!labelEdit_ || !labelActions_.undo) return;
  auto& a = labelActions_;
  const bool open = labelEdit_->hasDocument();
  const bool selected = labelEdit_->selected() >= 0;
  a.undo->setText(labelEdit_->undoText());
  a.undo->setEnabled(labelEdit_->canUndo());
  a.redo->setText(labelEdit_->redoText());
  a.redo->setEnabled(labelEdit_->canRedo());
  for (auto* action : {a.split, a.acceptPrediction, a.addClass, a.find, a.segmenting})
    action->setEnabled(open);
  for (auto* action : {a.merge, a.remove, a.editNote, a.pickClass}) action->setEnabled(selected);
  a.segment->setEnabled(open && labelEdit_->segmenting() && !typingIn(QApplication::focusWidget()));
  const auto& classes = labelEdit_->labels().classes;
  for (std::size_t k = 0; k < a.relabel.size(); ++k) {
    const bool has = k < classes.size();
    a.relabel[k]->setText(has ? tr("&%1: %2").arg(k + 1).arg(QString::fromStdString(classes[k]))
                              : tr("Class %1").arg(k + 1));
    a.relabel[k]->setEnabled(has && selected);
  }
  const auto* document = labelEdit_->document();
  const bool canSave = document && document->store;
  a.save->setEnabled(canSave);
  a.history->setEnabled(canSave);
  a.embed->setEnabled(canSave);
  QString status;
  if (!document)
    status = tr("Open a session to edit its labels.");
  else if (!document->store)
    status = document->storeError;
  else
    status = tr("Revision %1%2")
                 .arg(document->store->current().revision)
                 .arg(document->editor.modified() ? tr(" · unsaved edits") : tr(" · saved"));
  labelPanel_->setSaveStatus(status);
  // "* S.h5 — IMU Model Workbench" while the shown session's labels have unsaved edits.
  const QString marker = QStringLiteral("* ");
  QString title = windowTitle();
  if (title.startsWith(marker)) title.remove(0, marker.size());
  setWindowTitle(document && document->editor.modified() ? marker + title : title);
}

std::vector<LabelInterval> MainWindow::predictedIntervals() const {
  const auto session = currentSession();
  if (!outputs_ || !session) return {};
  return outputs_->predictedIntervals(session->sampleRateHz);
}

bool MainWindow::acceptPredictionForSelection() {
  // The range selected on the axis; else the selected interval's extent.
  double start = 0, end = 0;
  if (axis_.selection().valid()) {
    start = axis_.selection().start_s;
    end = axis_.selection().end_s;
  } else if (const int index = labelEdit_->selected(); index >= 0) {
    const auto& interval = labelEdit_->labels().intervals[static_cast<std::size_t>(index)];
    start = interval.start_s;
    end = interval.end_s;
  } else {
    report(Severity::Warning, tr("Labels"),
           tr("Select a range (Shift+drag) or an interval to accept the prediction for."));
    return false;
  }
  return labelEdit_->acceptPrediction(start, end, predictedIntervals());
}

void MainWindow::showLabelHistory() {
  LabelHistoryDialog dialog(labelSave_, this);
  dialog.exec();
}

void MainWindow::embedLabelsDialog() {
  const auto* document = labelEdit_->document();
  if (!document || !document->store) {
    labelSave_->embedInto({});  // reports why
    return;
  }
  const QFileInfo session(QString::fromStdString(document->path.string()));
  const QString suggested =
      session.dir().filePath(session.completeBaseName() + QStringLiteral(".labelled.h5"));
  const QString output = QFileDialog::getSaveFileName(
      this, tr("Embed labels into a new session file"), suggested, tr("Sessions (*.h5)"));
  if (!output.isEmpty()) labelSave_->embedInto(output);
}

}  // namespace imuwb::widgets
