#include "ZoomPresets.hpp"

#include <QAction>
#include <QKeySequence>
#include <QWidget>

#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

const std::vector<ZoomPreset>& zoomPresets() {
  static const std::vector<ZoomPreset> presets = {
      {QObject::tr("10 s"), QStringLiteral("zoom.10s"), 10.0},
      {QObject::tr("1 min"), QStringLiteral("zoom.1min"), 60.0},
      {QObject::tr("10 min"), QStringLiteral("zoom.10min"), 600.0},
      {QObject::tr("1 h"), QStringLiteral("zoom.1h"), 3600.0},
      {QObject::tr("All"), QStringLiteral("zoom.all"), 0.0},
  };
  return presets;
}

QList<QAction*> addZoomActions(QWidget* target, TimeAxisModel* axis, QObject* parent,
                               bool withShortcuts) {
  QList<QAction*> actions;
  int key = 1;
  for (const auto& preset : zoomPresets()) {
    auto* action = new QAction(preset.label, parent);
    action->setObjectName(preset.name);
    // "All" keeps View > Show All's Ctrl+0; the spans get Ctrl+1..4.
    const QKeySequence shortcut =
        preset.span_s > 0 ? QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + key++))
                          : QKeySequence(Qt::CTRL | Qt::Key_0);
    if (preset.span_s > 0)
      action->setToolTip(QObject::tr("Show %1 around the cursor (%2)")
                             .arg(preset.label, shortcut.toString(QKeySequence::NativeText)));
    else
      action->setToolTip(QObject::tr("Show the whole recording (%1, Home)")
                             .arg(shortcut.toString(QKeySequence::NativeText)));
    if (withShortcuts && preset.span_s > 0) action->setShortcut(shortcut);
    const double span = preset.span_s;
    QObject::connect(action, &QAction::triggered, axis, [axis, span] {
      if (span > 0)
        axis->zoomToSpan(span);
      else
        axis->showAll();
    });
    target->addAction(action);
    actions << action;
  }
  auto* toSelection = new QAction(
      withShortcuts ? QObject::tr("Zoom to Selection") : QObject::tr("Zoom to Selection\tCtrl+E"),
      parent);
  toSelection->setObjectName(QStringLiteral("zoom.selection"));
  toSelection->setToolTip(
      QObject::tr("Zoom to the selected range (Ctrl+E or double-click); Shift+drag on a chart "
                  "selects a range"));
  if (withShortcuts) toSelection->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  toSelection->setEnabled(axis->selection().valid());
  QObject::connect(
      axis, &TimeAxisModel::selectionChanged, toSelection,
      [toSelection](TimeRange selection) { toSelection->setEnabled(selection.valid()); });
  QObject::connect(toSelection, &QAction::triggered, axis, &TimeAxisModel::zoomToSelection);
  target->addAction(toSelection);
  actions << toSelection;
  return actions;
}

}  // namespace imuwb::widgets
