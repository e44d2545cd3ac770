#include "CliSupport.hpp"
#include "common/Error.hpp"
#include "flags/JobFlags.hpp"

namespace imuwb::cli {

void addRunFlags(CLI::App& command, RunFlags& flags, const std::string& backendHelp) {
  auto& o = flags.options;
  addModelFlag(command, flags.model);
  command.add_option("--session", flags.sessions,
                     "Session HDF5 (with --out-dir: repeatable, globs and folders too)");
  command.add_option("--backend", o.backend, backendHelp)->capture_default_str();
  command.add_option("--out", flags.out, "Outputs HDF5 to write (docs/outputs-format.md)");
  command.add_option("--csv", flags.csv, "Also write one CSV row per window");
  addWindowingFlags(command, o.run.stride, flags.devices, o.run.shareDevice);
  command.add_option("--label-rule", flags.label_rule, "Window label: centre or majority")
      ->check(CLI::IsMember({"centre", "center", "majority"}))
      ->default_str(o.run.labelRule == LabelRule::Majority ? "majority" : "centre");
  command.add_option("--backend-option", flags.backend_options,
                     "KEY=VALUE setting for the backend (repeatable), e.g. input_range=-4,4");
  command.add_option("--calib", flags.calibration,
                     "Calibration set .npy for backends that quantize (int8): calibration=PATH");
  command.add_option("--quant-params", flags.quantParams,
                     "Saved quantization parameters .json (int8): quant_params=PATH");
  addThreadsFlag(command, o.threads, "Engine threads (cpu backend)");
  command.add_option("--max-windows", o.run.maxWindows, "Stop after this many windows (0 = all)");
  command.add_flag("--force", o.force, "Replace --out/--csv if they exist");
  command.add_flag("--resample", o.resample,
                   "Resample the session to the model's rate on the fly (anti-aliased)");
  addBatchFlags(command, flags.batch, {});
}

jobs::RunJobOptions toRunOptions(const RunFlags& flags) {
  jobs::RunJobOptions options = flags.options;
  checkBatchFlags(flags.batch);
  const auto sessions = sessionInputs(flags.sessions, flags.batch);
  if (!flags.batch.active()) {
    if (sessions.size() != 1)
      throw Error("--session",
                  "run takes one session (" + std::to_string(sessions.size()) + " given)",
                  "give one --session, or --out-dir FOLDER to run each of them (docs/scale.md)");
    options.session = sessions.front();
  }
  requireUnlessBatch(flags.batch, flags.out, "--out");
  refuseInBatch(flags.batch, !flags.out.empty(), "--out");
  options.run.outPath = flags.out;
  options.run.csvPath = flags.csv;
  options.run.devices = splitCommaList(flags.devices);
  if (!flags.label_rule.empty())
    options.run.labelRule =
        flags.label_rule == "majority" ? LabelRule::Majority : LabelRule::CentreSample;
  options.backendSettings = parseBackendSettings(flags.backend_options);
  options.calibration = flags.calibration;
  options.quantParams = flags.quantParams;
  return options;
}

}  // namespace imuwb::cli
