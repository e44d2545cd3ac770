#pragma once
// Help > Keyboard Shortcuts, generated from the window's actions: every QAction with a shortcut
// is listed with its name, so a new action appears without editing a list, followed by the
// chart navigation keys and gestures (an event filter, not actions: TimeInteraction) and the
// label strip's edit gestures (LabelEditInteraction).
#include <QList>
#include <QString>

QT_BEGIN_NAMESPACE
class QAction;
class QWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

// Every action under window with at least one shortcut, once each, in creation order.
QList<QAction*> actionsWithShortcuts(const QWidget& window);
// The action's name as a user reads it: "Open Session", without accelerators or ellipsis.
QString plainActionName(const QAction& action);
// The rich-text table the dialog shows.
QString shortcutsTable(const QWidget& window);
void showShortcutsDialog(QWidget& window);

}  // namespace imuwb::widgets
