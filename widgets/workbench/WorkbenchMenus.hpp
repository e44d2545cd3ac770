#pragma once
// The workbench's menu bar: File, View, Run, Tools and Help, with their shortcuts. The menus only
// trigger commands; what a command does is the main window's (MenuCommands), so the same
// action can be reached from a panel button, a shortcut or a test.
#include <QtGlobal>
#include <functional>

#include "Theme.hpp"

QT_BEGIN_NAMESPACE
class QAction;
class QMainWindow;
class QMenu;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
struct WorkbenchDocks;

struct MenuCommands {
  std::function<void()> openSession, openModel, openOutputs, saveOutputs, cancelOpens, quit;
  std::function<void()> run, cancelRun, togglePlayback, parity, cancelParity;
  std::function<void()> evaluate, cancelEvaluation;
  std::function<void()> exportCalibration, convertModel;
  std::function<void()> chooseCalibration;  // int8's calibration set, for every panel
  std::function<void()> resetLayout;
  std::function<void(Theme)> applyTheme;  // the choice is already remembered (QSettings "theme")
};

// What the window updates later: the recent-files list, and the Esc action that is enabled only
// while a file is opening.
struct WorkbenchMenus {
  QMenu* recent = nullptr;
  QMenu* view = nullptr;
  QAction* cancelOpen = nullptr;
};

// Builds the menu bar of window. The View menu toggles every dock already on window, zooms axis,
// and picks the probability and motif chart styles (remembered in QSettings, and kept in step
// with the charts' own right-click menus).
WorkbenchMenus buildWorkbenchMenus(QMainWindow& window, TimeAxisModel* axis,
                                   const WorkbenchDocks& docks, const MenuCommands& commands);

}  // namespace imuwb::widgets
