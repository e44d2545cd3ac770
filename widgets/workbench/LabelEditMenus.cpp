#include "LabelEditMenus.hpp"

#include <QAction>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return workbenchTr(text);
}

// An action whose key works while the timeline (or a child) has the focus.
QAction* timelineAction(QMenu* menu, QWidget* timeline, const QString& text, const char* name,
                        const QKeySequence& key, const std::function<void()>& command) {
  auto* action = menu->addAction(text);
  action->setObjectName(name);
  action->setShortcut(key);
  action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  timeline->addAction(action);
  QObject::connect(action, &QAction::triggered, menu, [command] { command(); });
  return action;
}

QAction* windowAction(QMenu* menu, const QString& text, const char* name, const QKeySequence& key,
                      const std::function<void()>& command) {
  auto* action = menu->addAction(text);
  action->setObjectName(name);
  if (!key.isEmpty()) action->setShortcut(key);
  QObject::connect(action, &QAction::triggered, menu, [command] { command(); });
  return action;
}

void buildEditMenu(QMenu* edit, QWidget* timeline, const LabelEditCommands& c,
                   LabelEditActions& a) {
  a.undo = windowAction(edit, tr("&Undo"), "labels.undo", QKeySequence::Undo, c.undo);
  a.redo = windowAction(edit, tr("&Redo"), "labels.redo",
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), c.redo);
  edit->addSeparator();
  a.split = timelineAction(edit, timeline, tr("&Split Interval at Cursor"), "labels.split",
                           QKeySequence(Qt::Key_S), c.split);
  a.merge = timelineAction(edit, timeline, tr("&Merge Interval with Next"), "labels.merge",
                           QKeySequence(Qt::Key_M), c.merge);
  a.remove = timelineAction(edit, timeline, tr("&Delete Interval"), "labels.delete",
                            QKeySequence(Qt::Key_Delete), c.remove);
  a.acceptPrediction =
      timelineAction(edit, timeline, tr("&Accept Prediction"), "labels.acceptPrediction",
                     QKeySequence(Qt::Key_A), c.acceptPrediction);
  a.acceptPrediction->setToolTip(
      tr("The selected range (or the selected interval) takes the predicted classes"));
  a.editNote = timelineAction(edit, timeline, tr("Edit &Note…"), "labels.editNote",
                              QKeySequence(Qt::Key_F2), c.editNote);
  auto* relabel = edit->addMenu(tr("&Relabel As"));
  a.pickClass = timelineAction(relabel, timeline, tr("&Other Class…"), "labels.pickClass",
                               QKeySequence(Qt::Key_C), c.pickClass);
  relabel->addSeparator();
  for (int k = 0; k < 9; ++k) {
    const QByteArray name = "labels.relabel." + QByteArray::number(k + 1);
    a.relabel.push_back(timelineAction(relabel, timeline, tr("Class %1").arg(k + 1),
                                       name.constData(),
                                       QKeySequence(static_cast<Qt::Key>(Qt::Key_1 + k)),
                                       [relabelTo = c.relabel, k] { relabelTo(k); }));
  }
  edit->addSeparator();
  a.segmenting = windowAction(edit, tr("Se&gmentation Mode"), "labels.segmentationMode",
                              QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), [] {});
  a.segmenting->setCheckable(true);
  a.segmenting->setToolTip(
      tr("While on, Enter closes the interval being segmented at the cursor and opens the next "
         "(ELAN's segmentation mode); use it while playing"));
  QObject::connect(a.segmenting, &QAction::toggled, edit,
                   [set = c.setSegmenting](bool on) { set(on); });
  a.snapToPredicted = edit->addAction(tr("Snap Edges to &Predicted Boundaries"));
  a.snapToPredicted->setObjectName("labels.snapToPredicted");
  a.snapToPredicted->setCheckable(true);
  a.snapToPredicted->setToolTip(
      tr("A dragged edge near a boundary of the predicted row goes to it (edges always snap to "
         "the session's samples)"));
  QObject::connect(a.snapToPredicted, &QAction::toggled, edit,
                   [set = c.setSnapToPredicted](bool on) { set(on); });
  // Enter anywhere in the window while segmentation is on (focus may be on the Play button);
  // the action is disabled otherwise, so Enter keeps its usual meaning.
  a.segment = windowAction(edit, tr("Segment &Boundary at Cursor"), "labels.segment",
                           QKeySequence(Qt::Key_Return), c.segment);
}

void buildLabelsMenu(QMenu* labels, const LabelEditCommands& c, LabelEditActions& a) {
  a.save = windowAction(labels, tr("&Save Labels"), "labels.save", QKeySequence::Save, c.save);
  a.save->setToolTip(
      tr("Save the labels to the side-car file beside the session (S.labels.json); "
         "the recording is never written"));
  a.history = windowAction(labels, tr("Label &History…"), "labels.history", {}, c.history);
  a.embed = windowAction(labels, tr("&Embed Labels into a New Session File…"), "labels.embed", {},
                         c.embed);
  a.embed->setToolTip(
      tr("Write a copy of the session with these labels in it; the original "
         "file is only read"));
  labels->addSeparator();
  a.addClass = windowAction(labels, tr("Add &Class…"), "labels.addClass", {}, c.addClass);
  a.find = windowAction(labels, tr("&Find in Notes"), "labels.find", QKeySequence::Find, c.find);
}

}  // namespace

LabelEditActions buildLabelEditMenus(QMainWindow& window, QWidget* timeline, QMenu* before,
                                     const LabelEditCommands& commands) {
  LabelEditActions actions;
  auto* edit = new QMenu(tr("&Edit"), &window);
  auto* labels = new QMenu(tr("&Labels"), &window);
  QAction* anchor = before ? before->menuAction() : nullptr;
  window.menuBar()->insertMenu(anchor, edit);
  window.menuBar()->insertMenu(anchor, labels);
  buildEditMenu(edit, timeline, commands, actions);
  buildLabelsMenu(labels, commands, actions);
  return actions;
}

}  // namespace imuwb::widgets
