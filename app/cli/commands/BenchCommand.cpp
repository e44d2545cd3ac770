// imuwb bench: latency and throughput of a backend, judged against the deployment contract.
// Flags -> jobs::BenchJobOptions. Exit 1 when the contract is not met or the backend is
// non-deterministic.
#include <cstdio>

#include "Commands.hpp"
#include "flags/JobFlags.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::cli {

namespace {

const char* mark(bool ok) {
  return ok ? "ok" : "FAIL";
}

void printResult(const jobs::BenchJobResult& r) {
  std::printf("%s (%s): %zu windows in %zu calls\n", r.backend.c_str(), r.device.c_str(), r.windows,
              r.calls);
  std::printf(
      "  latency per call: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms  [%s: p95 < "
      "50 ms]\n",
      r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms, mark(r.meetsLatency));
  std::printf("  throughput: %.1f windows/s  [%s: >= 20 windows/s]\n", r.windowsPerSecond,
              mark(r.meetsThroughput));
  std::printf("  peak RSS: %.1f MB\n", r.peakRss_mb);
  if (!r.determinism.empty())
    std::printf("  determinism: %s%s\n", r.nonDeterministic ? "WARNING: " : "",
                r.determinism.c_str());
  std::printf("%s\n", r.passed() ? "contract met" : "contract NOT met");
}

}  // namespace

void addBenchCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<BenchFlags>(
      root, state, "bench", "Measure a backend's latency and throughput against the contract",
      addBenchFlags, [&state](const BenchFlags& flags) {
        const auto options = toBenchOptions(flags);
        const auto bundle = loadModelBundle(flags.model);
        const auto result = jobs::runBenchJob(bundle, options, jobControl(state, "bench"));
        if (state.json)
          printJson(result.toJson());
        else
          printResult(result);
        return result.passed() ? kOk : kFindings;
      });
}

}  // namespace imuwb::cli
