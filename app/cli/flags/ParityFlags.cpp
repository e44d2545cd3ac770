#include <map>

#include "CliSupport.hpp"
#include "common/Error.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {
namespace {

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

}  // namespace

void addParityFlags(CLI::App& command, ParityFlags& flags) {
  auto& o = flags.options;
  auto& c = o.compare;
  addModelFlag(command, flags.model);
  command.add_option("--session", flags.sessions, "Session HDF5 file(s) to window");
  command.add_option("--inputs", flags.inputs,
                     "Windows .npy [N,...] in the model layout or NHWC [N,H,W,9]");
  command.add_option("--a", o.a, "Source A: backend name (cpu, int8...) or a recording")
      ->capture_default_str();
  command.add_option("--b", o.b, "Source B: backend name or a recording")->capture_default_str();
  command.add_option("--a-option", flags.aOptions,
                     "KEY=VALUE setting for backend A (repeatable), e.g. url=http://pi:9000/infer");
  command.add_option("--b-option", flags.bOptions,
                     "KEY=VALUE setting for backend B (repeatable), e.g. url=http://pi:9000/infer");
  command.add_option("--reference", o.reference,
                     "Recorded reference as source A: NPY folder or outputs .h5[:BACKEND]");
  command.add_option("--calib", flags.calibration, "Calibration set .npy for the int8 backend");
  command.add_option("--quant-params", flags.quantParams,
                     "Saved quantization parameters JSON for the int8 backend");
  command.add_option("--save-params", flags.saveParams,
                     "Write the int8 backend's quantization parameters JSON here");
  addReportFlags(command, flags.reports, o.force);
  command.add_option("--min-cosine", flags.minCosine,
                     "Tolerance OUTPUT=VALUE (or VALUE for all outputs); repeatable");
  command.add_option("--min-top1", flags.minTop1, "Minimum top-1 agreement for logits, 0..1");
  command.add_option("--min-snr-db", flags.minSnr_db, "Minimum output SNR in dB");
  command.add_option("--motif-threshold", c.motifThreshold, "Score threshold for motif crossings")
      ->capture_default_str();
  addWindowingFlags(command, c.stride, flags.devices, c.shareDevice);
  command.add_option("--max-windows", c.maxWindows, "Compare at most this many windows");
  command.add_flag("--resample", c.resample,
                   "Resample sessions to the model's rate on the fly (anti-aliased)");
  addThreadsFlag(command, o.threads, "Engine threads per backend");
  addInt8ChoiceFlags(command, o.int8, "int8: ");
  command.add_flag("--no-layers", flags.noLayers, "Skip the per-layer noise analysis");
  command.add_flag("--no-only-layer", flags.noOnlyLayer,
                   "Per-layer analysis: skip the 'only this layer quantized' view");
  command
      .add_option("--layer-windows", c.noise.maxWindows, "Windows used by the per-layer analysis")
      ->capture_default_str();
  command.add_option("--flag-below-db", c.noise.flagBelow_db, "Flag layers under this SNR")
      ->capture_default_str();
  addBatchFlags(command, flags.batch, {"--report"});
}

jobs::ParityJobOptions toParityOptions(const ParityFlags& flags) {
  jobs::ParityJobOptions options = flags.options;
  options.aSettings = parseBackendSettings(flags.aOptions, "--a-option");
  options.bSettings = parseBackendSettings(flags.bOptions, "--b-option");
  auto& c = options.compare;
  checkBatchFlags(flags.batch);
  requireUnlessBatch(flags.batch, flags.reports.json, "--report");
  refuseInBatch(flags.batch, !flags.reports.json.empty(), "--report");
  refuseInBatch(flags.batch, !flags.inputs.empty(), "--inputs");
  c.sessions = sessionInputs(flags.sessions, flags.batch);
  c.inputsNpy = flags.inputs;
  c.devices = splitCommaList(flags.devices);
  c.minCosine = parseMinCosine(flags.minCosine);
  if (flags.minTop1 >= 0) c.minTop1Agreement = flags.minTop1;
  if (flags.minSnr_db > -1e299) c.minSnr_db = flags.minSnr_db;
  if (flags.noLayers) c.layerAnalysis = false;
  if (flags.noOnlyLayer) c.noise.onlyThisLayer = false;
  options.int8.calibration = flags.calibration;
  options.int8.quantParams = flags.quantParams;
  options.saveParams = flags.saveParams;
  options.reports = flags.reports.files();
  return options;
}

}  // namespace imuwb::cli
