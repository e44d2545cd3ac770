// The parity view on long results: a synthetic ParityResult of 100k windows per output (built
// here, with planted deep dips) must be drawn with at most two points per pixel column, and no
// extreme may be lost: per pixel column, the drawn min/max equal a brute-force scan of the raw
// cosine values whose window centre falls in that column, and the worst window in view is
// always among the drawn points. Zoomed in, the raw windows are drawn exactly. Pans and resizes
// re-decimate without touching the table or the worst-window list. The scatter stays bounded and
// says when it is a sample.
#include <QChartView>
#include <QImage>
#include <QListWidget>
#include <QScatterSeries>
#include <QTableWidget>
#include <QTest>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "ParityView.hpp"
#include "TimeAxisModel.hpp"
#include "TimeChartView.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

constexpr double kStride_s = 0.5;           // stride 50 at 100 Hz
constexpr double kHalfWindow_s = 0.5;       // windows are 100 samples: drawn at start + 0.5 s
constexpr std::size_t kCoreScatter = 4000;  // what core's accumulator keeps by default

// Cosine near 1 with slow wander, noise and a few planted dips; metrics computed by brute force.
std::shared_ptr<analysis::ParityResult> syntheticParity(std::size_t windows, int outputs,
                                                        std::size_t scatterPairs = kCoreScatter,
                                                        std::size_t dim = 16) {
  auto r = std::make_shared<analysis::ParityResult>();
  r->modelName = "synthetic";
  r->a.label = "cpu";
  r->b.label = "int8";
  r->windows = windows;
  for (std::size_t w = 0; w < windows; ++w) r->windowTime_s.push_back(w * kStride_s);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> noise(-0.002f, 0.002f);
  for (int o = 0; o < outputs; ++o) {
    analysis::OutputParity out;
    out.output = "output_" + std::to_string(o);
    out.windows = windows;
    out.dim = dim;
    for (std::size_t w = 0; w < windows; ++w)
      out.cosinePerWindow.push_back(0.99f + 0.005f * std::sin(0.001f * w * (o + 1)) + noise(rng));
    for (int k = 0; k < 25; ++k)
      out.cosinePerWindow[rng() % windows] = 0.5f + 0.4f * static_cast<float>(rng() % 1000) / 1e3f;
    double sum = 0;
    for (float c : out.cosinePerWindow) sum += c;
    out.cosineMean = sum / windows;
    out.cosineMin = *std::min_element(out.cosinePerWindow.begin(), out.cosinePerWindow.end());
    std::vector<std::size_t> order(windows);
    for (std::size_t w = 0; w < windows; ++w) order[w] = w;
    std::partial_sort(order.begin(), order.begin() + 20, order.end(), [&](auto x, auto y) {
      return out.cosinePerWindow[x] < out.cosinePerWindow[y];
    });
    for (int k = 0; k < 20; ++k)
      out.worst.push_back({order[k], order[k] * kStride_s, out.cosinePerWindow[order[k]], 0.01});
    for (std::size_t p = 0; p < scatterPairs; ++p)
      out.scatter.emplace_back(static_cast<float>(p % 97) / 97.f,
                               static_cast<float>(p % 89) / 89.f);
    out.tolerance.minCosine = 0.95;
    out.passed = out.cosineMean >= 0.95;
    r->outputs.push_back(std::move(out));
  }
  return r;
}

struct Shown {
  TimeAxisModel axis;
  ParityView view{&axis};
  explicit Shown(std::shared_ptr<const analysis::ParityResult> result, int width = 1200) {
    axis.setExtent({0, result->windowTime_s.back() + 2 * kHalfWindow_s});
    view.resize(width, 700);
    view.show();
    view.setResult(std::move(result));
  }
  int columns() const { return static_cast<int>(view.cosineChart()->plotRect().width()); }
};

}  // namespace

class ParityViewDecimationTest : public QObject {
  Q_OBJECT
 private slots:
  void everyColumnKeepsItsExtremes_data() {
    QTest::addColumn<double>("viewStart");
    QTest::addColumn<double>("viewEnd");
    QTest::newRow("whole 100k windows") << -1.0 << -1.0;
    QTest::newRow("odd range") << 1234.567 << 31415.9;
  }

  void everyColumnKeepsItsExtremes() {
    QFETCH(double, viewStart);
    QFETCH(double, viewEnd);
    const auto result = syntheticParity(100000, 2);
    Shown shown(result);
    QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
    if (viewStart >= 0) shown.axis.setView({viewStart, viewEnd});
    shown.view.refreshNow();
    const auto view = shown.axis.view();
    const int columns = shown.columns();
    QVERIFY(columns > 100);
    const double step = view.length() / columns;
    QCOMPARE(shown.view.cosineLineCount(), 2);
    for (int o = 0; o < 2; ++o) {
      const auto& cosine = result->outputs[static_cast<std::size_t>(o)].cosinePerWindow;
      const auto points = shown.view.cosinePoints(o);
      QVERIFY(!points.isEmpty());
      QVERIFY2(points.size() <= 2 * columns + 2,
               qPrintable(QString("%1 points on %2 columns").arg(points.size()).arg(columns)));
      // Brute force: window w is drawn at its centre, in column floor((centre - start) / step).
      std::map<int, std::pair<float, float>> expected;
      float worst = INFINITY;
      for (std::size_t w = 0; w < cosine.size(); ++w) {
        const double t = w * kStride_s + kHalfWindow_s;
        if (t < view.start_s || t >= view.end_s) continue;
        const int column = std::min(columns - 1, static_cast<int>((t - view.start_s) / step));
        const float v = cosine[w];
        auto [it, inserted] = expected.try_emplace(column, v, v);
        it->second.first = std::min(it->second.first, v);
        it->second.second = std::max(it->second.second, v);
        worst = std::min(worst, v);
      }
      std::map<int, std::pair<float, float>> drawn;
      float drawnWorst = INFINITY;
      for (const auto& p : points) {
        const int column = static_cast<int>(std::floor((p.x() - view.start_s) / step));
        auto [it, inserted] = drawn.try_emplace(column, float(p.y()), float(p.y()));
        it->second.first = std::min(it->second.first, float(p.y()));
        it->second.second = std::max(it->second.second, float(p.y()));
        drawnWorst = std::min(drawnWorst, float(p.y()));
      }
      // The worst window in view (the lowest cosine) is drawn, exactly.
      QVERIFY2(drawnWorst == worst,
               qPrintable(QString("drawn %1, worst %2").arg(drawnWorst).arg(worst)));
      // Per column: exact, or off only by a window on the column's edge (boundary rounding).
      int exact = 0;
      for (const auto& [column, range] : expected) {
        QVERIFY2(drawn.count(column), qPrintable(QString("column %1 not drawn").arg(column)));
        const auto got = drawn[column];
        if (got == range) {
          ++exact;
          continue;
        }
        float lo = range.first, hi = range.second;
        for (int neighbour : {column - 1, column + 1})
          if (expected.count(neighbour)) {
            lo = std::min(lo, expected[neighbour].first);
            hi = std::max(hi, expected[neighbour].second);
          }
        QVERIFY(got.first >= lo && got.second <= hi);
      }
      QVERIFY2(exact >= static_cast<int>(expected.size()) * 95 / 100,
               qPrintable(QString("%1 of %2 columns exact").arg(exact).arg(expected.size())));
    }
  }

  void zoomedInShowsTheRawWindows() {
    const auto result = syntheticParity(100000, 2);
    Shown shown(result);
    QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
    // 150 s = 300 windows on ~1100 columns: fewer than two per column, so every window is drawn.
    const double start = 20000.25, end = 20150.25;
    shown.axis.setView({start, end});
    shown.view.refreshNow();
    for (int o = 0; o < 2; ++o) {
      const auto& cosine = result->outputs[static_cast<std::size_t>(o)].cosinePerWindow;
      const auto points = shown.view.cosinePoints(o);
      // Windows with centres in [start, end), plus one either side so the line meets the edges.
      const auto first = static_cast<std::size_t>(std::ceil((start - kHalfWindow_s) / kStride_s));
      const auto last = static_cast<std::size_t>(std::ceil((end - kHalfWindow_s) / kStride_s));
      QCOMPARE(static_cast<std::size_t>(points.size()), last - first + 2);
      for (qsizetype i = 0; i < points.size(); ++i) {
        const std::size_t w = first - 1 + static_cast<std::size_t>(i);
        QCOMPARE(points[i].x(), w * kStride_s + kHalfWindow_s);
        QCOMPARE(points[i].y(), double(cosine[w]));
      }
    }
  }

  void panAndResizeRedecimateWithoutRefillingTheLists() {
    const auto result = syntheticParity(100000, 3);
    Shown shown(result);
    QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
    shown.view.refreshNow();
    auto* firstCell = shown.view.table()->item(0, ParityView::CosineMin);
    auto* firstWorst = shown.view.worstList()->item(0);
    QCOMPARE(shown.view.worstList()->count(), 20);
    const int refreshes = shown.view.cosineChart()->refreshCount();
    shown.axis.setView({10000, 30000});
    shown.axis.pan(1000);
    QTRY_VERIFY(shown.view.cosineChart()->refreshCount() > refreshes);
    const auto view = shown.axis.view();
    for (int o = 0; o < 3; ++o) {
      const auto points = shown.view.cosinePoints(o);
      QVERIFY(points.size() <= 2 * shown.columns() + 2);
      QVERIFY(points.front().x() >= view.start_s && points.back().x() <= view.end_s);
    }
    shown.view.resize(700, 700);
    const int narrow = shown.columns();
    QTRY_VERIFY(shown.view.cosinePoints(0).size() <= 2 * narrow + 2);
    QVERIFY(shown.view.cosinePoints(0).size() > narrow);  // still decimated, not empty
    // Navigation never rebuilt the table or the worst-window list.
    QCOMPARE(shown.view.table()->item(0, ParityView::CosineMin), firstCell);
    QCOMPARE(shown.view.worstList()->item(0), firstWorst);
  }

  void worstWindowIsDrawnAfterJumpingToIt() {
    const auto result = syntheticParity(100000, 2);
    Shown shown(result);
    QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
    shown.view.selectOutput(1);
    auto* list = shown.view.worstList();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                      list->visualItemRect(list->item(0)).center());
    shown.view.refreshNow();
    const auto& worst = result->outputs[1].worst.front();
    bool found = false;
    for (const auto& p : shown.view.cosinePoints(1))
      found = found || float(p.y()) == float(worst.cosine);
    QVERIFY(found);
  }

  void scatterIsBoundedAndSaysItIsASample() {
    {
      // Core's default sample of 4000 pairs out of 100k x 16 values: all 4000 drawn, labelled.
      const auto result = syntheticParity(100000, 1);
      Shown shown(result);
      const auto& points = shown.view.scatterPoints();
      QCOMPARE(static_cast<std::size_t>(points.size()), kCoreScatter);
      for (qsizetype i = 0; i < points.size(); ++i) {
        const auto& pair = result->outputs[0].scatter[static_cast<std::size_t>(i)];
        QCOMPARE(points[i], QPointF(pair.first, pair.second));
      }
      QVERIFY(shown.view.scatterSubsampled());
      QVERIFY(shown.view.scatterView()->toolTip().contains("Subsampled"));
      QVERIFY(shown.view.scatterView()->chart()->title().contains("of 1600000 values"));
    }
    {
      // A result carrying more pairs than the view paints is thinned to the cap.
      Shown shown(syntheticParity(100000, 1, 30000));
      QVERIFY(shown.view.scatterPoints().size() <= 4000);
      QVERIFY(shown.view.scatterPoints().size() >= 3000);
      QVERIFY(shown.view.scatterSubsampled());
    }
    {
      // Every pair present (200 windows x 2 dims): not a sample, and not labelled as one.
      Shown shown(syntheticParity(200, 1, 400, 2));
      QCOMPARE(shown.view.scatterPoints().size(), 400);
      QVERIFY(!shown.view.scatterSubsampled());
      QVERIFY(!shown.view.scatterView()->toolTip().contains("Subsampled"));
    }
  }

  void scatterMarkersArePaintedWhereTheAxesPutThem() {
    // Three pairs; the markers are painted by the view, not by Qt Charts, so check the pixels.
    auto result = syntheticParity(1000, 1, 0);
    result->outputs[0].scatter = {{0.f, 0.f}, {1.f, 1.f}, {0.25f, 0.75f}};
    Shown shown(result);
    QVERIFY(QTest::qWaitForWindowExposed(&shown.view));
    auto* chartView = shown.view.scatterView();
    const QImage image = chartView->grab().toImage();
    const qreal ratio = image.devicePixelRatio();
    auto* chart = chartView->chart();
    auto* ax = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).front());
    auto* ay = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).front());
    QVERIFY(ax && ay);
    const QRectF plot =
        chartView->mapFromScene(chart->mapRectToScene(chart->plotArea())).boundingRect();
    auto pixelAt = [&](double a, double b) {
      const double x = plot.left() + (a - ax->min()) / (ax->max() - ax->min()) * plot.width();
      const double y = plot.bottom() - (b - ay->min()) / (ay->max() - ay->min()) * plot.height();
      return image.pixelColor(QPoint(int(x * ratio), int(y * ratio)));
    };
    const QColor background = pixelAt(0.75, 0.25);  // no marker there
    for (const auto& [a, b] : result->outputs[0].scatter)
      QVERIFY2(pixelAt(a, b) != background,
               qPrintable(QString("no marker at %1, %2").arg(a).arg(b)));
  }

  void unorderedWindowTimesAreNotDrawnAsALine() {
    auto result = syntheticParity(1000, 1);
    std::swap(result->windowTime_s[10], result->windowTime_s[500]);
    Shown shown(result);
    shown.view.refreshNow();
    QCOMPARE(shown.view.cosineLineCount(), 1);
    QVERIFY(shown.view.cosinePoints(0).isEmpty());
    QCOMPARE(shown.view.table()->rowCount(), 1);  // the metrics are still shown
  }
};

QTEST_MAIN(ParityViewDecimationTest)
#include "ParityViewDecimationTest.moc"
