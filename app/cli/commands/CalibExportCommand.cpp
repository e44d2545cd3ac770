// imuwb calib-export: write a calibration set (.npy + <out>.json provenance manifest) for the
// Hailo Dataflow Compiler from sessions, preprocessed exactly as at inference. Flags ->
// jobs::CalibExportJobOptions, run the job, print its result. Exit 0 = written, 1 = error-level
// finding (a single-class set is refused unless --force), 2 = usage or input error.
// With --check SET.npy: the coverage job instead (jobs::CalibCoverageJob). Exit 0 = covered,
// 1 = a channel above --max-outside, 2 = usage or input error.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "Commands.hpp"
#include "batch/RecordingWork.hpp"
#include "commands/BatchSupport.hpp"
#include "common/Error.hpp"
#include "flags/JobFlags.hpp"
#include "jobs/CalibCoverageJob.hpp"
#include "jobs/CalibExportJob.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::cli {
namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

void printSelection(const quant::CalibrationExportResult& r) {
  const auto& c = r.selection;
  std::printf(
      "  windows: %zu accepted, %zu candidates, %zu excluded (%zu out of range, %zu "
      "unlabelled, %zu straddle a label boundary, %zu other classes)\n",
      c.windows, c.candidates, c.excluded(), c.outOfRange, c.unlabelled, c.straddling,
      c.otherClass);
  if (r.perClass) std::printf("  balanced: %zu windows per class\n", r.perClass);
}

void printSummary(const quant::CalibrationExportResult& r, const std::string& layout) {
  if (r.written)
    std::printf("calibration set: %zu windows (of %zu available), shape %s %s float32\n",
                r.exported, r.available, shapeText(r.shape).c_str(), layout.c_str());
  else
    std::printf("calibration set NOT written (%zu windows of %zu available): see findings\n",
                r.exported, r.available);
  printSelection(r);
  std::printf("  values: %s\n", r.normalized ? "normalized (z-scored by the host)" : "raw");
  std::printf("  class histogram:\n");
  for (const auto& [name, count] : r.classHistogram)
    std::printf(
        "    %-20s %6zu  %5.1f %%\n", name.c_str(), count,
        r.exported ? 100.0 * static_cast<double>(count) / static_cast<double>(r.exported) : 0.0);
  if (r.written)
    std::printf("  wrote %s\n  wrote %s\n", r.npyPath.string().c_str(),
                r.manifestPath.string().c_str());
  printFindingLines(r.findings);
}

void printCoverage(const quant::CoverageResult& r) {
  std::printf("coverage of %s (%s values) over %zu session(s), threshold %.3g %%:\n",
              r.calibrationSet.string().c_str(), r.values.c_str(), r.sessions.size(),
              100.0 * r.maxOutside);
  std::printf("  %-8s %12s %12s %12s %10s\n", "channel", "set min", "set max", "outside",
              "fraction");
  for (const auto& c : r.channels)
    std::printf("  %-8s %12.5g %12.5g %12zu %9.4f%%%s\n", c.name.c_str(), c.min, c.max,
                c.below + c.above, 100.0 * c.fraction, c.warned ? "  WARN" : "");
  printFindingLines(r.findings);
}

int runCoverage(CliState& state, const CalibExportFlags& flags) {
  if (!flags.out.empty() || !flags.ranges.empty() || !flags.classes.empty())
    throw Error("calib-export --check", "checks a set; --out, --range and --classes export one",
                "run the export and the check as two commands");
  if (!flags.model.empty())
    throw Error("calib-export --check --model " + flags.model,
                "the check reads the set's own range; a model is not used",
                "drop --model (the set's manifest gives its layout and units)");
  const auto options = toCalibCoverageOptions(flags);
  if (flags.batch.active())
    return runBatchCommand(
        state, flags.batch, options.sessions,
        {"coverage", "", batch::identityOptions(options), batch::coverageWork(options)});
  auto control = jobControl(state, "calib-export --check");
  const auto result = jobs::runCalibCoverageJob(options, control);
  if (state.json)
    printJson(quant::coverageJson(result));
  else
    printCoverage(result);
  return result.warned ? kFindings : kOk;
}

}  // namespace

void addCalibExportCommand(CLI::App& root, CliState& state) {
  addFlagsCommand<CalibExportFlags>(
      root, state, "calib-export",
      "Export a calibration set (.npy + manifest) for the Hailo compiler", addCalibExportFlags,
      [&state](const CalibExportFlags& flags) -> int {
        if (!flags.check.empty()) return runCoverage(state, flags);
        const auto options = toCalibExportOptions(flags);
        const auto bundle = loadModelBundle(flags.model);
        auto control = jobControl(state, "calib-export");
        const auto result = jobs::runCalibExportJob(bundle, options, control);
        if (state.json) {
          auto doc = result.manifest;
          doc.erase("windows");  // per-window provenance stays in the file
          doc["written"] = result.written;
          doc["out"] = result.npyPath.string();
          doc["manifest_path"] = result.manifestPath.string();
          printJson(doc);
        } else {
          printSummary(result, result.manifest.value("layout", ""));
        }
        return hasErrors(result.findings) ? kFindings : kOk;
      });
}

}  // namespace imuwb::cli
