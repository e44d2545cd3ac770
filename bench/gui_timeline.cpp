// The workbench timeline on a 24 h two-device session (8.64 M rows per device, 100 Hz):
//   first paint: from a Session in memory to every chart painted (pyramids built, series
//     decimated, widgets laid out and painted); target <= 1.5 s.
//   frame: one pan or zoom step = every timeline chart re-decimated, its series replaced and
//     repainted, plus the label strip; target <= 16 ms.
// Runs offscreen (QT_QPA_PLATFORM=offscreen unless set), software raster painting.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <memory>

#include "LabelStrip.hpp"
#include "MainWindow.hpp"
#include "SessionPlotData.hpp"
#include "SignalGroupChart.hpp"
#include "TimelineView.hpp"
#include "session/SessionGenerator.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

std::shared_ptr<const Session> daySession() {
  static std::shared_ptr<const Session> session = [] {
    GeneratorOptions options;
    options.durationSeconds = 24 * 3600;
    options.devices = {"collar", "harness"};
    options.seed = 7;
    return std::make_shared<const Session>(generateSession(options));
  }();
  return session;
}

void paintTimeline(MainWindow& window) {
  window.timeline()->refreshNow();
  for (auto* chart : window.timeline()->charts()) chart->viewport()->repaint();
  window.timeline()->labelStrip()->repaint();
}

std::unique_ptr<MainWindow> openWindow() {
  auto window = std::make_unique<MainWindow>(
      [](const RunRequest&, const JobControl&) { return ModelOutputs{}; });
  window->resetLayout();
  window->resize(1600, 1000);
  window->show();
  QApplication::processEvents();
  return window;
}

void BM_FirstPaint24h(benchmark::State& state) {
  const auto session = daySession();
  for (auto _ : state) {
    auto window = openWindow();
    QElapsedTimer timer;
    timer.start();
    window->addSession(session);  // builds the min/max pyramids for 2 x 9 channels
    QApplication::processEvents();
    paintTimeline(*window);
    const double seconds = timer.nsecsElapsed() / 1e9;
    state.SetIterationTime(seconds);
    state.counters["first_paint_ms"] = seconds * 1000;
    state.counters["rows_per_device"] = static_cast<double>(session->sampleCount());
    state.counters["target_ms"] = 1500;
    window.reset();
  }
}
BENCHMARK(BM_FirstPaint24h)->UseManualTime()->Iterations(3)->Unit(benchmark::kMillisecond);

// The part of first paint that scales with the recording: min/max pyramids for 2 x 9 channels.
void BM_PyramidBuild24h(benchmark::State& state) {
  const auto session = daySession();
  for (auto _ : state) {
    SessionPlotData data(session);
    benchmark::DoNotOptimize(data);
  }
  state.counters["rows_per_device"] = static_cast<double>(session->sampleCount());
}
BENCHMARK(BM_PyramidBuild24h)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The pan benchmark reuses one window across its zoom levels. main() destroys it while the
// QApplication still exists: a window outliving the application crashes at exit.
std::unique_ptr<MainWindow>& sharedPanWindow() {
  static std::unique_ptr<MainWindow> window;
  return window;
}

// Pan by 5 % of the view per frame at three zoom levels: the whole day, one hour, one minute.
void BM_PanFrame(benchmark::State& state) {
  auto& window = sharedPanWindow();
  if (!window) {
    window = openWindow();
    window->addSession(daySession());
    QApplication::processEvents();
  }
  const double span = static_cast<double>(state.range(0));
  window->timeAxis()->setView({0, span});
  paintTimeline(*window);
  double direction = 1;
  for (auto _ : state) {
    const auto view = window->timeAxis()->view();
    if (view.end_s >= window->timeAxis()->extent().end_s) direction = -1;
    if (view.start_s <= 0) direction = 1;
    window->timeAxis()->pan(direction * std::max(span * 0.05, 0.5));
    paintTimeline(*window);
  }
  state.counters["charts"] = static_cast<double>(window->timeline()->charts().size());
  state.counters["target_ms"] = 16;
}
BENCHMARK(BM_PanFrame)->Arg(24 * 3600)->Arg(3600)->Arg(60)->Unit(benchmark::kMillisecond);

// Zoom in and out around the middle of the day, one wheel step (x0.8 / x1.25) per frame.
void BM_ZoomFrame(benchmark::State& state) {
  auto window = openWindow();
  window->addSession(daySession());
  QApplication::processEvents();
  paintTimeline(*window);
  int step = 0;
  for (auto _ : state) {
    const double factor = (step++ / 20) % 2 == 0 ? 0.8 : 1.25;  // 20 steps in, 20 out
    window->timeAxis()->zoom(factor, 12 * 3600.0 + 0.123);
    paintTimeline(*window);
  }
}
BENCHMARK(BM_ZoomFrame)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName("imuwb-bench");  // keep the user's settings untouched
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  sharedPanWindow().reset();
  return 0;
}
