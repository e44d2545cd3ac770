// Every chart answers hover with the time and the values under the pointer. Before, only the
// latent and heatmap views did: the probability (lines and stacked), motif-line, raw-signal,
// set-size and parity cosine charts showed only their help text. For each, the pointer is put
// over a known window or sample, and the readout must name its time and the values, read here
// straight from the data the chart was given (not from the chart).
#include <QHelpEvent>
#include <QTest>
#include <QToolTip>
#include <QValueAxis>

#include "ParityCosineChart.hpp"
#include "ParityTestSupport.hpp"
#include "SessionPlotData.hpp"
#include "SetSizeStrip.hpp"
#include "SignalGroupChart.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowSeriesChart.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

// The viewport position of time t, halfway down the plot.
QPoint positionOf(const TimeChartView& chart, double t) {
  const auto plot = chart.plotRect();
  return QPointF(chart.mapping().toX(t), plot.center().y()).toPoint();
}

// Sends a real tooltip event to the chart's viewport and returns what the tooltip shows.
QString hoverText(TimeChartView& chart, QPoint position) {
  QHelpEvent help(QEvent::ToolTip, position, chart.viewport()->mapToGlobal(position));
  QCoreApplication::sendEvent(chart.viewport(), &help);
  return QToolTip::isVisible() ? QToolTip::text() : QString();
}

void prepare(TimeChartView& chart, TimeAxisModel& axis, TimeRange view) {
  axis.setView(view);
  chart.resize(900, 220);
  chart.show();
  QVERIFY(QTest::qWaitForWindowExposed(&chart));
  chart.refreshNow();
}

}  // namespace

class ChartHoverTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void windowChartsReadTheNearestWindow_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("style");
    QTest::newRow("probabilities, lines")
        << int(WindowSeriesChart::Kind::Probabilities) << int(WindowSeriesChart::Style::Lines);
    QTest::newRow("probabilities, stacked") << int(WindowSeriesChart::Kind::Probabilities)
                                            << int(WindowSeriesChart::Style::StackedAreas);
    QTest::newRow("motif scores, lines")
        << int(WindowSeriesChart::Kind::MotifScores) << int(WindowSeriesChart::Style::Lines);
  }
  void windowChartsReadTheNearestWindow() {
    QFETCH(int, kind);
    QFETCH(int, style);
    auto session = testing::syntheticSession(6000);
    auto outputs = std::make_shared<ModelOutputs>(testing::syntheticOutputs(*session));
    TimeAxisModel axis;
    axis.setExtent({0, session->durationSeconds()});
    ClassPalette palette;
    WindowSeriesChart chart(&axis, static_cast<WindowSeriesChart::Kind>(kind));
    chart.setOutputs(outputs, &palette);
    chart.setStyle(static_cast<WindowSeriesChart::Style>(style));
    prepare(chart, axis, {10, 40});
    for (const std::size_t w : {25u, 37u, 60u}) {
      const double centre = 0.5 * w + 0.5;  // stride 50 at 100 Hz, 1 s windows
      const QString text = hoverText(chart, positionOf(chart, centre));
      QVERIFY2(text.contains(QStringLiteral("window %1 ").arg(w)), qPrintable(text));
      QVERIFY2(text.contains(formatTime(centre, 0.01)), qPrintable(text));
      // The values, as syntheticOutputs makes them.
      if (kind == int(WindowSeriesChart::Kind::Probabilities)) {
        const std::size_t cls = (w / 10) % 3;
        const char* names[] = {"stand", "walk", "trot"};
        for (std::size_t c = 0; c < 3; ++c)
          QVERIFY2(text.contains(
                       QStringLiteral("%1: %2").arg(names[c]).arg(c == cls ? 0.8 : 0.1, 0, 'f', 3)),
                   qPrintable(text));
      } else {
        for (std::size_t m = 0; m < 12; ++m) {
          const double score = 0.5 + 0.5 * std::sin(0.1 * w + m);
          QVERIFY2(text.contains(QStringLiteral("%1: %2").arg(m).arg(score, 0, 'f', 3)),
                   qPrintable(text));
        }
      }
    }
    // Outside the plot, the help text stays.
    QVERIFY(chart.describeAt(QPointF(2, chart.plotRect().center().y())).isEmpty());
  }

  void signalChartsReadTheNearestSample() {
    auto session = testing::syntheticSession(6000);
    auto data = std::make_shared<SessionPlotData>(session);
    TimeAxisModel axis;
    axis.setExtent({0, session->durationSeconds()});
    for (auto group : {SensorGroup::Accelerometer, SensorGroup::Gyroscope}) {
      SignalGroupChart chart(&axis, data, 1, group);
      prepare(chart, axis, {12, 13});  // 100 samples over ~800 px: one sample per 8 px
      for (const std::size_t row : {1203u, 1250u, 1297u}) {
        const double t = row / 100.0;
        const QString text = hoverText(chart, positionOf(chart, t));
        QVERIFY2(text.contains(QStringLiteral("harness")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("sample %1)").arg(row)), qPrintable(text));
        QVERIFY2(text.contains(formatTime(t, 0.01)), qPrintable(text));
        for (int k = 0; k < 3; ++k) {
          const int channel = static_cast<int>(group) * 3 + k;
          const double value = session->devices[1].samples[row * kChannelCount + channel];
          QVERIFY2(text.contains(QStringLiteral(": %1 ").arg(value, 0, 'g', 5)), qPrintable(text));
        }
      }
    }
  }

  void setSizeStripReadsTheWindow() {
    TimeAxisModel axis;
    axis.setExtent({0, 100});
    SetSizeStrip strip(&axis);
    std::vector<double> centres;
    std::vector<int> sizes;
    for (int w = 0; w < 199; ++w) centres.push_back(0.5 * w + 0.5), sizes.push_back(1 + w % 3);
    strip.setSizes(centres, sizes, 3, QStringLiteral("set size"));
    prepare(strip, axis, {0, 50});
    const QString text = hoverText(strip, positionOf(strip, 0.5 * 44 + 0.5));
    QVERIFY2(text.contains(QStringLiteral("window 44: set of %1 of 3").arg(1 + 44 % 3)),
             qPrintable(text));
  }

  void parityCosineChartReadsEveryOutput() {
    const auto result = testing::dippingParity();
    TimeAxisModel axis;
    axis.setExtent({0, 201});
    ParityCosineChart chart(&axis);
    chart.showResult(result.get());
    chart.yAxis()->setRange(0.7, 1.0);
    prepare(chart, axis, {0, 100});
    const std::size_t w = 41;  // a window where motif_scores dips
    const QString text = hoverText(chart, positionOf(chart, 0.5 * w + 0.5));
    QVERIFY2(text.contains(QStringLiteral("window %1 ").arg(w)), qPrintable(text));
    for (const auto& out : result->outputs)
      QVERIFY2(text.contains(QStringLiteral("%1: cosine %2")
                                 .arg(QString::fromStdString(out.output))
                                 .arg(static_cast<double>(out.cosinePerWindow[w]), 0, 'f', 4)),
               qPrintable(text));
  }
};

QTEST_MAIN(ChartHoverTest)
#include "ChartHoverTest.moc"
