// imuwb parity: compare two sources of a model's outputs (backends or recordings) window by
// window, gate on per-output tolerances, and write JSON/HTML/JUnit reports. Flags ->
// jobs::ParityJobOptions, run the job (which writes the reports), print its result. Exit 0 = every
// check passed, 1 = a check failed, 2 = usage or input error.
#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "Commands.hpp"
#include "batch/RecordingWork.hpp"
#include "commands/BatchSupport.hpp"
#include "flags/JobFlags.hpp"
#include "io/ReportJson.hpp"
#include "jobs/ParityJob.hpp"

namespace imuwb::cli {
namespace {

// Each live backend's description and what it reported (health, determinism).
void printSources(const analysis::ParityResult& r) {
  for (const auto& [name, side] : {std::pair{"A", &r.a}, std::pair{"B", &r.b}}) {
    if (side->kind != "backend") continue;
    std::printf("  %s %s: %s\n", name, side->label.c_str(), side->detail.c_str());
    for (const auto& d : side->details)
      std::printf("    %-24s %s\n", d.key.c_str(), d.value.c_str());
    if (side->nonDeterministic)
      std::printf("  WARNING: %s is %s\n", side->label.c_str(), side->determinism.c_str());
  }
}

void printSummary(const analysis::ParityResult& r) {
  std::printf("parity %s: A=%s (%s) B=%s (%s), %zu windows, %.1f s\n", r.modelName.c_str(),
              r.a.label.c_str(), r.a.precision.c_str(), r.b.label.c_str(), r.b.precision.c_str(),
              r.windows, r.seconds);
  printSources(r);
  std::printf("  %-24s %-13s %9s %9s %9s %8s %8s %9s  %s\n", "output", "role", "cos mean",
              "cos min", "cos p5", "SNR dB", "top-1", "threshold", "verdict");
  for (const auto& o : r.outputs) {
    char top1[16] = "-";
    if (o.top1Agreement) std::snprintf(top1, sizeof top1, "%.2f%%", *o.top1Agreement * 100.0);
    std::printf("  %-24s %-13s %9.5f %9.5f %9.5f %8.2f %8s %9.4f  %s\n", o.output.c_str(),
                std::string(roleName(o.role)).c_str(), o.cosineMean, o.cosineMin, o.cosineP5,
                o.snr_db, top1, o.tolerance.minCosine, o.passed ? "pass" : "FAIL");
    for (const auto& c : o.checks)
      if (!c.passed)
        std::printf("    failed: %s = %.6g, required %s %.6g\n", c.name.c_str(), c.value,
                    c.comparison.c_str(), c.threshold);
  }
  if (r.layers) {
    std::printf("  per-layer SNR (worst first, dB at layer / at outputs):\n");
    std::vector<const analysis::LayerNoise*> ranked;
    for (const auto& l : r.layers->layers) ranked.push_back(&l);
    std::sort(ranked.begin(), ranked.end(), [](auto* x, auto* y) { return x->rank < y->rank; });
    for (std::size_t i = 0; i < ranked.size() && i < 8; ++i)
      std::printf("    %2d %-36s %8.2f / %8.2f %s\n", ranked[i]->rank, ranked[i]->node.c_str(),
                  ranked[i]->snrAllQuantized_db, ranked[i]->snrOnlyThisLayerMin_db,
                  ranked[i]->flagged ? "FLAGGED" : "");
  }
  printFindingLines(r.findings);
  std::printf("verdict: %s\n", r.passed() ? "PASS" : "FAIL");
}

}  // namespace

void addParityCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<ParityFlags>(
      root, state, "parity",
      "Compare two sources of a model's outputs (backends or recordings) and gate on tolerances "
      "(exit 0 pass, 1 a check failed, 2 usage/input error)",
      addParityFlags, [&state](const ParityFlags& flags) -> int {
        const auto options = toParityOptions(flags);
        const auto bundle = loadBundleAllowingBareOnnx(flags.model);
        if (flags.batch.active())
          return runBatchCommand(state, flags.batch, options.compare.sessions,
                                 {"parity", bundle.sha256(), batch::identityOptions(options),
                                  batch::parityWork(bundle, options)});
        const auto result = jobs::runParityJob(bundle, options, jobControl(state, "parity"));
        if (state.json) {
          io::ReportJsonOptions summary;
          summary.includeSeries = false;
          summary.maxListItems = 20;
          printJson(io::parityReportToJson(result, summary));
        } else {
          printSummary(result);
        }
        return result.passed() ? kOk : kFindings;
      });
}

}  // namespace imuwb::cli
