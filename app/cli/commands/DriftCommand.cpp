// imuwb drift: per-layer quantization noise on its own (both Hailo analyze-noise views) plus
// input-clipping detection. Flags -> jobs::DriftJobOptions, run the job (which writes the
// reports), print its result.
// Exit 0 = no layer under the flag threshold and no input clipping, 1 = findings, 2 = usage/input.
#include <algorithm>
#include <cstdio>

#include "Commands.hpp"
#include "batch/RecordingWork.hpp"
#include "commands/BatchSupport.hpp"
#include "flags/JobFlags.hpp"
#include "io/ReportJson.hpp"
#include "jobs/DriftJob.hpp"

namespace imuwb::cli {

namespace {

void printSummary(const jobs::DriftJobResult& outcome) {
  const auto& r = outcome.result;
  std::printf("drift %s: %zu windows, %llu calibration windows, %.1f s\n", r.modelName.c_str(),
              r.windows, static_cast<unsigned long long>(outcome.params.calibrationWindows),
              r.seconds);
  if (r.inputClipping)
    std::printf("  input range [%g, %g], data [%g, %g], clipped %.3f %%\n",
                r.inputClipping->rangeMin, r.inputClipping->rangeMax, r.inputClipping->dataMin,
                r.inputClipping->dataMax, r.inputClipping->clippedFraction * 100.0);
  std::printf("  %4s %-40s %-22s %10s %10s %8s\n", "rank", "node", "op", "at layer", "at outputs",
              "clipped");
  for (const auto& l : r.layers->layers)
    std::printf("  %4d %-40s %-22s %10.2f %10.2f %7.2f%% %s\n", l.rank, l.node.c_str(),
                l.op.c_str(), l.snrAllQuantized_db, l.snrOnlyThisLayerMin_db,
                l.clipFraction * 100.0, l.flagged ? "FLAGGED" : "");
  printFindingLines(r.findings);
}

}  // namespace

void addDriftCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<DriftFlags>(
      root, state, "drift",
      "Per-layer INT8 quantization noise (SNR per ONNX node, both Hailo views) and input "
      "clipping (exit 0 clean, 1 flagged layers or clipping, 2 usage/input error)",
      addDriftFlags, [&state](const DriftFlags& flags) -> int {
        const auto options = toDriftOptions(flags);
        const auto bundle = loadBundleAllowingBareOnnx(flags.model);
        if (flags.batch.active())
          return runBatchCommand(state, flags.batch, options.analysis.sessions,
                                 {"drift", bundle.sha256(), batch::identityOptions(options),
                                  batch::driftWork(bundle, options)});
        const auto outcome = jobs::runDriftJob(bundle, options, jobControl(state, "drift"));
        const auto& r = outcome.result;
        const bool flagged =
            r.layers && std::any_of(r.layers->layers.begin(), r.layers->layers.end(),
                                    [](const auto& l) { return l.flagged; });
        if (state.json) {
          io::ReportJsonOptions summary;
          summary.kind = "drift";
          summary.includeSeries = false;
          printJson(io::parityReportToJson(r, summary));
        } else {
          printSummary(outcome);
        }
        return (flagged || hasErrors(r.findings)) ? kFindings : kOk;
      });
}

}  // namespace imuwb::cli
