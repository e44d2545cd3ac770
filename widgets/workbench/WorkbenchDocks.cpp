#include "WorkbenchDocks.hpp"

#include <QDockWidget>
#include <QMainWindow>
#include <QScrollArea>
#include <QVBoxLayout>
#include <string>
#include <utility>
#include <vector>

#include "EvaluationPanel.hpp"
#include "LatentHeatmapView.hpp"
#include "ParitySidesBar.hpp"
#include "ParityView.hpp"
#include "PlaybackPanel.hpp"
#include "RunPanel.hpp"
#include "SessionBrowser.hpp"
#include "SetSizeStrip.hpp"
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

// A tall panel in a scroll area, so its minimum height does not become the minimum of the whole
// tabbed bottom area (the dock can be as small as the latent heatmap it shares a tab with).
QScrollArea* scrolled(QWidget* parent, QWidget* page) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(page);
  return scroll;
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
  auto* probabilityPage = new QWidget(parent);
  auto* probabilityLayout = new QVBoxLayout(probabilityPage);
  probabilityLayout->setContentsMargins(0, 0, 0, 0);
  probabilityLayout->setSpacing(0);
  docks.probabilities =
      new WindowSeriesChart(axis, WindowSeriesChart::Kind::Probabilities, probabilityPage);
  docks.setSizes = new SetSizeStrip(axis, probabilityPage);
  docks.setSizes->setMaximumHeight(90);
  docks.setSizes->setMinimumHeight(24);  // a thin strip on a small screen
  probabilityLayout->addWidget(docks.probabilities, 1);
  probabilityLayout->addWidget(docks.setSizes);
  auto* probabilityDock = addDock(window, probabilityPage, tr("Class probabilities"),
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
  docks.parityDock = addDock(window, scrolled(parent, parityPage), tr("Parity"), "dock.parity",
                             Qt::BottomDockWidgetArea);
  docks.evaluation = new EvaluationPanel(parent);
  docks.evaluation->setSetSizeStrip(docks.setSizes);
  docks.evaluationDock = addDock(window, scrolled(parent, docks.evaluation), tr("Evaluation"),
                                 "dock.evaluation", Qt::BottomDockWidgetArea);
  window.splitDockWidget(probabilityDock, motifDock, Qt::Vertical);
  window.splitDockWidget(motifDock, latentDock, Qt::Vertical);
  window.resizeDocks({sessionsDock, runDock}, {330, 290}, Qt::Horizontal);
  window.tabifyDockWidget(latentDock, docks.parityDock);
  window.tabifyDockWidget(docks.parityDock, docks.evaluationDock);
  latentDock->raise();
  window.resizeDocks({probabilityDock, motifDock, latentDock}, {130, 130, 130}, Qt::Vertical);
  const auto backends = registryBackendChoices();
  docks.runPanel->setBackends(backends);
  docks.paritySides->setBackends(backends);
  docks.evaluation->setBackends(backends);
  return docks;
}

}  // namespace imuwb::widgets
