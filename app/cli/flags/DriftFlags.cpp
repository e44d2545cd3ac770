#include "CliSupport.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addDriftFlags(CLI::App& command, DriftFlags& flags) {
  auto& o = flags.options;
  auto& a = o.analysis;
  addModelFlag(command, flags.model);
  command
      .add_option("--calib", flags.calibration,
                  "Calibration set .npy (model layout or NHWC [N,H,W,9])")
      ->required();
  command.add_option("--session", flags.sessions,
                     "Session HDF5 file(s) to analyse (default: the calibration set)");
  addReportFlags(command, flags.reports, o.force);
  command.add_option("--save-params", flags.saveParams, "Write the quantization parameters JSON");
  command.add_option("--windows", a.noise.maxWindows, "Windows analysed")->capture_default_str();
  addWindowingFlags(command, a.stride, flags.devices, a.shareDevice);
  addThreadsFlag(command, o.threads, "Engine threads");
  command.add_option("--bits", o.int8.bits, "Activation and weight bits (what-if for all layers)")
      ->capture_default_str();
  addInt8ChoiceFlags(command, o.int8, "");
  command.add_option("--flag-below-db", a.noise.flagBelow_db, "Flag layers under this SNR")
      ->capture_default_str();
  command.add_flag("--no-only-layer", flags.noOnlyLayer,
                   "Skip the 'only this layer quantized' view (faster)");
  command.add_flag("--resample", a.resample,
                   "Resample sessions to the model's rate on the fly (anti-aliased)");
  addBatchFlags(command, flags.batch, {"--report"});
}

jobs::DriftJobOptions toDriftOptions(const DriftFlags& flags) {
  jobs::DriftJobOptions options = flags.options;
  options.int8.calibration = flags.calibration;
  checkBatchFlags(flags.batch);
  requireUnlessBatch(flags.batch, flags.reports.json, "--report");
  refuseInBatch(flags.batch, !flags.reports.json.empty(), "--report");
  options.analysis.sessions = sessionInputs(flags.sessions, flags.batch);
  options.analysis.devices = splitCommaList(flags.devices);
  options.analysis.saveParams = flags.saveParams;
  options.reports = flags.reports.files();
  if (flags.noOnlyLayer) options.analysis.noise.onlyThisLayer = false;
  return options;
}

}  // namespace imuwb::cli
