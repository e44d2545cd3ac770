// Legends never cover data. Before, the title and colour keys were drawn on a plate inside the
// top of the plot: in the default Lines style the probability keys sat on y = 1.0, where the
// winning class's line runs, and the signal keys on the traces. Now they have a strip above the
// plot: on every chart that shows keys, the legend's rectangle must not intersect the plot's
// data rectangle, and y = 1.0 (the top probability) must be inside the plot, below the legend.
#include <QTest>
#include <QValueAxis>

#include "ParityCosineChart.hpp"
#include "ParityTestSupport.hpp"
#include "SessionPlotData.hpp"
#include "SignalGroupChart.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowSeriesChart.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

void checkLegendOutsideData(TimeChartView& chart, int height) {
  chart.resize(700, height);
  chart.show();
  QVERIFY(QTest::qWaitForWindowExposed(&chart));
  chart.refreshNow();
  const QRectF legend = chart.legendRect();
  const QRectF plot = chart.plotRect();
  QVERIFY2(!legend.isEmpty(), qPrintable(chart.titleText()));
  QVERIFY2(!legend.intersects(plot),
           qPrintable(QStringLiteral("%1: legend (%2, %3, %4 x %5) over the plot (top %6)")
                          .arg(chart.titleText())
                          .arg(legend.x())
                          .arg(legend.y())
                          .arg(legend.width())
                          .arg(legend.height())
                          .arg(plot.top())));
  QVERIFY(legend.bottom() <= plot.top());
  QVERIFY(plot.height() > 0);
}

}  // namespace

class LegendPlacementTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void outputChartsKeepTheTopOfTheDataClear() {
    auto session = testing::syntheticSession(3000);
    auto outputs = std::make_shared<ModelOutputs>(testing::syntheticOutputs(*session));
    TimeAxisModel axis;
    axis.setExtent({0, session->durationSeconds()});
    ClassPalette palette;
    for (auto kind : {WindowSeriesChart::Kind::Probabilities, WindowSeriesChart::Kind::MotifScores})
      for (int height : {90, 130, 300}) {
        WindowSeriesChart chart(&axis, kind);
        chart.setOutputs(outputs, &palette);
        QCOMPARE(chart.style(), WindowSeriesChart::Style::Lines);
        checkLegendOutsideData(chart, height);
        // y = 1.0 (a winning probability) lies inside the plot, under the legend strip.
        const auto plot = chart.plotRect();
        const double low = chart.yAxis()->min(), high = chart.yAxis()->max();
        const double yOne = plot.top() + (high - 1.0) / (high - low) * plot.height();
        QVERIFY(yOne > plot.top() && yOne < plot.bottom());
        QVERIFY(yOne > chart.legendRect().bottom());
      }
  }

  void signalChartsKeepTracesClear() {
    auto session = testing::syntheticSession(3000);
    auto data = std::make_shared<SessionPlotData>(session);
    TimeAxisModel axis;
    axis.setExtent({0, session->durationSeconds()});
    for (auto group :
         {SensorGroup::Accelerometer, SensorGroup::Gyroscope, SensorGroup::Magnetometer}) {
      SignalGroupChart chart(&axis, data, 0, group);
      checkLegendOutsideData(chart, 70);
    }
  }

  void parityChartKeepsItsLinesClear() {
    const auto result = testing::dippingParity();
    TimeAxisModel axis;
    axis.setExtent({0, 201});
    ParityCosineChart chart(&axis);
    chart.showResult(result.get());
    checkLegendOutsideData(chart, 160);
  }
};

QTEST_MAIN(LegendPlacementTest)
#include "LegendPlacementTest.moc"
