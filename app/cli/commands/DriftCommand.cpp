// imuwb drift: per-layer quantization noise on its own (both Hailo analyze-noise views) plus
// input-clipping detection. A thin shell over quant::runDrift.
// Exit 0 = no layer under the flag threshold and no input clipping, 1 = findings, 2 = usage/input.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "Commands.hpp"
#include "ThreadsOption.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "io/ReportHtml.hpp"
#include "io/ReportJUnit.hpp"
#include "io/ReportJson.hpp"
#include "quant/DriftJob.hpp"
#include "quant/QuantConfigText.hpp"

namespace imuwb::cli {
namespace {

struct DriftArguments {
  std::string model, calib, report, html, junit, input_range,
      range = "minmax", weights = "per_channel", saveParams, devices;
  std::vector<std::string> sessions, a16, clip;
  int stride = 50, threads = 1, bits = 8;
  std::int64_t windows = 128;
  double flagBelow_db = 10.0;
  bool no_only_layer = false;
  bool force = false;
};

}  // namespace

void addDriftCommand(CLI::App& root, CliState& state) {
  auto args = std::make_shared<DriftArguments>();
  auto* command = root.add_subcommand(
      "drift",
      "Per-layer INT8 quantization noise (SNR per ONNX node, both Hailo views) and input "
      "clipping (exit 0 clean, 1 flagged layers or clipping, 2 usage/input error)");
  command->add_option("--model", args->model, "Model bundle (folder, .onnx or manifest .json)")
      ->required();
  command
      ->add_option("--calib", args->calib, "Calibration set .npy (model layout or NHWC [N,H,W,9])")
      ->required();
  command->add_option("--session", args->sessions,
                      "Session HDF5 file(s) to analyse (default: the calibration set)");
  command->add_option("--report", args->report, "JSON report (docs/parity.md)")->required();
  command->add_option("--html", args->html, "Self-contained HTML report");
  command->add_option("--junit", args->junit, "JUnit XML");
  command->add_option("--save-params", args->saveParams, "Write the quantization parameters JSON");
  command->add_option("--windows", args->windows, "Windows analysed")->capture_default_str();
  command->add_option("--stride", args->stride, "Window stride in samples")->capture_default_str();
  command->add_option("--devices", args->devices, "Session device per H index, comma-separated");
  command->add_option("--threads", args->threads, "Engine threads")
      ->check(threadCountCheck())
      ->capture_default_str();
  command->add_option("--bits", args->bits, "Activation and weight bits (what-if for all layers)")
      ->capture_default_str();
  command->add_option("--input-range", args->input_range,
                      "Force the input quantization range LO,HI (e.g. the HEF's)");
  command->add_option("--range", args->range, "minmax or percentile[:P]")->capture_default_str();
  command->add_option("--weights", args->weights, "per_channel or per_tensor")
      ->capture_default_str();
  command->add_option("--a16", args->a16, "What-if: set this ONNX node to a16_w16");
  command->add_option("--clip", args->clip, "What-if: NODE=LO,HI clipping override");
  command->add_option("--flag-below-db", args->flagBelow_db, "Flag layers under this SNR")
      ->capture_default_str();
  command->add_flag("--no-only-layer", args->no_only_layer,
                    "Skip the 'only this layer quantized' view (faster)");
  command->add_flag("--force", args->force, "Replace existing report and parameter files");

  command->callback([&state, args] {
    runGuarded(state, [&] {
      const auto& a = *args;
      if (a.bits < 2 || a.bits > 16)
        throw Error("--bits " + std::to_string(a.bits), "must be within 2..16", "e.g. 8 or 16");
      if (a.windows < 1) throw Error("--windows", "must be at least 1");
      // A bare .onnx is enough for .npy tensors; windowing a session still needs its manifest
      // (the window feed says so).
      BundleLoadOptions load;
      load.allowMissingManifest = true;
      const auto bundle = loadModelBundle(a.model, load);
      OutputPathCheck(a.force)
          .inputs(bundleFiles(bundle), "--model")
          .input(a.calib, "--calib")
          .inputs({a.sessions.begin(), a.sessions.end()}, "--session")
          .output(a.report, "--report")
          .output(a.html, "--html")
          .output(a.junit, "--junit")
          .output(a.saveParams, "--save-params")
          .enforce();
      quant::DriftOptions options;
      options.calibration = a.calib;
      options.sessions.assign(a.sessions.begin(), a.sessions.end());
      options.stride = a.stride;
      options.devices = splitCommaList(a.devices);
      options.config.activationBits = options.config.weightBits = a.bits;
      if (!a.input_range.empty()) quant::applyInputRange(options.config, a.input_range);
      quant::applyRangeMethod(options.config, a.range);
      quant::applyWeightGranularity(options.config, a.weights);
      quant::addSixteenBitLayers(options.config, a.a16);
      quant::addClipOverrides(options.config, a.clip);
      options.noise.maxWindows = a.windows;
      options.noise.onlyThisLayer = !a.no_only_layer;
      options.noise.flagBelow_db = a.flagBelow_db;
      options.noise.threads = a.threads;
      options.saveParams = a.saveParams;

      auto control = jobControl(state, "drift");
      const auto outcome = quant::runDrift(bundle, options, control);
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
