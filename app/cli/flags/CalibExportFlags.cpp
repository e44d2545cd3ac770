#include "CliSupport.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addCalibExportFlags(CLI::App& command, CalibExportFlags& flags) {
  auto& o = flags.options;
  addModelFlag(command, flags.model);
  command.add_option("--session", flags.sessions, "Session HDF5 file(s) to window")->required();
  command.add_option("--out", flags.out, "Calibration .npy to write (manifest: <out>.json)")
      ->required();
  command.add_option("--windows", o.windows, "Windows to export")->capture_default_str();
  command.add_option("--layout", flags.layout, "nhwc (Hailo) or model (the manifest's layout)")
      ->check(CLI::IsMember({"nhwc", "model"}))
      ->default_str(o.layout == quant::CalibrationLayout::Model ? "model" : "nhwc");
  command.add_option("--seed", o.seed, "Sampling seed")->capture_default_str();
  addWindowingFlags(command, o.stride, flags.devices, o.shareDevice);
  command.add_flag("--force", o.force,
                   "Replace existing outputs, and write even a single-class set");
  command.add_flag("--resample", o.resample,
                   "Resample sessions to the model's rate on the fly (anti-aliased)");
}

jobs::CalibExportJobOptions toCalibExportOptions(const CalibExportFlags& flags) {
  jobs::CalibExportJobOptions options = flags.options;
  options.sessions.assign(flags.sessions.begin(), flags.sessions.end());
  options.out = flags.out;
  if (!flags.layout.empty()) options.layout = jobs::calibrationLayoutNamed(flags.layout);
  options.devices = splitCommaList(flags.devices);
  return options;
}

}  // namespace imuwb::cli
