// `imuwb run` over a 24 h two-device session at stride 50 with the sample model on the CPU
// backend: windows/s end to end (read, window, normalize, infer, write HDF5) and peak RSS.
// The session is generated once into the temp folder (IMUWB_BENCH_SESSION overrides the path;
// IMUWB_BENCH_HOURS the length).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "LongSession.hpp"
#include "backends/CpuBackend.hpp"
#include "pipeline/RunJob.hpp"

namespace {

namespace fs = std::filesystem;

void BM_RunSession24h(benchmark::State& state) {
  const double hours = imuwb::bench::benchHours();
  const auto session = imuwb::bench::longSessionPath(hours);
  const double rssBefore = imuwb::bench::peakRssMegabytes();
  const auto bundle =
      imuwb::loadModelBundle(fs::path(IMUWB_SOURCE_DIR) / "samples/models/dog_behavior_conv2d");
  const fs::path out = fs::temp_directory_path() / "imuwb_bench_outputs.h5";
  std::size_t windows = 0;
  for (auto _ : state) {
    imuwb::CpuBackend backend({static_cast<int>(state.range(0))});
    backend.load(bundle);
    imuwb::FileSource source(session);
    imuwb::RunOptions options;
    options.outPath = out;
    options.stride = 50;
    const auto summary = imuwb::runModelOnSession(bundle, backend, source, options);
    windows += summary.windows;
  }
  fs::remove(out);
  state.counters["windows"] = static_cast<double>(windows) / state.iterations();
  state.counters["windows_per_s"] =
      benchmark::Counter(static_cast<double>(windows), benchmark::Counter::kIsRate);
  state.counters["peak_rss_MB"] = imuwb::bench::peakRssMegabytes();
  state.counters["rss_before_run_MB"] = rssBefore;
  state.counters["session_hours"] = hours;
}
BENCHMARK(BM_RunSession24h)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
