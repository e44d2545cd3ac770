#include "jobs/BenchJob.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "backends/BackendRegistry.hpp"
#include "common/Error.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/Normalizer.hpp"

namespace imuwb::jobs {

namespace {

// One raw window in contract units and order, inside the contract's bounds.
void syntheticWindow(std::mt19937& random, std::size_t rows, float* out) {
  std::normal_distribution<float> noise(0.0f, 1.0f);
  const float centre[kChannelCount] = {0, 0, 9.81f, 0, 0, 0, 22, -8, 43};
  const float spread[kChannelCount] = {2, 2, 2, 0.5f, 0.5f, 0.5f, 10, 10, 10};
  for (std::size_t r = 0; r < rows; ++r)
    for (int c = 0; c < kChannelCount; ++c)
      out[r * kChannelCount + c] = centre[c] + spread[c] * noise(random);
}

double percentile(std::vector<double> sorted, double fraction) {
  if (sorted.empty()) return 0;
  std::sort(sorted.begin(), sorted.end());
  const auto index = static_cast<std::size_t>(std::ceil(fraction * sorted.size())) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

double peakRss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

Batch makeBatch(const Manifest& manifest, std::mt19937& random, std::size_t n) {
  const auto dims = canonicalDims(manifest);
  const std::size_t rows = static_cast<std::size_t>(dims.h) * dims.w;
  Normalizer normalizer(manifest);
  std::vector<float> raw(n * rows * kChannelCount), canonical(raw.size());
  for (std::size_t w = 0; w < n; ++w)
    syntheticWindow(random, rows, raw.data() + w * rows * kChannelCount);
  normalizer.apply(raw.data(), n * rows, canonical.data());
  Batch batch;
  batch.inputName = manifest.input.name;
  batch.shape = batchShape(manifest, n);
  batch.values.resize(canonical.size());
  canonicalToLayout(canonical.data(), n, dims, manifest.input.layout, batch.values.data());
  return batch;
}

}  // namespace

nlohmann::json BenchJobResult::toJson() const {
  return {{"backend", backend},
          {"device", device},
          {"windows", windows},
          {"calls", calls},
          {"latency_ms", {{"p50", p50_ms}, {"p95", p95_ms}, {"p99", p99_ms}, {"max", max_ms}}},
          {"windows_per_s", windowsPerSecond},
          {"peak_rss_mb", peakRss_mb},
          {"determinism", determinism.empty() ? nlohmann::json() : nlohmann::json(determinism)},
          {"non_deterministic", nonDeterministic},
          {"contract",
           {{"p95_below_50ms", meetsLatency}, {"at_least_20_windows_per_s", meetsThroughput}}},
          {"passed", passed()}};
}

BenchJobResult runBenchJob(const ModelBundle& bundle, const BenchJobOptions& options,
                           const JobControl& control) {
  if (options.windows == 0 || options.concurrency == 0)
    throw Error("imuwb bench", "--windows and --concurrency must be at least 1");
  BackendOptions backendOptions;
  backendOptions.settings["threads"] = std::to_string(options.threads);
  backendOptions.settings["concurrency"] = std::to_string(options.concurrency);
  for (const auto& [key, value] : options.backendSettings) backendOptions.settings[key] = value;
  backendOptions.stop = control.stop;
  auto backend = makeDefaultBackendRegistry().create(options.backend, backendOptions);
  backend->load(bundle);

  std::mt19937 random(20261203);
  std::size_t perCall = options.concurrency;
  if (backend->maxBatchWindows() > 0) perCall = std::min(perCall, backend->maxBatchWindows());
  const auto batch = makeBatch(bundle.manifest, random, perCall);
  backend->run(batch);  // warm-up, not timed

  std::vector<double> latencies_ms;
  std::size_t done = 0;
  const auto started = std::chrono::steady_clock::now();
  while (done < options.windows) {
    control.throwIfCancelled();
    const auto begin = std::chrono::steady_clock::now();
    backend->run(batch);
    latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
            .count());
    done += perCall;
    control.report(static_cast<double>(done) / options.windows, "benchmarking");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  BenchJobResult result;
  const auto info = backend->describe();
  result.backend = info.name;
  result.device = info.device;
  for (const auto& detail : backend->details())
    if (detail.key == "determinism") result.determinism = detail.value;
  result.nonDeterministic = result.determinism.rfind("non-deterministic", 0) == 0;
  result.windows = done;
  result.calls = latencies_ms.size();
  result.p50_ms = percentile(latencies_ms, 0.50);
  result.p95_ms = percentile(latencies_ms, 0.95);
  result.p99_ms = percentile(latencies_ms, 0.99);
  result.max_ms = percentile(latencies_ms, 1.0);
  result.windowsPerSecond = done / seconds;
  result.peakRss_mb = peakRss_mb();
  result.meetsLatency = result.p95_ms < options.maxP95_ms;
  result.meetsThroughput = result.windowsPerSecond >= options.minWindowsPerSecond;
  return result;
}

}  // namespace imuwb::jobs
