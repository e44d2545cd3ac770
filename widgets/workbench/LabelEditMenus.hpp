#pragma once
// The Edit and Labels menus of label editing. Edit: Undo/Redo (their text names the edit), and
// the interval operations, whose single keys (S, M, Del, 1–9, …) work while the timeline has
// the focus, so typing elsewhere is never taken for an edit (Enter, which segments, only works
// in segmentation mode, but then in the whole window). Labels: save, history, embed, the
// class list and the find box. The menus only trigger commands (the main window's), as
// WorkbenchMenus does.
#include <QtGlobal>
#include <functional>
#include <vector>

QT_BEGIN_NAMESPACE
class QAction;
class QMainWindow;
class QMenu;
class QWidget;
QT_END_NAMESPACE

namespace imuwb::widgets {

struct LabelEditCommands {
  std::function<void()> undo, redo, split, merge, remove, editNote, pickClass, acceptPrediction,
      segment, save, history, embed, addClass, find;
  std::function<void(bool)> setSegmenting, setSnapToPredicted;
  std::function<void(int)> relabel;  // 0-based class index
};

struct LabelEditActions {
  QAction *undo = nullptr, *redo = nullptr, *split = nullptr, *merge = nullptr, *remove = nullptr,
          *editNote = nullptr, *pickClass = nullptr, *acceptPrediction = nullptr,
          *segmenting = nullptr, *segment = nullptr, *save = nullptr, *history = nullptr,
          *embed = nullptr, *addClass = nullptr, *find = nullptr, *snapToPredicted = nullptr;
  std::vector<QAction*> relabel;  // keys 1–9
};

// Inserts Edit and Labels before the menu `before` (View). timeline: the widget whose focus
// scopes the single-key shortcuts.
LabelEditActions buildLabelEditMenus(QMainWindow& window, QWidget* timeline, QMenu* before,
                                     const LabelEditCommands& commands);

}  // namespace imuwb::widgets
