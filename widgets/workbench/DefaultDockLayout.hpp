#pragma once
// The workbench's dock arrangement for the window's size, from 1024x700 up to 4K. Side panels
// (sessions, run, playback) sit left and right when the window is wide, and collapse into one
// tabbed column on the left when it is narrow, so the timeline keeps most of the width. The
// output views share the bottom: probabilities and motifs split, latent, parity, evaluation and
// messages tabbed under them, all sized so every channel chart of the timeline keeps a readable
// height.
//
// DockLayoutGuard keeps it so: it applies the default once the window is shown with its real
// size (a layout computed before that is sized for a window that does not exist yet, which is
// why Reset Layout used to barely help), throws away a restored layout that squeezes the
// timeline, and re-arranges the side docks when the window crosses the narrow width.
#include <QByteArray>
#include <QObject>

QT_BEGIN_NAMESPACE
class QDockWidget;
class QMainWindow;
QT_END_NAMESPACE

namespace imuwb::widgets {

inline constexpr int kNarrowWindowWidth = 1280;  // below it, the side docks share one column
inline constexpr int kShortWindowHeight = 900;   // below it, the output docks take two rows

// The timeline's minimum readable height: its label strip plus this per channel chart.
inline constexpr int kReadableChartHeight = 40;

// True when the side docks take more than ~45 % of the width, or the timeline less than a third
// of the height or room for its charts at a readable height.
bool layoutSqueezesTimeline(const QMainWindow& window);

// Raises a bottom dock (parity, evaluation) and gives it as much height as the timeline can
// spare while every channel chart keeps kReadableChartHeight.
void focusBottomDock(QMainWindow& window, QDockWidget* dock);

class DockLayoutGuard : public QObject {
  Q_OBJECT
 public:
  explicit DockLayoutGuard(QMainWindow& window);
  // A saved layout, or the default (at the first show) when there is none, it does not
  // restore, or it squeezes the timeline.
  void restore(const QByteArray& state, int version);
  // Every dock docked and shown, in the default arrangement for the current size (at the first
  // show when the window is not shown yet).
  void reset();
  bool narrow() const { return narrow_; }
  static DockLayoutGuard* of(const QMainWindow& window);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void applyDefault();
  void arrangeSides(bool narrow);
  bool short_() const;
  void sizeSides();
  void sizeBottom();
  QDockWidget* dock(const char* name) const;
  QMainWindow& window_;
  bool pendingDefault_ = false;
  bool checkRestored_ = false;
  bool narrow_ = false;
};

}  // namespace imuwb::widgets
