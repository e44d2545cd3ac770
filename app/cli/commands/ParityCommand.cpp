// imuwb parity: compare two sources of a model's outputs (backends or recordings) window by
// window, gate on per-output tolerances, and write JSON/HTML/JUnit reports. A thin shell over
// quant::runParity. Exit 0 = every check passed, 1 = a check failed, 2 = usage or input error.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "Commands.hpp"
#include "ThreadsOption.hpp"
#include "backends/BackendRegistry.hpp"
#include "backends/Int8Backend.hpp"
#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "io/ReportHtml.hpp"
#include "io/ReportJUnit.hpp"
#include "io/ReportJson.hpp"
#include "quant/ParityJob.hpp"
#include "quant/QuantConfigText.hpp"

namespace imuwb::cli {
namespace {

struct ParityArguments {
  std::string model, inputs, a = "cpu", b = "int8", reference, calib, quantParams, saveParams;
  std::vector<std::string> sessions, minCosine, a16, clip;
  std::string report, html, junit, input_range, range = "minmax", weights = "per_channel";
  std::string devices;
  int stride = 50, threads = 1;
  std::size_t maxWindows = 0;
  std::int64_t layer_windows = 128;
  double min_top1 = -1.0, minSnr_db = -1e300, motifThreshold = 0.5, flagBelow_db = 10.0;
  bool no_layers = false, no_only_layer = false, force = false;
};

// "--min-cosine OUT=0.95" or "--min-cosine 0.95" (every output).
std::map<std::string, double> parseMinCosine(const std::vector<std::string>& specs) {
  std::map<std::string, double> out;
  for (const auto& spec : specs) {
    const auto eq = spec.rfind('=');
    const std::string name = eq == std::string::npos ? "" : spec.substr(0, eq);
    const std::string value = eq == std::string::npos ? spec : spec.substr(eq + 1);
    double v = 0;
    try {
      std::size_t used = 0;
      v = std::stod(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      throw Error("--min-cosine " + spec, "expected OUTPUT=VALUE or VALUE", "e.g. latent=0.95");
    }
    if (v < -1.0 || v > 1.0)
      throw Error("--min-cosine " + spec, "a cosine threshold must be within [-1, 1]", "");
    out[name] = v;
  }
  return out;
}

bool looksRecorded(const std::string& source) {
  if (source.empty()) return false;
  const auto colon = source.rfind(':');
  return std::filesystem::exists(source) ||
         (colon != std::string::npos && std::filesystem::exists(source.substr(0, colon))) ||
         source.find('/') != std::string::npos || source.ends_with(".h5");
}

// The files a recorded source reads ("outputs.h5:BACKEND" reads outputs.h5), for the
// output-path policy; a backend name reads nothing.
std::vector<std::filesystem::path> recordedFiles(const std::string& source) {
  if (!looksRecorded(source)) return {};
  const auto colon = source.rfind(':');
  if (colon == std::string::npos) return {source};
  return {source, source.substr(0, colon)};
}

void printSummary(const analysis::ParityResult& r) {
  std::printf("parity %s: A=%s (%s) B=%s (%s), %zu windows, %.1f s\n", r.modelName.c_str(),
              r.a.label.c_str(), r.a.precision.c_str(), r.b.label.c_str(), r.b.precision.c_str(),
              r.windows, r.seconds);
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
  auto args = std::make_shared<ParityArguments>();
  auto* command = root.add_subcommand(
      "parity",
      "Compare two sources of a model's outputs (backends or recordings) and gate on tolerances "
      "(exit 0 pass, 1 a check failed, 2 usage/input error)");
  command->add_option("--model", args->model, "Model bundle (folder, .onnx or manifest .json)")
      ->required();
  command->add_option("--session", args->sessions, "Session HDF5 file(s) to window");
  command->add_option("--inputs", args->inputs,
                      "Windows .npy [N,...] in the model layout or NHWC [N,H,W,9]");
  command->add_option("--a", args->a, "Source A: backend name (cpu, int8...) or a recording")
      ->capture_default_str();
  command->add_option("--b", args->b, "Source B: backend name or a recording")
      ->capture_default_str();
  command->add_option("--reference", args->reference,
                      "Recorded reference as source A: NPY folder or outputs .h5[:BACKEND]");
  command->add_option("--calib", args->calib, "Calibration set .npy for the int8 backend");
  command->add_option("--quant-params", args->quantParams,
                      "Saved quantization parameters JSON for the int8 backend");
  command->add_option("--save-params", args->saveParams,
                      "Write the int8 backend's quantization parameters JSON here");
  command->add_option("--report", args->report, "JSON report (docs/parity.md)")->required();
  command->add_option("--html", args->html, "Self-contained HTML report");
  command->add_option("--junit", args->junit, "JUnit XML, one test case per output check");
  command->add_option("--min-cosine", args->minCosine,
                      "Tolerance OUTPUT=VALUE (or VALUE for all outputs); repeatable");
  command->add_option("--min-top1", args->min_top1, "Minimum top-1 agreement for logits, 0..1");
  command->add_option("--min-snr-db", args->minSnr_db, "Minimum output SNR in dB");
  command
      ->add_option("--motif-threshold", args->motifThreshold, "Score threshold for motif crossings")
      ->capture_default_str();
  command->add_option("--stride", args->stride, "Window stride in samples")->capture_default_str();
  command->add_option("--devices", args->devices, "Session device per H index, comma-separated");
  command->add_option("--max-windows", args->maxWindows, "Compare at most this many windows");
  command->add_option("--threads", args->threads, "Engine threads per backend")
      ->check(threadCountCheck())
      ->capture_default_str();
  command->add_option("--input-range", args->input_range,
                      "int8: force the input quantization range LO,HI (e.g. the HEF's)");
  command->add_option("--range", args->range, "int8: minmax or percentile[:P]")
      ->capture_default_str();
  command->add_option("--weights", args->weights, "int8: per_channel or per_tensor")
      ->capture_default_str();
  command->add_option("--a16", args->a16, "int8 what-if: set this ONNX node to a16_w16");
  command->add_option("--clip", args->clip, "int8 what-if: NODE=LO,HI clipping override");
  command->add_flag("--no-layers", args->no_layers, "Skip the per-layer noise analysis");
  command->add_flag("--no-only-layer", args->no_only_layer,
                    "Per-layer analysis: skip the 'only this layer quantized' view");
  command
      ->add_option("--layer-windows", args->layer_windows, "Windows used by the per-layer analysis")
      ->capture_default_str();
  command->add_option("--flag-below-db", args->flagBelow_db, "Flag layers under this SNR")
      ->capture_default_str();
  command->add_flag("--force", args->force, "Replace existing report and parameter files");

  command->callback([&state, args] {
    runGuarded(state, [&] {
      const auto& a = *args;
      if (a.stride < 1) throw Error("--stride " + std::to_string(a.stride), "must be at least 1");
      // A bare .onnx is enough for .npy tensors; windowing a session still needs its manifest
      // (the window feed says so).
      BundleLoadOptions load;
      load.allowMissingManifest = true;
      const auto bundle = loadModelBundle(a.model, load);
      OutputPathCheck(a.force)
          .inputs(bundleFiles(bundle), "--model")
          .inputs({a.sessions.begin(), a.sessions.end()}, "--session")
          .input(a.inputs, "--inputs")
          .input(a.calib, "--calib")
          .input(a.quantParams, "--quant-params")
          .inputs(recordedFiles(a.reference), "--reference")
          .inputs(recordedFiles(a.a), "--a")
          .inputs(recordedFiles(a.b), "--b")
          .output(a.report, "--report")
          .output(a.html, "--html")
          .output(a.junit, "--junit")
          .output(a.saveParams, "--save-params")
          .enforce();
      quant::ParityOptions options;
      options.sessions.assign(a.sessions.begin(), a.sessions.end());
      options.inputsNpy = a.inputs;
      options.stride = a.stride;
      options.devices = splitCommaList(a.devices);
      options.maxWindows = a.maxWindows;
      options.minCosine = parseMinCosine(a.minCosine);
      if (a.min_top1 >= 0) options.minTop1Agreement = a.min_top1;
      if (a.minSnr_db > -1e299) options.minSnr_db = a.minSnr_db;
      options.motifThreshold = a.motifThreshold;
      options.layerAnalysis = !a.no_layers;
      options.noise.maxWindows = a.layer_windows;
      options.noise.onlyThisLayer = !a.no_only_layer;
      options.noise.flagBelow_db = a.flagBelow_db;
      options.noise.threads = a.threads;

      quant::QuantConfig config;
      if (!a.input_range.empty()) quant::applyInputRange(config, a.input_range);
      quant::applyRangeMethod(config, a.range);
      quant::applyWeightGranularity(config, a.weights);
      quant::addSixteenBitLayers(config, a.a16);
      quant::addClipOverrides(config, a.clip);

      const auto registry = makeDefaultBackendRegistry();
      std::vector<std::unique_ptr<Backend>> backends;
      std::vector<std::unique_ptr<quant::RecordedOutputs>> recordings;
      Int8Backend* int8 = nullptr;
      auto side = [&](const std::string& spec) {
        quant::ParitySide s;
        if (looksRecorded(spec) && !registry.contains(spec)) {
          recordings.push_back(std::make_unique<quant::RecordedOutputs>(
              quant::loadRecordedOutputs(spec, bundle.manifest)));
          s.recorded = recordings.back().get();
          return s;
        }
        if (spec == "int8") {
          Int8BackendOptions o;
          o.calibration = a.calib;
          o.quantParams = a.quantParams;
          o.config = config;
          o.threads = a.threads;
          if (state.signals) o.stop = state.signals->token();
          auto backend = std::make_unique<Int8Backend>(o);
          int8 = backend.get();
          backends.push_back(std::move(backend));
        } else {
          BackendOptions o;
          o.settings["threads"] = std::to_string(a.threads);
          backends.push_back(registry.create(spec, o));
        }
        backends.back()->load(bundle);
        s.backend = backends.back().get();
        return s;
      };
      const std::string a_spec = a.reference.empty() ? a.a : a.reference;
      if (!a.reference.empty() && a.a != "cpu")
        throw Error("--reference " + a.reference, "--reference replaces --a; both were given",
                    "give the recording with --reference or --a, not both");
      const auto side_a = side(a_spec);
      const auto side_b = side(a.b);
      if (int8 && !a.saveParams.empty()) quant::saveQuantParams(int8->quantParams(), a.saveParams);

      auto control = jobControl(state, "parity");
      const auto result = quant::runParity(bundle, side_a, side_b, options, control);

      io::writeParityReportJson(result, a.report);
      if (!a.html.empty())
        io::writeParityReportHtml(result, a.html, "imuwb parity: " + result.modelName);
      if (!a.junit.empty()) io::writeParityReportJUnit(result, a.junit);
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
  });
}

}  // namespace imuwb::cli
