// The probability and motif views' alternative styles, checked against brute force over the
// raw per-window values (computed here, independently of the views' prefix sums and pyramids):
//   stacked areas: each band's thickness is the mean probability of the windows in its pixel
//     column, the stack sums to 1, and zoomed in the bands are the windows themselves;
//   motif heatmap: each cell has the colour of the highest score among the windows in its
//     column (the nearest window's when none has its centre there), marks sit on their rows.
#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <random>

#include "ClassPalette.hpp"
#include "MainWindow.hpp"
#include "TimeAxisModel.hpp"
#include "WidgetTestSupport.hpp"
#include "WindowSeriesChart.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

constexpr std::size_t kWindows = 20000;
constexpr double kStride_s = 0.5;

std::shared_ptr<const ModelOutputs> randomOutputs() {
  auto out = std::make_shared<ModelOutputs>();
  out->strideSamples = 50;
  out->windowLength_s = 1.0;
  out->probabilities.width = 3;
  out->probabilities.columnNames = {"stand", "walk", "trot"};
  out->motifScores.width = 12;
  std::mt19937 rng(17);
  std::normal_distribution<float> logit(0.f, 2.f);
  std::uniform_real_distribution<float> score(0.f, 0.6f);
  for (std::size_t w = 0; w < kWindows; ++w) {
    out->windowStart_s.push_back(static_cast<double>(w) * kStride_s);
    float z[3], sum = 0;
    for (float& v : z) sum += (v = std::exp(logit(rng)));
    for (float v : z) out->probabilities.values.push_back(v / sum);
    for (int m = 0; m < 12; ++m)
      out->motifScores.values.push_back(rng() % 97 == 0 ? 0.99f : score(rng));
  }
  return out;
}

struct Fixture {
  TimeAxisModel axis;
  ClassPalette palette;
  std::shared_ptr<const ModelOutputs> outputs = randomOutputs();
  WindowSeriesChart chart;
  explicit Fixture(WindowSeriesChart::Kind kind) : chart(&axis, kind) {
    palette.setClasses({"stand", "walk", "trot"});
    axis.setExtent({0, kWindows * kStride_s + 1});
    chart.resize(900, 220);
    chart.show();
    chart.setOutputs(outputs, &palette);
  }
  void showView(TimeRange view) {
    axis.setView(view);
    chart.refreshNow();
  }
  int columns() const { return static_cast<int>(chart.plotRect().width()); }
  // Windows whose centre lies in column k of the current view, by the views' convention.
  std::vector<std::size_t> windowsIn(int k) const {
    const auto view = axis.view();
    const double step = view.length() / columns();
    const double a = view.start_s + step * k, b = view.start_s + step * (k + 1);
    std::vector<std::size_t> out;
    for (std::size_t w = 0; w < kWindows; ++w) {
      const double centre = outputs->windowCentre_s(w);
      if (centre >= a && centre < b) out.push_back(w);
    }
    return out;
  }
};

}  // namespace

class OutputStylesTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void stackedAreasAreColumnMeansThatSumToOne() {
    Fixture f(WindowSeriesChart::Kind::Probabilities);
    f.chart.setStyle(WindowSeriesChart::Style::StackedAreas);
    QCOMPARE(f.chart.style(), WindowSeriesChart::Style::StackedAreas);
    f.showView({3.3, 9876.7});  // ~22 windows per column
    const auto& areas = f.chart.layerContent().areas;
    QCOMPARE(areas.size(), std::size_t(3));
    QCOMPARE(f.chart.legendEntries().size(), 3);  // the bands' colours need their keys
    QVERIFY(f.chart.layerContent().traces.empty());
    const auto view = f.axis.view();
    const double step = view.length() / f.columns();
    QVERIFY(areas[0].upper.size() <= f.columns());
    int checked = 0;
    for (qsizetype i = 0; i < areas[0].upper.size(); ++i) {
      const int k = static_cast<int>(std::floor((areas[0].upper[i].x() - view.start_s) / step));
      const auto windows = f.windowsIn(k);
      QVERIFY2(!windows.empty(), "a band point in a column without windows");
      QCOMPARE_LT(std::abs(areas[2].upper[i].y() - 1.0), 1e-5);  // the stack fills the plot
      for (std::size_t d = 0; d < 3; ++d) {
        double mean = 0;
        for (auto w : windows) mean += f.outputs->probabilities.at(w, d);
        mean /= static_cast<double>(windows.size());
        const double thickness = areas[d].upper[i].y() - areas[d].lower[i].y();
        QCOMPARE_LT(std::abs(thickness - mean), 1e-5);
        if (d > 0) QCOMPARE(areas[d].lower[i].y(), areas[d - 1].upper[i].y());
      }
      ++checked;
    }
    QVERIFY(checked > f.columns() * 9 / 10);  // nearly every column holds windows
  }

  void stackedAreasZoomedInAreTheWindows() {
    Fixture f(WindowSeriesChart::Kind::Probabilities);
    f.chart.setStyle(WindowSeriesChart::Style::StackedAreas);
    f.showView({1000, 1100});  // 200 windows on ~800 columns: raw
    const auto& areas = f.chart.layerContent().areas;
    QVERIFY(!areas[1].upper.isEmpty());
    for (qsizetype i = 0; i < areas[1].upper.size(); ++i) {
      const double centre = areas[1].upper[i].x();
      const auto w = static_cast<std::size_t>(std::llround((centre - 0.5) / kStride_s));
      QCOMPARE(f.outputs->windowCentre_s(w), centre);
      QCOMPARE_LT(std::abs(areas[1].upper[i].y() - areas[1].lower[i].y() -
                           f.outputs->probabilities.at(w, 1)),
                  1e-6);
    }
  }

  void heatmapCellsShowTheHighestScoreInTheirColumn() {
    Fixture f(WindowSeriesChart::Kind::MotifScores);
    f.chart.setStyle(WindowSeriesChart::Style::Heatmap);
    f.showView({3.3, 9876.7});
    const QImage& heat = f.chart.layerContent().heat;
    QCOMPARE(heat.width(), f.columns());
    QCOMPARE(heat.height(), 12);
    // Rows are named in the margin; a title plate or colour keys would cover cells.
    QVERIFY(f.chart.legendEntries().isEmpty());
    QVERIFY(f.chart.titleText().isEmpty());
    for (int k = 0; k < f.columns(); k += 7) {
      const auto windows = f.windowsIn(k);
      QVERIFY(!windows.empty());
      for (int m = 0; m < 12; ++m) {
        float best = -1;
        for (auto w : windows) best = std::max(best, f.outputs->motifScores.at(w, m));
        QCOMPARE(heat.pixel(k, m), heatColor(best));
      }
    }
    // Marks sit on their motif's row: row m's centre is 12 - m - 0.5 on the value axis.
    const auto& marks = f.chart.layerContent().marks;
    QCOMPARE(marks.size(), std::size_t(1));
    QVERIFY(!marks[0].points.isEmpty());
    for (const auto& p : marks[0].points) {
      const double row = 12 - p.y() - 0.5;
      QCOMPARE(row, std::round(row));
      const auto w = static_cast<std::size_t>(std::llround((p.x() - 0.5) / kStride_s));
      const auto m = static_cast<std::size_t>(row);
      QVERIFY(f.outputs->motifScores.at(w, m) >= 0.5 && f.outputs->motifScores.at(w - 1, m) < 0.5);
    }
  }

  void heatmapZoomedInShowsEachWindowAsABlock() {
    Fixture f(WindowSeriesChart::Kind::MotifScores);
    f.chart.setStyle(WindowSeriesChart::Style::Heatmap);
    f.showView({500.2, 520.2});  // 40 windows on ~800 columns
    const QImage& heat = f.chart.layerContent().heat;
    const auto view = f.axis.view();
    const double step = view.length() / f.columns();
    for (int k = 0; k < f.columns(); ++k) {
      const double middle = view.start_s + step * (k + 0.5);
      std::size_t nearest = 0;
      for (std::size_t w = 1; w < kWindows; ++w)
        if (std::abs(f.outputs->windowCentre_s(w) - middle) <
            std::abs(f.outputs->windowCentre_s(nearest) - middle))
          nearest = w;
      const auto inColumn = f.windowsIn(k);
      for (int m = 0; m < 12; m += 5) {
        float expected = f.outputs->motifScores.at(nearest, m);
        if (!inColumn.empty()) {
          expected = -1;
          for (auto w : inColumn) expected = std::max(expected, f.outputs->motifScores.at(w, m));
        }
        QCOMPARE(heat.pixel(k, m), heatColor(expected));
      }
    }
    // The hover readout names the motif and the value of the cell under the mouse.
    const auto plot = f.chart.plotRect();
    const QPointF at(plot.left() + 100.5, plot.top() + plot.height() * (3.5 / 12));
    const QString text = f.chart.describeAt(at);
    const double middle = view.start_s + step * 100.5;
    std::size_t nearest = 0;
    for (std::size_t w = 1; w < kWindows; ++w)
      if (std::abs(f.outputs->windowCentre_s(w) - middle) <
          std::abs(f.outputs->windowCentre_s(nearest) - middle))
        nearest = w;
    float expected = f.outputs->motifScores.at(nearest, 3);
    if (const auto inColumn = f.windowsIn(100); !inColumn.empty()) {
      expected = -1;
      for (auto w : inColumn) expected = std::max(expected, f.outputs->motifScores.at(w, 3));
    }
    QVERIFY2(text.startsWith("3 at "), qPrintable(text));  // unnamed motifs are numbered
    QVERIFY2(text.contains(QString::number(expected, 'f', 3)), qPrintable(text));
    QVERIFY(f.chart.describeAt(QPointF(plot.left() - 10, plot.center().y())).isEmpty());
  }

  void stylesAKindDoesNotOfferFallBackToLines() {
    Fixture probabilities(WindowSeriesChart::Kind::Probabilities);
    probabilities.chart.setStyle(WindowSeriesChart::Style::Heatmap);
    QCOMPARE(probabilities.chart.style(), WindowSeriesChart::Style::Lines);
    Fixture motifs(WindowSeriesChart::Kind::MotifScores);
    motifs.chart.setStyle(WindowSeriesChart::Style::StackedAreas);
    QCOMPARE(motifs.chart.style(), WindowSeriesChart::Style::Lines);
    motifs.showView({100, 400});
    const auto& content = motifs.chart.layerContent();
    QCOMPARE(content.traces.size(), std::size_t(12));
    QCOMPARE(motifs.chart.legendEntries().size(), 12);  // a colour key per line
    QVERIFY(!motifs.chart.titleText().isEmpty());
    QCOMPARE(content.guides.size(), std::size_t(1));
    QCOMPARE(content.guides[0].value, motifs.chart.threshold());
  }

  // The View menu and the chart's own right-click menu are two doors to the same choice; the
  // choice survives a restart.
  void styleChoiceIsSharedWithTheMenuAndRemembered() {
    QSettings().remove("probabilityStyle");
    QSettings().remove("motifStyle");
    auto findAction = [](MainWindow& window, const QString& menuTitle, const QString& text) {
      for (auto* menu : window.findChildren<QMenu*>())
        if (menu->title().remove('&') == menuTitle)
          for (auto* action : menu->actions())
            if (action->text().remove('&') == text) return action;
      return static_cast<QAction*>(nullptr);
    };
    {
      MainWindow window;
      QCOMPARE(window.probabilityChart()->style(), WindowSeriesChart::Style::Lines);
      auto* stacked = findAction(window, "Class Probabilities As", "Stacked Areas");
      QVERIFY(stacked);
      stacked->trigger();
      QCOMPARE(window.probabilityChart()->style(), WindowSeriesChart::Style::StackedAreas);
      window.motifChart()->setStyle(WindowSeriesChart::Style::Heatmap);  // as right-click does
      auto* heatmap = findAction(window, "Motif Scores As", "Heatmap");
      QVERIFY(heatmap && heatmap->isChecked());
      QVERIFY(!findAction(window, "Motif Scores As", "Lines")->isChecked());
    }
    MainWindow reopened;
    QCOMPARE(reopened.probabilityChart()->style(), WindowSeriesChart::Style::StackedAreas);
    QCOMPARE(reopened.motifChart()->style(), WindowSeriesChart::Style::Heatmap);
    QVERIFY(findAction(reopened, "Class Probabilities As", "Stacked Areas")->isChecked());
  }

  // The screenshot options name a style; one the view does not offer is refused with a message
  // that says what would work, before anything opens or renders.
  void unknownStyleOptionIsRefused_data() {
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("offered");
    QTest::newRow("motifs stacked") << "--motifs"
                                    << "stacked"
                                    << "lines or heatmap";
    QTest::newRow("probabilities heatmap") << "--probabilities"
                                           << "heatmap"
                                           << "lines or stacked";
    QTest::newRow("probabilities typo") << "--probabilities"
                                        << "stack"
                                        << "lines or stacked";
  }
  void unknownStyleOptionIsRefused() {
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(QString, offered);
    QTemporaryDir dir;
    const QString shot = dir.filePath("shot.png");
    QProcess gui;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("QT_QPA_PLATFORM", "offscreen");
    gui.setProcessEnvironment(environment);
    gui.start(QString::fromUtf8(imuwb::test::paths::guiPath()),
              {option, value, "--screenshot", shot});
    QVERIFY(gui.waitForFinished(120000));
    QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
    QCOMPARE(gui.exitCode(), 2);
    const QString error = QString::fromUtf8(gui.readAllStandardError());
    QVERIFY2(error.contains(option + " " + value + " is not a style"), qPrintable(error));
    QVERIFY2(error.contains(offered), qPrintable(error));
    QVERIFY(!QFileInfo::exists(shot));
  }
};

QTEST_MAIN(OutputStylesTest)
#include "OutputStylesTest.moc"
