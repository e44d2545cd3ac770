// The workbench timeline on a 24 h two-device session (8.64 M rows per device, 100 Hz):
//   first paint: from a Session in memory to every chart painted (pyramids built, series
//     decimated, widgets laid out and painted); target <= 1.5 s.
//   open to first paint: the same from the .h5 on disk, through File > Open's background load.
//   frame: one pan or zoom step = every timeline chart re-decimated, its data layer repainted and
//     blitted, plus the label strip; target <= 16 ms.
//   frame with outputs: the same pan step with a full day of model outputs shown (10 class
//     probabilities, 12 motif scores, the 64-d latent heatmap; 172,799 windows at stride 50),
//     measured as one event-loop turn plus a synchronous repaint of the whole window.
// Runs offscreen (QT_QPA_PLATFORM=offscreen unless set), software raster painting.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "GuiBenchMain.hpp"
#include "LabelStrip.hpp"
#include "LongSession.hpp"
#include "MainWindow.hpp"
#include "SessionOpener.hpp"
#include "SessionPlotData.hpp"
#include "SignalGroupChart.hpp"
#include "TimeAxisModel.hpp"
#include "TimelineView.hpp"
#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionValidator.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

std::shared_ptr<const Session> daySession() {
  return bench::generatedDaySession();
}

// A day of outputs shaped like the sample model's: values vary per window so no series is flat.
std::shared_ptr<const ModelOutputs> dayOutputs(const Session& session) {
  auto out = std::make_shared<ModelOutputs>();
  out->modelName = "synthetic";
  out->backendName = "cpu";
  out->strideSamples = 50;
  out->windowLength_s = 1.0;
  const std::size_t windows = (session.sampleCount() - 100) / 50 + 1;
  out->probabilities.width = 10;
  for (int c = 0; c < 10; ++c)
    out->probabilities.columnNames.push_back("class" + std::to_string(c));
  out->motifScores.width = 12;
  out->latent.width = 64;
  out->windowStart_s.reserve(windows);
  out->probabilities.values.reserve(windows * 10);
  out->motifScores.values.reserve(windows * 12);
  out->latent.values.reserve(windows * 64);
  for (std::size_t w = 0; w < windows; ++w) {
    out->windowStart_s.push_back(static_cast<double>(w * 50) / session.sampleRateHz);
    const std::size_t winner = (w / 37) % 10;
    for (std::size_t c = 0; c < 10; ++c)
      out->probabilities.values.push_back(c == winner ? 0.82f : 0.02f);
    for (std::size_t m = 0; m < 12; ++m)
      out->motifScores.values.push_back(0.5f + 0.5f * std::sin(0.01f * w + m));
    for (std::size_t d = 0; d < 64; ++d)
      out->latent.values.push_back(std::cos(0.003f * w * (d + 1)));
  }
  return out;
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

// The day session saved as a .h5 in a temporary folder, removed when the object goes.
struct DayFile {
  std::filesystem::path directory;
  std::filesystem::path file;
  explicit DayFile(const std::string& name)
      : directory(std::filesystem::temp_directory_path() / name), file(directory / "day24h.h5") {
    std::filesystem::create_directories(directory);
    saveSession(*daySession(), file);
  }
  ~DayFile() { std::filesystem::remove_all(directory); }
};

// What the user waits for: from File > Open on the 24 h .h5 (read and pyramids built in the
// background) to every chart painted. Validation runs after the session is shown (waitForOpens
// does not wait for it), so it is not part of this number; BM_OpenStages24h measures it.
void BM_OpenFileToFirstPaint24h(benchmark::State& state) {
  const DayFile day("imuwb-bench-gui-open");
  const auto& file = day.file;
  for (auto _ : state) {
    auto window = openWindow();
    QElapsedTimer timer;
    timer.start();
    window->openPaths({QString::fromStdString(file.string())});
    QStringList errors;
    if (!window->waitForOpens(MainWindow::kOpenTimeoutMs, &errors)) {
      state.SkipWithError(qPrintable(errors.join("; ")));
      break;
    }
    QApplication::processEvents();
    paintTimeline(*window);
    const double seconds = timer.nsecsElapsed() / 1e9;
    state.SetIterationTime(seconds);
    state.counters["open_to_paint_ms"] = seconds * 1000;
    state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(file)) / 1e6;
    state.counters["target_ms"] = 1500;
  }
}
BENCHMARK(BM_OpenFileToFirstPaint24h)
    ->UseManualTime()
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

// Where the open's time goes: File > Open's background work, stage by stage (read, then build
// the overview pyramids), on the same 24 h file; then the validation that follows once the
// session is shown (SessionValidationQueue runs core's validateSession).
void BM_OpenStages24h(benchmark::State& state) {
  const DayFile day("imuwb-bench-gui-stages");
  const auto& file = day.file;
  for (auto _ : state) {
    QElapsedTimer timer;
    timer.start();
    std::map<std::string, double> stageStart_ms;
    JobControl control;
    control.onProgress = [&](double, std::string_view stage) {
      stageStart_ms.try_emplace(std::string(stage), timer.nsecsElapsed() / 1e6);
    };
    auto opened = loadSessionForView(file, control);
    const double shown_ms = timer.nsecsElapsed() / 1e6;
    const auto stage = stageStart_ms.find("building overview");
    if (stage == stageStart_ms.end()) {
      state.SkipWithError("loadSessionForView no longer reports the \"building overview\" stage");
      break;
    }
    const double overview = stage->second;
    const auto findings = validateSession(*opened.session);
    benchmark::DoNotOptimize(findings);
    state.counters["read_ms"] = overview;
    state.counters["overview_ms"] = shown_ms - overview;
    state.counters["validate_after_ms"] = timer.nsecsElapsed() / 1e6 - shown_ms;
  }
}
BENCHMARK(BM_OpenStages24h)->Iterations(4)->Unit(benchmark::kMillisecond)->UseRealTime();

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

// One pan step of 5 % of the view, turning round at either end of the recording.
void panStep(TimeAxisModel& axis, double span, double& direction) {
  const auto view = axis.view();
  if (view.end_s >= axis.extent().end_s) direction = -1;
  if (view.start_s <= 0) direction = 1;
  axis.pan(direction * std::max(span * 0.05, 0.5));
}

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
    panStep(*window->timeAxis(), span, direction);
    paintTimeline(*window);
  }
  state.counters["charts"] = static_cast<double>(window->timeline()->charts().size());
  state.counters["target_ms"] = 16;
}
BENCHMARK(BM_PanFrame)->Arg(24 * 3600)->Arg(3600)->Arg(60)->Unit(benchmark::kMillisecond);

// Pan the whole window, outputs included: one event-loop turn runs every view's refresh, then the
// window repaints synchronously.
void BM_PanFrameWithOutputs(benchmark::State& state) {
  auto window = openWindow();
  window->addSession(daySession());
  window->showOutputs(dayOutputs(*daySession()));
  QApplication::processEvents();
  const double span = static_cast<double>(state.range(0));
  window->timeAxis()->setView({0, span});
  QApplication::processEvents();
  window->repaint();
  double direction = 1;
  for (auto _ : state) {
    panStep(*window->timeAxis(), span, direction);
    QApplication::processEvents();
    window->repaint();
  }
  state.counters["windows"] = static_cast<double>(dayOutputs(*daySession())->windowCount());
  state.counters["target_ms"] = 16;
}
BENCHMARK(BM_PanFrameWithOutputs)->Arg(6 * 3600)->Arg(3600)->Arg(60)->Unit(benchmark::kMillisecond);

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
  return imuwb::bench::runGuiBenchmarks(argc, argv, [] { sharedPanWindow().reset(); });
}
