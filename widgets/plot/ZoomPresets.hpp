#pragma once
// The zoom presets every time view offers (10 s, 1 min, 10 min, 1 h, all) and zoom to selection,
// as actions on the shared time axis: the same list fills the toolbar, the View menu and every
// chart's context menu, so the quick zooms are one click away wherever the user looks.
#include <QList>
#include <QString>
#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QObject;
class QWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;

struct ZoomPreset {
  QString label;      // "10 s"
  QString name;       // object name of its action: "zoom.10s"
  double span_s = 0;  // 0: show all
};
const std::vector<ZoomPreset>& zoomPresets();

// One action per preset, then "Zoom to Selection" (enabled while there is a selection), owned
// by parent and added to target (a toolbar or a menu). With shortcuts, the presets get Ctrl+1
// to Ctrl+4 and zoom to selection Ctrl+E; a window must hold only one such set (a shortcut on
// two actions of one window fires neither). Without, the shortcut is shown as a hint only.
QList<QAction*> addZoomActions(QWidget* target, TimeAxisModel* axis, QObject* parent,
                               bool withShortcuts);

}  // namespace imuwb::widgets
