// imuwb drift: per-layer quantization noise on its own (both Hailo analyze-noise views) plus
// input-clipping detection. Flags -> jobs::DriftJobOptions, run the job, write and print its
// result.
// Exit 0 = no layer under the flag threshold and no input clipping, 1 = findings, 2 = usage/input.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "Commands.hpp"
#include "common/OutputPaths.hpp"
#include "flags/JobFlags.hpp"
#include "io/ReportHtml.hpp"
#include "io/ReportJUnit.hpp"
#include "io/ReportJson.hpp"
#include "jobs/DriftJob.hpp"

namespace imuwb::cli {

void addDriftCommand(CLI::App& root, CliState& state) {
  auto flags = std::make_shared<DriftFlags>();
  auto* command = root.add_subcommand(
      "drift",
      "Per-layer INT8 quantization noise (SNR per ONNX node, both Hailo views) and input "
      "clipping (exit 0 clean, 1 flagged layers or clipping, 2 usage/input error)");
  addDriftFlags(*command, *flags);

  command->callback([&state, flags] {
    runGuarded(state, [&] {
      const auto& a = *flags;
      const auto options = toDriftOptions(a);
      // A bare .onnx is enough for .npy tensors; windowing a session still needs its manifest
      // (the window feed says so).
      BundleLoadOptions load;
      load.allowMissingManifest = true;
      const auto bundle = loadModelBundle(a.model, load);
      OutputPathCheck(a.force)
          .inputs(bundleFiles(bundle), "--model")
          .input(a.calibration, "--calib")
          .inputs({a.sessions.begin(), a.sessions.end()}, "--session")
          .output(a.report, "--report")
          .output(a.html, "--html")
          .output(a.junit, "--junit")
          .output(a.saveParams, "--save-params")
          .enforce();
      auto control = jobControl(state, "drift");
      const auto outcome = jobs::runDriftJob(bundle, options, control);
      const auto& r = outcome.result;
      io::ReportJsonOptions json_options;
      json_options.kind = "drift";
      io::writeParityReportJson(r, a.report, json_options);
      if (!a.html.empty()) io::writeParityReportHtml(r, a.html, "imuwb drift: " + r.modelName);
      if (!a.junit.empty()) io::writeParityReportJUnit(r, a.junit, "imuwb.drift");
      const bool flagged = r.layers && std::any_of(r.layers->layers.begin(), r.layers->layers.end(),
                                                   [](const auto& l) { return l.flagged; });
      if (state.json) {
        json_options.includeSeries = false;
        printJson(io::parityReportToJson(r, json_options));
      } else {
        std::printf("drift %s: %zu windows, %llu calibration windows, %.1f s\n",
                    r.modelName.c_str(), r.windows,
                    static_cast<unsigned long long>(outcome.params.calibrationWindows), r.seconds);
        if (r.inputClipping)
          std::printf("  input range [%g, %g], data [%g, %g], clipped %.3f %%\n",
                      r.inputClipping->rangeMin, r.inputClipping->rangeMax,
                      r.inputClipping->dataMin, r.inputClipping->dataMax,
                      r.inputClipping->clippedFraction * 100.0);
        std::printf("  %4s %-40s %-22s %10s %10s %8s\n", "rank", "node", "op", "at layer",
                    "at outputs", "clipped");
        for (const auto& l : r.layers->layers)
          std::printf("  %4d %-40s %-22s %10.2f %10.2f %7.2f%% %s\n", l.rank, l.node.c_str(),
                      l.op.c_str(), l.snrAllQuantized_db, l.snrOnlyThisLayerMin_db,
                      l.clipFraction * 100.0, l.flagged ? "FLAGGED" : "");
        printFindingLines(r.findings);
      }
      return (flagged || hasErrors(r.findings)) ? kFindings : kOk;
    });
  });
}

}  // namespace imuwb::cli
