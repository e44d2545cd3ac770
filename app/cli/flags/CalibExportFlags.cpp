#include "CliSupport.hpp"
#include "common/Error.hpp"
#include "flags/JobFlags.hpp"
#include "quant/CalibrationSelection.hpp"

namespace imuwb::cli {
namespace {

void addSelectionFlags(CLI::App& command, CalibExportFlags& flags) {
  command.add_option("--range", flags.ranges,
                     "Only windows lying fully inside DEVICE:START-END (seconds from session "
                     "start, or m:ss / h:mm:ss); repeatable");
  command.add_option("--classes", flags.classes,
                     "Only windows labelled with one of these classes, comma-separated (windows "
                     "straddling a label boundary or unlabelled are excluded and counted)");
  command
      .add_option("--balance", flags.balance,
                  "none (proportional to class sizes) or classes (the same count per class)")
      ->check(CLI::IsMember({"none", "classes"}))
      ->capture_default_str();
}

void addCheckFlags(CLI::App& command, CalibExportFlags& flags) {
  auto& c = flags.coverage;
  command.add_option("--check", flags.check,
                     "Check this calibration set's coverage of the --session recordings instead "
                     "of exporting (exit 1 when a channel is above --max-outside)");
  command
      .add_option("--max-outside", c.maxOutside,
                  "--check: warn when a channel has more than this fraction of samples "
                  "outside the set's range")
      ->capture_default_str();
  command.add_option("--report", flags.report, "--check: write the coverage report (JSON)");
}

}  // namespace

void addCalibExportFlags(CLI::App& command, CalibExportFlags& flags) {
  auto& o = flags.options;
  addModelFlag(command, flags.model);
  command.get_option("--model")->required(false);  // not with --check; checked when exporting
  command.add_option("--session", flags.sessions, "Session HDF5 file(s) to window")->required();
  command.add_option("--out", flags.out, "Calibration .npy to write (manifest: <out>.json)");
  command.add_option("--windows", o.windows, "Windows to export")->capture_default_str();
  command.add_option("--layout", flags.layout, "nhwc (Hailo) or model (the manifest's layout)")
      ->check(CLI::IsMember({"nhwc", "model"}))
      ->default_str(o.layout == quant::CalibrationLayout::Model ? "model" : "nhwc");
  command.add_option("--seed", o.seed, "Sampling seed")->capture_default_str();
  addWindowingFlags(command, o.stride, flags.devices, o.shareDevice);
  addSelectionFlags(command, flags);
  addCheckFlags(command, flags);
  command.add_flag("--force", o.force,
                   "Replace existing outputs, and write even a single-class set");
  command.add_flag("--resample", o.resample,
                   "Resample sessions to the model's rate on the fly (anti-aliased)");
  addBatchFlags(command, flags.batch, {"--session"});
}

jobs::CalibExportJobOptions toCalibExportOptions(const CalibExportFlags& flags) {
  if (flags.model.empty())
    throw Error("calib-export", "--model is required to export a set",
                "give --model BUNDLE (or --check SET.npy to check a set's coverage)");
  if (flags.out.empty())
    throw Error("calib-export", "--out is required to export a set", "give --out calib.npy");
  if (flags.batch.active())
    throw Error("calib-export --out-dir", "a batch checks coverage; exporting makes one set",
                "give --check SET.npy with --out-dir, or export without --out-dir");
  checkBatchFlags(flags.batch);
  jobs::CalibExportJobOptions options = flags.options;
  options.sessions = sessionInputs(flags.sessions, flags.batch);
  options.out = flags.out;
  if (!flags.layout.empty()) options.layout = jobs::calibrationLayoutNamed(flags.layout);
  options.devices = splitCommaList(flags.devices);
  for (const auto& text : flags.ranges)
    options.ranges.push_back(quant::parseCalibrationRange(text));
  for (const auto& name : splitCommaList(flags.classes)) {
    if (name.empty())
      throw Error("--classes " + flags.classes, "has an empty class name",
                  "write the classes comma-separated, e.g. --classes walk,trot");
    options.classes.push_back(name);
  }
  options.balance = quant::calibrationBalanceNamed(flags.balance);
  return options;
}

jobs::CalibCoverageJobOptions toCalibCoverageOptions(const CalibExportFlags& flags) {
  checkBatchFlags(flags.batch);
  refuseInBatch(flags.batch, !flags.report.empty(), "--report");
  jobs::CalibCoverageJobOptions options = flags.coverage;
  options.calibrationSet = flags.check;
  options.sessions = sessionInputs(flags.sessions, flags.batch);
  options.devices = splitCommaList(flags.devices);
  options.report = flags.report;
  options.force = flags.options.force;
  return options;
}

}  // namespace imuwb::cli
