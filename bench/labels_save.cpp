// Label saving (issue 17): a side-car save with 5 000 intervals and 20 versions of history
// (target: <= 50 ms), and embedding labels into a ~215 MB session file (a 24 h two-device
// session, generated once and cached under the build folder: build/bench-cache/).
//   bench_labels_save [--benchmark_filter=...]
// IMUWB_BENCH_SESSION points at another session file for the embed benchmark.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "labels/LabelStore.hpp"
#include "session/EmbedLabels.hpp"
#include "session/SessionGenerator.hpp"

namespace {

namespace fs = std::filesystem;

imuwb::LabelSet labelSet(int intervals, int variant) {
  imuwb::LabelSet set{{"rest", "walk", "trot", "graze", "sniff"}, {}};
  double t = 0;
  for (int i = 0; i < intervals; ++i) {
    const double length = 1.0 + 0.01 * ((i * 13 + variant * 7) % 900);
    set.intervals.push_back({t, t + length,
                             set.classes[static_cast<std::size_t>((i + variant) % 5)],
                             i % 10 == 0 ? "checked by reviewer " + std::to_string(variant) : ""});
    t += length;
  }
  return set;
}

fs::path scratch() {
  const auto dir = fs::path(IMUWB_BUILD_DIR) / "bench-cache" / "labels_save";
  fs::create_directories(dir);
  return dir;
}

void BM_SidecarSave(benchmark::State& state) {
  const int intervals = static_cast<int>(state.range(0));
  const auto session = scratch() / "S.h5";
  fs::remove(imuwb::labelsSidecarPath(session));
  auto store = imuwb::LabelStore::open(session, {});
  for (int v = 0; v < 21; ++v) store.save(labelSet(intervals, v), {"bench", "version", false, 20});
  const imuwb::LabelSet next[2] = {labelSet(intervals, 100), labelSet(intervals, 101)};
  int i = 0;
  for (auto _ : state) store.save(next[i++ % 2], {"bench", "timed save", false, 20});
  state.counters["history"] = static_cast<double>(store.document().history.size());
  state.counters["file_MB"] = static_cast<double>(fs::file_size(store.sidecarPath())) / 1e6;
}
BENCHMARK(BM_SidecarSave)->Arg(5000)->Unit(benchmark::kMillisecond)->UseRealTime();

fs::path bigSession() {
  if (const char* path = std::getenv("IMUWB_BENCH_SESSION")) return path;
  const auto path = fs::path(IMUWB_BUILD_DIR) / "bench-cache" /
                    ("labels_24h_g" + std::to_string(imuwb::kGeneratorVersion) + ".h5");
  if (!fs::exists(path)) {
    imuwb::GeneratorOptions options;
    options.durationSeconds = 24 * 3600;
    options.seed = 24;
    imuwb::generateSessionFile(options, path);
  }
  return path;
}

void BM_EmbedLabels(benchmark::State& state) {
  const auto session = bigSession();
  const auto output = scratch() / "embedded.h5";
  const auto labels = labelSet(5000, 1);
  for (auto _ : state) imuwb::embedLabels(session, labels, output, true);
  state.counters["session_MB"] = static_cast<double>(fs::file_size(session)) / 1e6;
  fs::remove(output);
}
BENCHMARK(BM_EmbedLabels)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
