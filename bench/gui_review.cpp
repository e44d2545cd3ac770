// Review mode on a 24 h two-device session with a day of model outputs (172,799 windows at
// stride 50, 10 classes, the generator's labels; the outputs follow the true behaviour with a
// model-like error now and then, so there are thousands of disagreement stretches):
//   review: the session's review computed (core's reviewSession + the agreement strip's bands),
//     which happens once when the outputs or labels change;
//   step: the next-disagreement search alone (binary search over the listed stretches);
//   keypress: "]" pressed on the window, to the whole window repainted: the shortcut, the jump
//     (cursor, selection, a pan when the stretch is out of view), one event-loop turn that
//     refreshes every view, then a synchronous repaint, as gui_timeline's frame with outputs;
//     target <= 16 ms. At a 1 min and a 10 min view.
// Runs offscreen (QT_QPA_PLATFORM=offscreen unless set), software raster painting.
#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>
#include <memory>
#include <random>

#include "GuiBenchMain.hpp"
#include "LongSession.hpp"
#include "MainWindow.hpp"
#include "ReviewController.hpp"
#include "ReviewPanel.hpp"
#include "TimeAxisModel.hpp"
#include "eval/StretchSelection.hpp"
#include "session/SessionGenerator.hpp"

using namespace imuwb;
using namespace imuwb::widgets;

namespace {

std::shared_ptr<const Session> daySession() {
  return bench::generatedDaySession();
}

// The label's class most of the time; now and then (a few windows in a row) another one, with a
// confidence between 0.35 and 0.95.
std::shared_ptr<const ModelOutputs> dayOutputs() {
  static std::shared_ptr<const ModelOutputs> outputs = [] {
    const auto& session = *daySession();
    auto out = std::make_shared<ModelOutputs>();
    out->modelName = "synthetic";
    out->backendName = "cpu";
    out->strideSamples = 50;
    out->windowLength_s = 1.0;
    const auto& classes = session.classes;
    const std::size_t k = classes.size(), windows = (session.sampleCount() - 100) / 50 + 1;
    out->probabilities.width = k;
    out->probabilities.columnNames = classes;
    const auto truth = eval::windowLabels(session.labels, classes, [&] {
      std::vector<double> centres(windows);
      for (std::size_t w = 0; w < windows; ++w) centres[w] = (w * 50.0 + 50) / 100.0;
      return centres;
    }());
    std::mt19937 random(11);
    std::uniform_real_distribution<double> u(0, 1);
    int wrongFor = 0, wrongClass = 0;
    for (std::size_t w = 0; w < windows; ++w) {
      out->windowStart_s.push_back(static_cast<double>(w * 50) / session.sampleRateHz);
      if (wrongFor == 0 && u(random) < 0.02) {
        wrongFor = 1 + static_cast<int>(random() % 6);
        wrongClass = static_cast<int>(random() % k);
      }
      const int top = wrongFor-- > 0 ? wrongClass : std::max(0, truth[w]);
      wrongFor = std::max(0, wrongFor);
      const double confidence = 0.35 + 0.6 * u(random);
      for (std::size_t c = 0; c < k; ++c)
        out->probabilities.values.push_back(static_cast<float>(
            static_cast<int>(c) == top ? confidence : (1 - confidence) / (k - 1)));
    }
    return out;
  }();
  return outputs;
}

std::unique_ptr<MainWindow>& sharedWindow() {
  static std::unique_ptr<MainWindow> window;
  return window;
}

MainWindow& reviewWindow() {
  auto& window = sharedWindow();
  if (!window) {
    window = std::make_unique<MainWindow>(
        [](const RunRequest&, const JobControl&) { return ModelOutputs{}; });
    window->resetLayout();
    window->resize(1600, 1000);
    window->show();
    window->activateWindow();
    QTest::qWaitForWindowActive(window.get());  // the shortcut's context is the active window
    window->addSession(daySession());
    window->showOutputs(dayOutputs());
    window->focusReview();
    QApplication::processEvents();
  }
  return *window;
}

void BM_ReviewCompute24h(benchmark::State& state) {
  const auto session = daySession();
  const auto outputs = dayOutputs();
  std::size_t stretches = 0, disagreements = 0;
  for (auto _ : state) {
    const auto p = ReviewController::predictions(*outputs, session->sampleRateHz);
    const auto review = eval::reviewSession(p, session->labels);
    const auto spans =
        eval::agreementSpans(p, eval::windowLabels(session->labels, p.classes, p.centre_s));
    stretches = review.stretches.size();
    disagreements = review.disagreements;
    benchmark::DoNotOptimize(spans);
  }
  state.counters["windows"] = static_cast<double>(outputs->windowCount());
  state.counters["stretches"] = static_cast<double>(stretches);
  state.counters["disagreements"] = static_cast<double>(disagreements);
}
BENCHMARK(BM_ReviewCompute24h)->Iterations(5)->Unit(benchmark::kMillisecond);

void BM_NextStretchSearch(benchmark::State& state) {
  auto& window = reviewWindow();
  const auto review = window.review()->review();
  const auto all = eval::selectStretches(review->stretches, {});
  double t = 0;
  for (auto _ : state) {
    const long i = eval::nextStretch(review->stretches, all, t);
    t = i < 0 ? 0 : review->stretches[static_cast<std::size_t>(i)].start_s;
    benchmark::DoNotOptimize(i);
  }
  state.counters["disagreements"] = static_cast<double>(all.size());
}
BENCHMARK(BM_NextStretchSearch)->Unit(benchmark::kNanosecond);

void BM_NextDisagreementKeypress(benchmark::State& state) {
  auto& window = reviewWindow();
  auto* axis = window.timeAxis();
  const double span = static_cast<double>(state.range(0));
  axis->setView({0, span});
  axis->setCursor(0);
  QApplication::processEvents();
  window.repaint();
  double worst = 0;
  for (auto _ : state) {
    QElapsedTimer timer;
    timer.start();
    QTest::keyClick(&window, Qt::Key_BracketRight);
    QApplication::processEvents();
    window.repaint();
    const double seconds = timer.nsecsElapsed() / 1e9;
    state.SetIterationTime(seconds);
    worst = std::max(worst, seconds);
    if (window.reviewPanel()->current() < 0 ||
        axis->cursor() >= window.review()->review()->stretches.back().start_s - 1)
      axis->setCursor(0);  // past the last one: round again (not timed: the next key is)
  }
  state.counters["view_s"] = span;
  state.counters["worst_ms"] = worst * 1000;
  state.counters["target_ms"] = 16;
}
BENCHMARK(BM_NextDisagreementKeypress)
    ->Arg(60)
    ->Arg(600)
    ->Iterations(300)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  return imuwb::bench::runGuiBenchmarks(argc, argv, [] { sharedWindow().reset(); });
}
