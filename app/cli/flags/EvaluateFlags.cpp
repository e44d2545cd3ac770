#include "CliSupport.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addEvaluateFlags(CLI::App& command, EvaluateFlags& flags) {
  auto& o = flags.options;
  addModelFlag(command, flags.model);
  command.add_option("--session", flags.sessions, "Labelled session HDF5 file(s)")->required();
  command.add_option("--backend", o.backend, "Backend to evaluate")->capture_default_str();
  command.add_option("--compare-backend", o.compareBackend,
                     "A second backend, evaluated the same way and compared window by window");
  command.add_option("--backend-option", flags.backendOptions,
                     "KEY=VALUE setting for --backend (repeatable), e.g. url=http://pi:9000/infer");
  command.add_option("--compare-option", flags.compareOptions,
                     "KEY=VALUE setting for --compare-backend (repeatable)");
  command.add_option("--calib", o.int8.calibration, "int8: calibration set .npy");
  command.add_option("--quant-params", o.int8.quantParams,
                     "int8: saved quantization parameters .json");
  command.add_option("--input-range", o.int8.inputRange, "int8: force the input range LO,HI");
  command.add_option("--range", o.int8.range, "int8: minmax or percentile[:P]")
      ->capture_default_str();
  command.add_option("--weights", o.int8.weights, "int8: per_channel or per_tensor")
      ->capture_default_str();
  addWindowingFlags(command, o.stride, flags.devices, o.shareDevice);
  command.add_option("--label-rule", flags.labelRule, "Window label: centre or majority (as run)")
      ->check(CLI::IsMember({"centre", "center", "majority"}))
      ->capture_default_str();
  command.add_option("--max-windows", o.maxWindows, "Evaluate at most this many windows");
  command.add_flag("--resample", o.resample,
                   "Resample sessions to the model's rate on the fly (anti-aliased)");
  addThreadsFlag(command, o.threads, "Engine threads per backend");
  command
      .add_option("--calibration-split", o.calibrationSplit,
                  "Fraction of labelled windows that calibrate (temperature, conformal)")
      ->capture_default_str();
  command
      .add_option("--split-block", o.splitBlock,
                  "Consecutive windows kept on one side of the split (docs/evaluate.md)")
      ->capture_default_str();
  command.add_option("--alpha", o.alpha, "Conformal miscoverage level (sets cover 1-alpha)")
      ->capture_default_str();
  addReportFlags(command, flags.reports, o.force);
  command.add_option("--min-accuracy", flags.minAccuracy,
                     "Fail (exit 1) when a backend's accuracy is below this");
  command.add_option("--max-ece", flags.maxEce, "Fail (exit 1) when a backend's ECE is above this");
  command.add_option("--min-coverage", flags.minCoverage,
                     "Fail (exit 1) when a conformal coverage (LAC or APS) is below this");
  addBatchFlags(command, flags.batch, {"--session", "--report"});
}

jobs::EvaluateJobOptions toEvaluateOptions(const EvaluateFlags& flags) {
  jobs::EvaluateJobOptions options = flags.options;
  checkBatchFlags(flags.batch);
  requireUnlessBatch(flags.batch, flags.reports.json, "--report");
  refuseInBatch(flags.batch, !flags.reports.json.empty(), "--report");
  options.sessions = sessionInputs(flags.sessions, flags.batch);
  options.devices = splitCommaList(flags.devices);
  options.labelRule = flags.labelRule == "majority" ? LabelRule::Majority : LabelRule::CentreSample;
  if (flags.minAccuracy >= 0) options.thresholds.minAccuracy = flags.minAccuracy;
  if (flags.maxEce >= 0) options.thresholds.maxEce = flags.maxEce;
  if (flags.minCoverage >= 0) options.thresholds.minCoverage = flags.minCoverage;
  options.reports = flags.reports.files();
  options.backendSettings = parseBackendSettings(flags.backendOptions, "--backend-option");
  options.compareSettings = parseBackendSettings(flags.compareOptions, "--compare-option");
  return options;
}

}  // namespace imuwb::cli
