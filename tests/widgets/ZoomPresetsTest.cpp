// Zoom presets and zoom to selection are one click away. Before, reaching 10 s from a day took
// 18 wheel notches, and zoom to selection was only Shift+drag then Ctrl+E, with nothing on
// screen saying so. The window's toolbar (and View > Zoom To) has 10 s, 1 min, 10 min, 1 h and
// All, and Zoom to Selection; every chart's right-click menu has the same entries. Triggering
// each must set the visible span to the preset (around the cursor), or to the whole recording.
#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QTest>
#include <QTimer>
#include <QToolBar>

#include "MainWindow.hpp"
#include "TimeChartView.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowSeriesChart.hpp"
#include "ZoomPresets.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

const QStringList kNames = {"zoom.10s", "zoom.1min", "zoom.10min",
                            "zoom.1h",  "zoom.all",  "zoom.selection"};

// Opens the chart's context menu, collects the names of its actions, and closes it.
QStringList contextMenuActions(TimeChartView& chart) {
  QStringList names;
  QTimer::singleShot(0, [&names] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    for (auto* action : menu->actions()) names << action->objectName();
    menu->close();
  });
  const QPoint at = chart.plotRect().center().toPoint();
  QContextMenuEvent event(QContextMenuEvent::Mouse, at, chart.viewport()->mapToGlobal(at));
  QCoreApplication::sendEvent(chart.viewport(), &event);
  return names;
}

}  // namespace

class ZoomPresetsTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void toolbarPresetsSetTheSpan() {
    MainWindow window;
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* axis = window.timeAxis();
    axis->setExtent({0, 4 * 3600.0});
    auto* toolbar = window.findChild<QToolBar*>("toolbar.zoom");
    QVERIFY(toolbar);
    QVERIFY(toolbar->isVisible());
    axis->setCursor(7200);
    const double spans[] = {10, 60, 600, 3600};
    for (int k = 0; k < 4; ++k) {
      auto* action = window.findChild<QAction*>(kNames[k]);
      QVERIFY2(action, qPrintable(kNames[k]));
      QVERIFY(toolbar->actions().contains(action));
      action->trigger();
      QCOMPARE(axis->view().length(), spans[k]);
      QVERIFY(axis->view().contains(7200));  // around the cursor
      QCOMPARE(axis->view().start_s + spans[k] / 2, 7200.0);
    }
    window.findChild<QAction*>("zoom.all")->trigger();
    QCOMPARE(axis->view(), axis->extent());
    // Longer than the recording: all of it.
    axis->setExtent({0, 30});
    window.findChild<QAction*>("zoom.10min")->trigger();
    QCOMPARE(axis->view(), axis->extent());
  }

  void zoomToSelectionIsOnTheToolbar() {
    MainWindow window;
    window.show();
    auto* axis = window.timeAxis();
    axis->setExtent({0, 3600});
    auto* toSelection = window.findChild<QAction*>("zoom.selection");
    QVERIFY(toSelection);
    QVERIFY(window.findChild<QToolBar*>("toolbar.zoom")->actions().contains(toSelection));
    QVERIFY(!toSelection->isEnabled());  // nothing selected yet
    axis->setSelection({100, 130});
    QVERIFY(toSelection->isEnabled());
    QCOMPARE(toSelection->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    toSelection->trigger();
    QCOMPARE(axis->view(), (TimeRange{100, 130}));
  }

  void everyChartsContextMenuOffersThem() {
    TimeAxisModel axis;
    axis.setExtent({0, 3600});
    WindowSeriesChart chart(&axis, WindowSeriesChart::Kind::Probabilities);
    chart.resize(600, 200);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QStringList names = contextMenuActions(chart);
    for (const auto& name : kNames) QVERIFY2(names.contains(name), qPrintable(names.join(",")));
    // The menu's own actions do what the toolbar's do.
    QMenu menu;
    addZoomActions(&menu, &axis, &menu, false);
    axis.setCursor(1800);
    menu.findChild<QAction*>("zoom.1min")->trigger();
    QCOMPARE(axis.view(), (TimeRange{1770, 1830}));
  }
};

QTEST_MAIN(ZoomPresetsTest)
#include "ZoomPresetsTest.moc"
