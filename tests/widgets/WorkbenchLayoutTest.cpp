// The workbench's layout fits from 1024x700 up to 2560x1440. Before, at 1024x700 the side panels
// took ~60 % of the width and only 3 of 6 channel charts were visible; that layout came back
// after a restart and Reset Layout barely helped; the Parity tab was ~90 px tall, running parity
// squeezed the timeline to one chart, and the parity table cut columns off. Here, at both sizes:
// all six channel charts of a two-device session are visible with a readable height, the side
// docks leave the timeline most of the width (collapsed into tabs when narrow), the parity tab
// and the table fit, and a squeezed layout, saved or made by hand, is replaced by the default.
#include <QDockWidget>
#include <QHeaderView>
#include <QSettings>
#include <QTableWidget>
#include <QTest>

#include "DefaultDockLayout.hpp"
#include "MainWindow.hpp"
#include "ParityTestSupport.hpp"
#include "ParityView.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"
#include "WidgetTestSupport.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

QDockWidget* dock(MainWindow& window, const char* name) {
  return window.findChild<QDockWidget*>(name);
}

// The part of widget's rectangle (its own coordinates) that no ancestor clips away: a chart
// pushed past the bottom of the timeline's scroll area, or a table past its dock, loses it.
QRect unclipped(const QWidget* widget) {
  QRect visible = widget->rect();
  for (const QWidget* w = widget; w->parentWidget() && !w->isWindow(); w = w->parentWidget()) {
    const QWidget* parent = w->parentWidget();
    const QRect inParent(widget->mapTo(parent, visible.topLeft()), visible.size());
    const QRect kept = inParent.intersected(parent->rect());
    visible = QRect(widget->mapFrom(parent, kept.topLeft()), kept.size());
    if (visible.isEmpty()) return {};
  }
  return visible;
}

void settle() {
  for (int k = 0; k < 5; ++k) QTest::qWait(20);
}

// Every channel chart fully inside the visible timeline, at least kReadableChartHeight tall.
void checkChartsVisible(MainWindow& window, const char* when) {
  const auto& charts = window.timeline()->charts();
  QCOMPARE(charts.size(), std::size_t{6});
  for (auto* chart : charts) {
    const QRect visible = unclipped(chart);
    QVERIFY2(chart->isVisible() && chart->height() >= kReadableChartHeight &&
                 visible.height() == chart->height() && visible.width() == chart->width(),
             qPrintable(QStringLiteral("%1: %2 is %3 px tall, %4 px of it visible")
                            .arg(when, chart->titleText())
                            .arg(chart->height())
                            .arg(visible.height())));
  }
}

// The side docks together take at most a third of the width.
void checkSidesNarrow(MainWindow& window, const char* when) {
  const int sides = window.width() - window.centralWidget()->width();
  QVERIFY2(sides <= window.width() / 3, qPrintable(QStringLiteral("%1: side docks take %2 px of %3")
                                                       .arg(when)
                                                       .arg(sides)
                                                       .arg(window.width())));
}

// QTableView::sizeHintForColumn (the width a column's contents need) is protected; a pointer to
// it taken through a derived class may be called on any table.
struct SizeHintAccess : QTableWidget {
  using QTableView::sizeHintForColumn;
};
int contentsWidth(const QTableWidget* table, int column) {
  constexpr auto hint = &SizeHintAccess::sizeHintForColumn;
  return (table->*hint)(column);
}

// No column of the parity table is cut off: each is at its contents' width, inside the table's
// viewport, and the table itself is wholly visible in its dock.
void checkParityTable(MainWindow& window) {
  auto* table = window.parityView()->table();
  auto* header = table->horizontalHeader();
  for (int c = 0; c < table->columnCount(); ++c) {
    const int needed = std::max(contentsWidth(table, c), header->sectionSizeHint(c));
    QVERIFY2(header->sectionSize(c) >= needed && header->sectionViewportPosition(c) >= 0 &&
                 header->sectionViewportPosition(c) + header->sectionSize(c) <=
                     table->viewport()->width(),
             qPrintable(QStringLiteral("column %1: %2 px at %3, needs %4, viewport %5")
                            .arg(c)
                            .arg(header->sectionSize(c))
                            .arg(header->sectionViewportPosition(c))
                            .arg(needed)
                            .arg(table->viewport()->width())));
  }
  const QRect visible = unclipped(table);
  QVERIFY2(
      visible.width() == table->width(),
      qPrintable(
          QStringLiteral("table %1 px wide, %2 visible").arg(table->width()).arg(visible.width())));
}

}  // namespace

class WorkbenchLayoutTest : public QObject {
  Q_OBJECT
 private slots:
  void init() {
    testing::isolateSettings();
    QSettings().clear();
  }

  void fitsTheScreen_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("2560x1440") << QSize(2560, 1440);
  }
  void fitsTheScreen() {
    QFETCH(QSize, size);
    MainWindow window;
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.addSession(testing::syntheticSession(6000, 3, 2));
    settle();
    checkChartsVisible(window, "opened");
    checkSidesNarrow(window, "opened");
    if (size.width() < kNarrowWindowWidth)  // side docks collapsed into one tabbed column
      QVERIFY(window.tabifiedDockWidgets(dock(window, "dock.sessions"))
                  .contains(dock(window, "dock.run")));
    // The default parity tab has room for its chart.
    dock(window, "dock.parity")->raise();
    settle();
    const int minimumParity = size.height() < 900 ? 110 : 300;
    QVERIFY2(dock(window, "dock.parity")->height() >= minimumParity,
             qPrintable(QString::number(dock(window, "dock.parity")->height())));
    // A parity result gives the dock more room, but not the timeline's.
    window.showParity(testing::dippingParity());
    settle();
    checkChartsVisible(window, "after parity");
    QVERIFY(dock(window, "dock.parity")->height() >= minimumParity);
    checkParityTable(window);
  }

  void resetLayoutRestoresTheDefault() {
    MainWindow window;
    window.resize(1024, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.addSession(testing::syntheticSession(3000, 3, 2));
    settle();
    // Squeeze it by hand: the sessions panel over most of the width, the bottom over the height.
    window.resizeDocks({dock(window, "dock.sessions")}, {700}, Qt::Horizontal);
    window.resizeDocks({dock(window, "dock.latent")}, {500}, Qt::Vertical);
    settle();
    QVERIFY(layoutSqueezesTimeline(window));
    window.resetLayout();
    settle();
    QVERIFY(!layoutSqueezesTimeline(window));
    checkChartsVisible(window, "reset");
    checkSidesNarrow(window, "reset");
  }

  void aSavedSqueezedLayoutDoesNotComeBack() {
    {
      MainWindow window;
      window.resize(1024, 700);
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      settle();
      window.resizeDocks({dock(window, "dock.sessions")}, {700}, Qt::Horizontal);
      settle();
      QVERIFY(layoutSqueezesTimeline(window));
      window.close();  // saves geometry and layout
    }
    QVERIFY(!QSettings().value("windowState").toByteArray().isEmpty());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.addSession(testing::syntheticSession(3000, 3, 2));
    settle();
    QVERIFY(!layoutSqueezesTimeline(window));
    checkChartsVisible(window, "restored");
    checkSidesNarrow(window, "restored");
  }

  void narrowingCollapsesTheSideDocks() {
    MainWindow window;
    window.resize(1800, 1000);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    settle();
    QCOMPARE(window.dockWidgetArea(dock(window, "dock.run")), Qt::RightDockWidgetArea);
    window.resize(1024, 700);
    settle();
    QCOMPARE(window.dockWidgetArea(dock(window, "dock.run")), Qt::LeftDockWidgetArea);
    checkSidesNarrow(window, "narrowed");
    window.resize(1800, 1000);
    settle();
    QCOMPARE(window.dockWidgetArea(dock(window, "dock.run")), Qt::RightDockWidgetArea);
  }
};

QTEST_MAIN(WorkbenchLayoutTest)
#include "WorkbenchLayoutTest.moc"
