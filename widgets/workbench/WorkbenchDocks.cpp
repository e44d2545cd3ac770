#include "WorkbenchDocks.hpp"

#include <QDockWidget>
#include <QMainWindow>
#include <QScrollArea>
#include <QVBoxLayout>
#include <string>
#include <utility>
#include <vector>

#include "LatentHeatmapView.hpp"
#include "ParitySidesBar.hpp"
#include "ParityView.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"
#include "WindowSeriesChart.hpp"
#include "WorkbenchTr.hpp"

namespace imuwb::widgets {

namespace {

QString tr(const char* text) {
  return workbenchTr(text);
}

QDockWidget* addDock(QMainWindow& window, QWidget* widget, const QString& title,
                     const QString& objectName, Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, &window);
  dock->setObjectName(objectName);  // saveState/restoreState key
  dock->setWidget(widget);
  window.addDockWidget(area, dock);
  return dock;
}

}  // namespace

WorkbenchDocks buildWorkbenchDocks(QMainWindow& window, TimeAxisModel* axis) {
  WorkbenchDocks docks;
  QMainWindow* parent = &window;
  docks.browser = new SessionBrowser(parent);
  auto* sessionsDock =
      addDock(window, docks.browser, tr("Sessions"), "dock.sessions", Qt::LeftDockWidgetArea);
  docks.runPanel = new RunPanel(parent);
  auto* runDock = addDock(window, docks.runPanel, tr("Run"), "dock.run", Qt::RightDockWidgetArea);
  docks.playbackPanel = new PlaybackPanel(parent);
  auto* playDock = addDock(window, docks.playbackPanel, tr("Live playback"), "dock.playback",
                           Qt::RightDockWidgetArea);
  window.splitDockWidget(runDock, playDock, Qt::Vertical);
  docks.probabilities = new WindowSeriesChart(axis, WindowSeriesChart::Kind::Probabilities, parent);
  auto* probabilityDock = addDock(window, docks.probabilities, tr("Class probabilities"),
                                  "dock.probabilities", Qt::BottomDockWidgetArea);
  docks.motifs = new WindowSeriesChart(axis, WindowSeriesChart::Kind::MotifScores, parent);
  auto* motifDock =
      addDock(window, docks.motifs, tr("Motif scores"), "dock.motifs", Qt::BottomDockWidgetArea);
  docks.latent = new LatentHeatmapView(axis, parent);
  auto* latentDock =
      addDock(window, docks.latent, tr("Latent"), "dock.latent", Qt::BottomDockWidgetArea);
  auto* parityPage = new QWidget(parent);
  auto* parityLayout = new QVBoxLayout(parityPage);
  parityLayout->setContentsMargins(0, 0, 0, 0);
  docks.paritySides = new ParitySidesBar(parityPage);
  docks.parity = new ParityView(axis, parityPage);
  parityLayout->addWidget(docks.paritySides);
  parityLayout->addWidget(docks.parity, 1);
  // The parity view stacks a chart, a table, lists and two plots: its minimum height would
  // become the minimum of the whole tabbed bottom area and squeeze the timeline. Scrolled, the
  // dock can be as small as the latent heatmap it shares a tab with.
  auto* parityScroll = new QScrollArea(parent);
  parityScroll->setWidgetResizable(true);
  parityScroll->setFrameShape(QFrame::NoFrame);
  parityScroll->setWidget(parityPage);
  docks.parityDock =
      addDock(window, parityScroll, tr("Parity"), "dock.parity", Qt::BottomDockWidgetArea);
  window.splitDockWidget(probabilityDock, motifDock, Qt::Vertical);
  window.splitDockWidget(motifDock, latentDock, Qt::Vertical);
  window.resizeDocks({sessionsDock, runDock}, {330, 290}, Qt::Horizontal);
  window.tabifyDockWidget(latentDock, docks.parityDock);
  latentDock->raise();
  window.resizeDocks({probabilityDock, motifDock, latentDock}, {130, 130, 130}, Qt::Vertical);
  const auto backends = registryBackendChoices();
  docks.runPanel->setBackends(backends);
  docks.paritySides->setBackends(backends);
  return docks;
}

}  // namespace imuwb::widgets
