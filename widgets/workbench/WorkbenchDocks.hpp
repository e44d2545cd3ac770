#pragma once
// The workbench's docks and their default arrangement: sessions on the left, run and playback
// on the right, the output views (probabilities with the conformal set-size strip, motifs,
// latent, parity, evaluation) stacked under the
// timeline so they share its width and time axis. Builds the widgets; wiring them to jobs is the
// main window's business.
#include <Qt>

QT_BEGIN_NAMESPACE
class QDockWidget;
class QMainWindow;
QT_END_NAMESPACE

namespace imuwb::widgets {

class TimeAxisModel;
class SessionBrowser;
class RunPanel;
class ParitySidesBar;
class PlaybackPanel;
class WindowSeriesChart;
class LatentHeatmapView;
class ParityView;
class EvaluationPanel;
class SetSizeStrip;

struct WorkbenchDocks {
  SessionBrowser* browser = nullptr;
  RunPanel* runPanel = nullptr;
  PlaybackPanel* playbackPanel = nullptr;
  WindowSeriesChart* probabilities = nullptr;
  WindowSeriesChart* motifs = nullptr;
  LatentHeatmapView* latent = nullptr;
  ParityView* parity = nullptr;
  ParitySidesBar* paritySides = nullptr;  // the two backends compared, above the parity view
  QDockWidget* parityDock = nullptr;      // raised and enlarged when a parity result arrives
  EvaluationPanel* evaluation = nullptr;  // tabbed with parity
  QDockWidget* evaluationDock = nullptr;
  SetSizeStrip* setSizes = nullptr;  // conformal set size, under the class probabilities
};

// Creates every dock on window (each named "dock.<view>" for saveState/restoreState), lays them
// out, and fills the run panel's backend list from the backend registry.
WorkbenchDocks buildWorkbenchDocks(QMainWindow& window, TimeAxisModel* axis);

}  // namespace imuwb::widgets
