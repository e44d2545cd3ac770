// The parity view on a 24 h session at stride 50 (172,799 windows, three outputs):
//   show: from a ParityResult in memory to the view painted (pyramids built, lines decimated,
//     table, worst list, scatter and layer bars filled, everything painted);
//   frame: one pan or zoom step on the shared time axis = the cosine lines re-decimated, their
//     series replaced and the chart repainted; target <= 16 ms.
//   select: another output chosen in the table (scatter and worst list refilled, repainted);
//   reference: what one frame cost before decimation, a Qt Charts line of every window
//     replaced and repainted (one output only).
// Synthetic values (cosine near 1 with dips); runs offscreen (QT_QPA_PLATFORM=offscreen unless
// set), software raster painting.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QLineSeries>
#include <cmath>
#include <memory>
#include <random>

#include "GuiBenchMain.hpp"
#include "ParityView.hpp"
#include "TimeAxisModel.hpp"
#include "TimeChartView.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

constexpr std::size_t kDayWindows = (24 * 3600 * 100 - 100) / 50 + 1;  // 172,799

std::shared_ptr<const analysis::ParityResult> dayParity() {
  static std::shared_ptr<const analysis::ParityResult> result = [] {
    auto r = std::make_shared<analysis::ParityResult>();
    r->modelName = "synthetic";
    r->a = {"cpu", "backend", "fp32", ""};
    r->b = {"int8", "backend", "int8", ""};
    r->windows = kDayWindows;
    r->windowTime_s.resize(kDayWindows);
    for (std::size_t w = 0; w < kDayWindows; ++w) r->windowTime_s[w] = w * 0.5;
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> noise(-0.003f, 0.003f);
    const std::pair<const char*, std::size_t> outputs[] = {
        {"latent_embeddings", 64}, {"motif_scores", 12}, {"behavior_logits", 3}};
    for (const auto& [name, dim] : outputs) {
      analysis::OutputParity out;
      out.output = name;
      out.windows = kDayWindows;
      out.dim = dim;
      out.cosinePerWindow.resize(kDayWindows);
      for (std::size_t w = 0; w < kDayWindows; ++w)
        out.cosinePerWindow[w] = 0.985f + 0.01f * std::sin(0.0005f * w) + noise(rng);
      for (int k = 0; k < 200; ++k) out.cosinePerWindow[rng() % kDayWindows] = 0.7f;
      out.cosineMean = 0.985;
      out.cosineMin = 0.7;
      for (int k = 0; k < 20; ++k) out.worst.push_back({std::size_t(k), k * 0.5, 0.7, 0.01});
      for (int p = 0; p < 4000; ++p) out.scatter.emplace_back(noise(rng) * 300, noise(rng) * 300);
      out.tolerance.minCosine = 0.95;
      out.passed = true;
      r->outputs.push_back(std::move(out));
    }
    return r;
  }();
  return result;
}

struct ParityWindow {
  TimeAxisModel axis;
  ParityView view{&axis};
  ParityWindow() {
    axis.setExtent({0, dayParity()->windowTime_s.back() + 1.0});
    view.resize(1600, 1000);
    view.show();
    QApplication::processEvents();
  }
};

// The pan benchmark reuses one window across its zoom levels. main() destroys it while the
// QApplication still exists: a window outliving the application crashes at exit.
std::unique_ptr<ParityWindow>& sharedWindow() {
  static std::unique_ptr<ParityWindow> window;
  return window;
}
ParityWindow& windowWithResult() {
  auto& window = sharedWindow();
  if (!window) {
    window = std::make_unique<ParityWindow>();
    window->view.setResult(dayParity());
    QApplication::processEvents();
  }
  return *window;
}

void paintFrame(ParityView& view) {
  view.refreshNow();
  view.cosineChart()->viewport()->repaint();
}

void BM_ShowParity24h(benchmark::State& state) {
  const auto result = dayParity();
  for (auto _ : state) {
    ParityWindow window;
    QElapsedTimer timer;
    timer.start();
    window.view.setResult(result);
    const double filled = timer.nsecsElapsed() / 1e9;
    QApplication::processEvents();
    window.view.repaint();  // the whole view: chart, table, lists, scatter, layer bars
    paintFrame(window.view);
    const double seconds = timer.nsecsElapsed() / 1e9;
    state.SetIterationTime(seconds);
    state.counters["show_ms"] = seconds * 1000;
    state.counters["set_result_ms"] = filled * 1000;  // pyramids, decimation, table, scatter...
    state.counters["points_per_line"] = window.view.cosinePoints(0).size();
  }
  state.counters["windows"] = static_cast<double>(result->windows);
  state.counters["outputs"] = static_cast<double>(result->outputs.size());
}
BENCHMARK(BM_ShowParity24h)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

// Pan by 5 % of the view per frame at three zoom levels: the whole day, one hour, one minute.
void BM_ParityPanFrame(benchmark::State& state) {
  auto& window = windowWithResult();
  const double span = static_cast<double>(state.range(0));
  window.axis.setView({0, span});
  paintFrame(window.view);
  double direction = 1;
  for (auto _ : state) {
    const auto view = window.axis.view();
    if (view.end_s >= window.axis.extent().end_s) direction = -1;
    if (view.start_s <= 0) direction = 1;
    window.axis.pan(direction * std::max(span * 0.05, 0.5));
    paintFrame(window.view);
  }
  state.counters["points_per_line"] = window.view.cosinePoints(0).size();
  state.counters["target_ms"] = 16;
}
BENCHMARK(BM_ParityPanFrame)->Arg(24 * 3600)->Arg(3600)->Arg(60)->Unit(benchmark::kMillisecond);

// Zoom in and out around the middle of the day, one wheel step (x0.8 / x1.25) per frame.
void BM_ParityZoomFrame(benchmark::State& state) {
  auto& window = windowWithResult();
  window.axis.showAll();
  paintFrame(window.view);
  int step = 0;
  for (auto _ : state) {
    const double factor = (step++ / 20) % 2 == 0 ? 0.8 : 1.25;  // 20 steps in, 20 out
    window.axis.zoom(factor, 12 * 3600.0 + 0.123);
    paintFrame(window.view);
  }
  state.counters["target_ms"] = 16;
}
BENCHMARK(BM_ParityZoomFrame)->Unit(benchmark::kMillisecond);

// Choosing another output in the table: its scatter (core's 4000-pair sample) and worst-window
// list are refilled and the view repainted. Not a per-frame cost, but a click should feel instant.
void BM_ParitySelectOutput(benchmark::State& state) {
  auto& window = windowWithResult();
  int output = 0;
  for (auto _ : state) {
    output = (output + 1) % 3;
    window.view.selectOutput(output);
    window.view.repaint();
  }
}
BENCHMARK(BM_ParitySelectOutput)->Unit(benchmark::kMillisecond);

// Before decimation: one Qt Charts line holding every window of one output, replaced and
// repainted per frame (the parity view drew three of these).
void BM_ReferenceEveryWindowFrame(benchmark::State& state) {
  const auto result = dayParity();
  const auto& cosine = result->outputs[0].cosinePerWindow;
  QList<QPointF> points;
  points.reserve(static_cast<qsizetype>(cosine.size()));
  for (std::size_t w = 0; w < cosine.size(); ++w)
    points.append(QPointF(result->windowTime_s[w] + 0.5, cosine[w]));
  auto* series = new QLineSeries();
  auto* chart = new QChart();
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->addSeries(series);
  chart->createDefaultAxes();
  QChartView view(chart);
  view.resize(1600, 400);
  view.show();
  QApplication::processEvents();
  for (auto _ : state) {
    series->replace(points);
    view.viewport()->repaint();
  }
  state.counters["points"] = static_cast<double>(points.size());
}
BENCHMARK(BM_ReferenceEveryWindowFrame)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  return imuwb::bench::runGuiBenchmarks(argc, argv, [] { sharedWindow().reset(); });
}
