#include "CliSupport.hpp"
#include "ThreadsOption.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addDriftFlags(CLI::App& command, DriftFlags& flags) {
  auto& o = flags.options;
  auto& a = o.analysis;
  command.add_option("--model", flags.model, "Model bundle (folder, .onnx or manifest .json)")
      ->required();
  command
      .add_option("--calib", flags.calibration,
                  "Calibration set .npy (model layout or NHWC [N,H,W,9])")
      ->required();
  command.add_option("--session", flags.sessions,
                     "Session HDF5 file(s) to analyse (default: the calibration set)");
  command.add_option("--report", flags.report, "JSON report (docs/parity.md)")->required();
  command.add_option("--html", flags.html, "Self-contained HTML report");
  command.add_option("--junit", flags.junit, "JUnit XML");
  command.add_option("--save-params", flags.saveParams, "Write the quantization parameters JSON");
  command.add_option("--windows", a.noise.maxWindows, "Windows analysed")->capture_default_str();
  command.add_option("--stride", a.stride, "Window stride in samples")->capture_default_str();
  command.add_option("--devices", flags.devices, "Session device per H index, comma-separated");
  command.add_option("--threads", o.threads, "Engine threads")
      ->check(threadCountCheck())
      ->capture_default_str();
  command.add_option("--bits", o.int8.bits, "Activation and weight bits (what-if for all layers)")
      ->capture_default_str();
  command.add_option("--input-range", o.int8.inputRange,
                     "Force the input quantization range LO,HI (e.g. the HEF's)");
  command.add_option("--range", o.int8.range, "minmax or percentile[:P]")->capture_default_str();
  command.add_option("--weights", o.int8.weights, "per_channel or per_tensor")
      ->capture_default_str();
  command.add_option("--a16", o.int8.a16, "What-if: set this ONNX node to a16_w16");
  command.add_option("--clip", o.int8.clip, "What-if: NODE=LO,HI clipping override");
  command.add_option("--flag-below-db", a.noise.flagBelow_db, "Flag layers under this SNR")
      ->capture_default_str();
  command.add_flag("--no-only-layer", flags.noOnlyLayer,
                   "Skip the 'only this layer quantized' view (faster)");
  command.add_flag("--force", flags.force, "Replace existing report and parameter files");
}

jobs::DriftJobOptions toDriftOptions(const DriftFlags& flags) {
  jobs::DriftJobOptions options = flags.options;
  options.int8.calibration = flags.calibration;
  options.analysis.sessions.assign(flags.sessions.begin(), flags.sessions.end());
  options.analysis.devices = splitCommaList(flags.devices);
  options.analysis.saveParams = flags.saveParams;
  if (flags.noOnlyLayer) options.analysis.noise.onlyThisLayer = false;
  return options;
}

}  // namespace imuwb::cli
