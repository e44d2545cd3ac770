// One cursor, one selection, one visible range: input on any view must show up in every view,
// at the same pixel column.
#include <QMouseEvent>
#include <QTest>
#include <QValueAxis>
#include <QWheelEvent>

#include <QListWidget>
#include "LabelStrip.hpp"
#include "LatentHeatmapView.hpp"
#include "MainWindow.hpp"
#include "SessionBrowser.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowSeriesChart.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class TimeAxisSyncTest : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<MainWindow> window_;
  std::vector<TimeChartView*> allCharts() {
    std::vector<TimeChartView*> out(window_->timeline()->charts().begin(),
                                    window_->timeline()->charts().end());
    out.push_back(window_->probabilityChart());
    out.push_back(window_->motifChart());
    return out;
  }

 private slots:
  void init() {
    testing::isolateSettings();
    auto session = testing::syntheticSession(60000);  // 10 min
    auto outputs = std::make_shared<const ModelOutputs>(testing::syntheticOutputs(*session));
    window_ = std::make_unique<MainWindow>(
        [](const RunRequest&, const JobControl&) { return ModelOutputs{}; });
    window_->resetLayout();
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    window_->addSession(session);
    window_->showOutputs(outputs);
    QCoreApplication::processEvents();
    window_->refreshAllNow();
  }
  void cleanup() { window_.reset(); }

  void clickSetsCursorEverywhereAtTheSameColumn() {
    auto* first = window_->timeline()->charts().front();
    const QRectF plot = first->plotRect();
    const QPoint click(static_cast<int>(plot.left() + plot.width() * 0.3),
                       static_cast<int>(plot.center().y()));
    QTest::mouseClick(first->viewport(), Qt::LeftButton, {}, click);
    const double cursor = window_->timeAxis()->cursor();
    QVERIFY(cursor > 0);
    QCOMPARE_LT(std::abs(first->mapping().toX(cursor) - click.x()), 1.0);
    // Every chart (timeline and output docks) maps the cursor to the same x in its own widget:
    // they share margins and, thanks to the dock corners, the same width.
    for (auto* chart : allCharts()) {
      QCOMPARE(chart->viewport()->width(), first->viewport()->width());
      QCOMPARE_LT(std::abs(chart->mapping().toX(cursor) - click.x()), 1.0);
    }
    QCOMPARE(window_->latentView()->width(), first->viewport()->width());
    QCOMPARE(window_->timeline()->labelStrip()->width(), first->viewport()->width());
  }

  // What a chart shows follows the view: its data layer was painted for it, and Qt Charts'
  // x axis, which places the chart's own series, matches it when the chart has series.
  static void expectDrawnFor(TimeChartView* chart, TimeRange view) {
    QCOMPARE(chart->layerView(), view);
    if (!chart->chart()->series().isEmpty()) {
      QCOMPARE(chart->xAxis()->min(), view.start_s);
      QCOMPARE(chart->xAxis()->max(), view.end_s);
    }
  }

  void wheelZoomMovesEveryAxis() {
    auto* motif = window_->motifChart();
    const auto before = window_->timeAxis()->view();
    const QPointF at(motif->plotRect().center());
    QWheelEvent wheel(at, motif->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 240),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(motif->viewport(), &wheel);
    const auto after = window_->timeAxis()->view();
    QVERIFY(after.length() < before.length() * 0.9);
    QCoreApplication::processEvents();  // the views refresh on the next event-loop turn
    for (auto* chart : allCharts()) expectDrawnFor(chart, after);
  }

  void dragPansAndShiftDragSelects() {
    window_->timeAxis()->setView({100, 200});
    auto* chart = window_->timeline()->charts()[2];
    const QRectF plot = chart->plotRect();
    const int y = static_cast<int>(plot.center().y());
    const int x0 = static_cast<int>(plot.left() + plot.width() * 0.5);
    const int x1 = static_cast<int>(plot.left() + plot.width() * 0.25);
    QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, QPoint(x0, y));
    QTest::mouseMove(chart->viewport(), QPoint(x1, y));
    QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, QPoint(x1, y));
    const auto view = window_->timeAxis()->view();
    QVERIFY(view.start_s > 120 && view.start_s < 130);  // dragged left by a quarter = +25 s
    QCOMPARE_LT(std::abs(view.length() - 100), 1e-9);

    QTest::mousePress(chart->viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(x1, y));
    QTest::mouseMove(chart->viewport(), QPoint(x0, y));
    QTest::mouseRelease(chart->viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(x0, y));
    const auto selection = window_->timeAxis()->selection();
    QVERIFY(selection.valid());
    QCOMPARE_LT(std::abs(selection.start_s - chart->mapping().toTime(x1)), 1e-6);
    QCOMPARE_LT(std::abs(selection.end_s - chart->mapping().toTime(x0)), 1e-6);
    // Double-click zooms every view to the selection.
    QTest::mouseDClick(window_->latentView(), Qt::LeftButton, {}, QPoint(x0, 20));
    QCOMPARE(window_->timeAxis()->view(), selection);
    QCoreApplication::processEvents();
    for (auto* other : allCharts()) expectDrawnFor(other, selection);
  }

  void keyboardNavigation() {
    window_->timeAxis()->setView({100, 200});
    auto* chart = window_->timeline()->charts().front();
    chart->setFocus();
    QTest::keyClick(chart, Qt::Key_Right);
    QCOMPARE_LT(std::abs(window_->timeAxis()->view().start_s - 110), 1e-9);
    QTest::keyClick(chart, Qt::Key_Minus);
    QCOMPARE_LT(std::abs(window_->timeAxis()->view().length() - 200), 1e-9);
    QTest::keyClick(chart, Qt::Key_Home);
    QCOMPARE(window_->timeAxis()->view(), window_->timeAxis()->extent());
  }

  void findingClickJumpsToItsTime() {
    Finding finding;
    finding.severity = Severity::Warning;
    finding.code = "flat_channel";
    finding.message = "planted";
    finding.start_s = 300;
    finding.end_s = 304;
    auto session = testing::syntheticSession(60000, 2);
    window_->addSession(session, {finding});
    auto* list = window_->sessionBrowser()->findingsList();
    QCOMPARE(list->count(), 1);
    emit list->itemActivated(list->item(0));
    QCOMPARE(window_->timeAxis()->selection().start_s, 300.0);
    QVERIFY(window_->timeAxis()->view().contains(302));
  }
};

QTEST_MAIN(TimeAxisSyncTest)
#include "TimeAxisSyncTest.moc"
