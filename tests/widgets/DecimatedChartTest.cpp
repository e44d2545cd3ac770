// What the signal chart hands to Qt Charts must keep every extreme: for every pixel column of
// the plot, the largest and smallest y among the series points in that column equal a brute
// force scan of the raw samples that fall in it (computed here, independently of core).
#include <QTest>
#include <QValueAxis>
#include <cmath>
#include <map>

#include "ClassPalette.hpp"
#include "SessionPlotData.hpp"
#include "SignalGroupChart.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

class DecimatedChartTest : public QObject {
  Q_OBJECT
 private slots:
  void everyColumnKeepsItsExtremes_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<double>("viewStart");
    QTest::addColumn<double>("viewEnd");
    QTest::newRow("10 min, all") << 60000 << 0.0 << 600.0;
    QTest::newRow("2 h, all") << 720000 << 0.0 << 7200.0;
    QTest::newRow("2 h, odd window") << 720000 << 1234.567 << 3456.789;
    QTest::newRow("zoomed to raw") << 60000 << 100.0 << 103.0;
  }

  void everyColumnKeepsItsExtremes() {
    QFETCH(int, rows);
    QFETCH(double, viewStart);
    QFETCH(double, viewEnd);
    auto session = testing::syntheticSession(static_cast<std::size_t>(rows), 11, 1);
    auto data = std::make_shared<const SessionPlotData>(session);
    TimeAxisModel axis;
    axis.setExtent({0, session->durationSeconds()});
    SignalGroupChart chart(&axis, data, 0, SensorGroup::Gyroscope);
    chart.resize(1000, 200);
    chart.show();
    axis.setView({viewStart, viewEnd});
    chart.refreshNow();
    const auto view = axis.view();
    const int columns = static_cast<int>(chart.plotRect().width());
    const double step = view.length() / columns;
    for (int axisIndex = 0; axisIndex < 3; ++axisIndex) {
      const int channel = 3 + axisIndex;
      const auto points = chart.tracePoints(axisIndex);
      QVERIFY(!points.isEmpty());
      const bool raw = (viewEnd - viewStart) * 100 < 2 * columns;
      if (raw) {
        // Zoomed in: the raw samples themselves, in order.
        for (const auto& p : points) {
          const auto row = static_cast<std::size_t>(std::llround(p.x() * 100));
          QCOMPARE(p.x(), row / 100.0);
          QCOMPARE(static_cast<float>(p.y()), session->devices[0].at(row, channel));
        }
        continue;
      }
      // Brute force per column: sample row r lies in column floor((r/100 - start) / step).
      std::map<int, std::pair<float, float>> expected;
      for (std::size_t r = 0; r < session->sampleCount(); ++r) {
        const double t = r / 100.0;
        if (t < view.start_s || t >= view.end_s) continue;
        const int column = std::min(columns - 1, static_cast<int>((t - view.start_s) / step));
        const float v = session->devices[0].at(r, channel);
        auto [it, inserted] = expected.try_emplace(column, v, v);
        it->second.first = std::min(it->second.first, v);
        it->second.second = std::max(it->second.second, v);
      }
      std::map<int, std::pair<float, float>> drawn;
      for (const auto& p : points) {
        const int column = static_cast<int>(std::floor((p.x() - view.start_s) / step));
        auto [it, inserted] = drawn.try_emplace(column, float(p.y()), float(p.y()));
        it->second.first = std::min(it->second.first, float(p.y()));
        it->second.second = std::max(it->second.second, float(p.y()));
      }
      // A column's boundary time may land a hair either side of a sample; allow the sample on
      // the boundary to belong to either neighbour, but never lose an extreme.
      int checked = 0;
      for (const auto& [column, range] : expected) {
        QVERIFY2(drawn.count(column), qPrintable(QString("column %1 not drawn").arg(column)));
        const auto got = drawn[column];
        const bool exact = got == range;
        if (!exact) {
          // Accept only a boundary sample shift: the drawn extremes must come from this column
          // widened by one sample each side.
          float lo = range.first, hi = range.second;
          for (int neighbour : {column - 1, column + 1})
            if (expected.count(neighbour)) {
              lo = std::min(lo, expected[neighbour].first);
              hi = std::max(hi, expected[neighbour].second);
            }
          QVERIFY(got.first >= lo && got.second <= hi);
        }
        checked += exact;
      }
      // Boundary ambiguity is rare: nearly every column must match exactly.
      QVERIFY2(checked >= static_cast<int>(expected.size()) * 95 / 100,
               qPrintable(QString("%1 of %2 columns exact").arg(checked).arg(expected.size())));
      // The global extremes (the planted spikes) are drawn exactly.
      float lo = INFINITY, hi = -INFINITY;
      for (const auto& [c, range] : expected) {
        lo = std::min(lo, range.first);
        hi = std::max(hi, range.second);
      }
      float drawnLo = INFINITY, drawnHi = -INFINITY;
      for (const auto& p : points) {
        drawnLo = std::min(drawnLo, float(p.y()));
        drawnHi = std::max(drawnHi, float(p.y()));
      }
      QCOMPARE(drawnLo, lo);
      QCOMPARE(drawnHi, hi);
      QVERIFY(points.size() <= 2 * columns);
    }
  }

  // End to end through the pool-thread data layer: a single-sample spike in a 2 h recording
  // (720 samples per pixel column) must reach the screen at the pixel its time and value map
  // to, computed here from the axis range alone, and nothing else may reach that height.
  void spikesArePaintedWhereTheyBelong() {
    auto session = testing::syntheticSession(720000, 3, 1);
    auto& samples = session->devices[0].samples;
    for (std::size_t r = 0; r < 720000; ++r)
      for (int c = 3; c < 6; ++c) samples[r * kChannelCount + c] = 0.f;
    const std::size_t upRow = 360123, downRow = 100007;
    samples[upRow * kChannelCount + 3] = 200.f;     // gx
    samples[downRow * kChannelCount + 4] = -150.f;  // gy
    auto data = std::make_shared<const SessionPlotData>(session);
    TimeAxisModel axis;
    axis.setExtent({0, session->durationSeconds()});
    SignalGroupChart chart(&axis, data, 0, SensorGroup::Gyroscope);
    chart.resize(1000, 200);
    chart.show();
    axis.setView({0, 7200});
    chart.refreshNow();
    const QImage shot = chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
    const auto plot = chart.plotRect();
    const double yMin = chart.yAxis()->min(), yMax = chart.yAxis()->max();
    QVERIFY(yMin < -150 && yMax > 200);
    auto pixelOf = [&](double t, double v) {
      return QPoint(static_cast<int>(plot.left() + t / 7200.0 * plot.width()),
                    static_cast<int>(plot.top() + (yMax - v) / (yMax - yMin) * plot.height()));
    };
    auto colourNear = [&](QPoint at, QColor colour) {
      for (int dy = -2; dy <= 2; ++dy)
        for (int dx = -2; dx <= 2; ++dx) {
          const QPoint p = at + QPoint(dx, dy);
          if (shot.rect().contains(p) && shot.pixelColor(p).rgb() == colour.rgb()) return true;
        }
      return false;
    };
    QVERIFY2(colourNear(pixelOf(upRow / 100.0, 200), channelColor(0)), "gx spike not painted");
    QVERIFY2(colourNear(pixelOf(downRow / 100.0, -150), channelColor(1)), "gy spike not painted");
    // Half an hour away from both spikes the traces sit at zero: nothing at spike height.
    QVERIFY(!colourNear(pixelOf(upRow / 100.0 - 1800, 200), channelColor(0)));
    QVERIFY(!colourNear(pixelOf(downRow / 100.0 + 1800, -150), channelColor(1)));
    QVERIFY(colourNear(pixelOf(upRow / 100.0 - 1800, 0), channelColor(2)));  // z is drawn last
    // The y values at the top and bottom grid lines are written in the left margin (Qt Charts
    // kept only the middle one in short charts): something other than the background there.
    const QRgb background = shot.pixel(2, static_cast<int>(plot.center().y()) + 20);
    auto inkNear = [&](double y) {
      for (int row = static_cast<int>(y) - 6; row <= static_cast<int>(y) + 6; ++row)
        for (int x = 0; x < static_cast<int>(plot.left()) - 4; ++x)
          if (shot.rect().contains(x, row) && shot.pixel(x, row) != background) return true;
      return false;
    };
    QVERIFY2(inkNear(plot.top()), "no value label at the top grid line");
    QVERIFY2(inkNear(plot.bottom()), "no value label at the bottom grid line");
  }
};

QTEST_MAIN(DecimatedChartTest)
#include "DecimatedChartTest.moc"
