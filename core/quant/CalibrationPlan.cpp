#include "quant/CalibrationPlan.hpp"

#include <set>

#include "common/Error.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/ResampledSource.hpp"
#include "quant/CalibrationSampling.hpp"

namespace imuwb::quant {
namespace {

constexpr std::size_t kContractMinimumWindows = 1000;
constexpr double kRareClassFraction = 0.02;

std::string labelName(const SampleSource& source, int label) {
  if (label < 0 || static_cast<std::size_t>(label) >= source.classes().size())
    return kUnlabelledClass;
  return source.classes()[static_cast<std::size_t>(label)];
}

void addFinding(CalibrationPlan& plan, Severity severity, std::string code, std::string message,
                std::string fix, std::string subject = {}) {
  Finding f;
  f.severity = severity;
  f.code = std::move(code);
  f.message = std::move(message);
  f.fix = std::move(fix);
  f.subject = std::move(subject);
  plan.findings.push_back(std::move(f));
}

// Findings on the chosen set (contract.md "Quantization": at least 1000 windows, 1024
// recommended, every activity covered; a selection that could not give what was asked).
void addCountFindings(CalibrationPlan& plan, const CalibrationExportOptions& options) {
  const std::string counts = std::to_string(plan.exported) + " calibration windows (" +
                             std::to_string(plan.available) + " candidates)";
  if (plan.exported < options.windows)
    addFinding(plan, Severity::Warning, "calib_fewer_than_requested",
               counts + ", fewer than the " + std::to_string(options.windows) + " requested",
               "widen the ranges or classes, add sessions or lower --stride");
  if (plan.exported < kContractMinimumWindows)
    addFinding(plan, Severity::Warning, "calib_too_few_windows",
               counts + "; the contract asks for at least 1000, 1024 recommended",
               "add sessions, widen the selection or lower --stride");
}

void addClassFindings(CalibrationPlan& plan, const CalibrationExportOptions& options) {
  std::set<std::string> labelled;
  for (const auto& [name, count] : plan.classHistogram)
    if (name != kUnlabelledClass) labelled.insert(name);
  if (labelled.size() == 1)
    addFinding(
        plan, Severity::Error, "calib_single_class",
        "every labelled window is class '" + *labelled.begin() +
            "': a single-class calibration set silently ruins accuracy",
        "add sessions that cover the other behaviours (or --force if this is really wanted)");
  for (const auto& [name, count] : plan.classHistogram)
    if (static_cast<double>(count) < kRareClassFraction * static_cast<double>(plan.exported))
      addFinding(plan, Severity::Warning, "calib_rare_class",
                 "class '" + name + "' has " + std::to_string(count) + " of " +
                     std::to_string(plan.exported) + " windows (< 2 %)",
                 "add recordings of this behaviour", name);
  for (const auto& name : options.selection.classes)
    if (!plan.classHistogram.count(name))
      addFinding(plan, Severity::Warning, "calib_class_absent",
                 "class '" + name + "' was asked for but no candidate window has it",
                 "widen the ranges or add sessions with this behaviour", name);
  for (const auto& name : plan.limitingClasses)
    addFinding(plan, Severity::Warning, "calib_balance_limited",
               "class '" + name + "' has only " + std::to_string(plan.perClass) +
                   " candidate windows, so every class gets " + std::to_string(plan.perClass) +
                   " (" + std::to_string(plan.exported) + " in all)",
               "add recordings of this behaviour or widen the ranges", name);
}

SelectionFilter makeFilter(const WindowFeed& scan, const CalibrationExportOptions& options) {
  std::vector<const SampleSource*> sources;
  std::vector<std::vector<std::string>> devices;
  for (std::size_t s = 0; s < scan.sourceCount(); ++s) {
    sources.push_back(&scan.source(s));
    devices.push_back(scan.devices(s));
  }
  return SelectionFilter(options.selection, std::move(sources), std::move(devices));
}

// Every selected window's source, start row and label, counted per source.
void scanCandidates(WindowFeed& scan, SelectionFilter& filter, CalibrationPlan& plan,
                    const JobControl& control) {
  FeedBatch fed;
  while (scan.next(fed)) {
    control.throwIfCancelled();
    const auto& source = scan.source(fed.source);
    for (const auto& w : fed.windows) {
      if (!filter.accept(fed.source, w)) continue;
      plan.candidates.push_back({fed.source, w.startRow, labelName(source, w.label)});
      ++plan.perSourceAvailable[fed.source];
    }
    control.report(0.5 * scan.progress(), "scanning " + source.describe());
  }
}

std::string noCandidatesText(const SelectionCounts& c) {
  return "no window passes the selection (" + std::to_string(c.windows) +
         " windows: " + std::to_string(c.outOfRange) + " out of range, " +
         std::to_string(c.unlabelled) + " unlabelled, " + std::to_string(c.straddling) +
         " straddle a label boundary, " + std::to_string(c.otherClass) + " of other classes)";
}

// Stratified, or the same count per class (balance classes).
void sample(CalibrationPlan& plan, const CalibrationExportOptions& options) {
  std::vector<std::string> labels;
  labels.reserve(plan.candidates.size());
  for (const auto& c : plan.candidates) labels.push_back(c.label);
  if (options.selection.balance == CalibrationBalance::None) {
    plan.chosen = sampleStratified(labels, options.windows, options.seed).chosen;
    return;
  }
  auto sampled = sampleBalanced(labels, options.windows, options.seed);
  plan.perClass = sampled.perClass;
  plan.limitingClasses = std::move(sampled.limitingClasses);
  plan.chosen = std::move(sampled.chosen);
}

}  // namespace

WindowFeedOptions calibrationFeedOptions(const CalibrationExportOptions& options,
                                         bool buildBatches) {
  WindowFeedOptions feed;
  feed.stride = options.stride;
  feed.devices = options.devices;
  feed.shareDevice = options.shareDevice;
  feed.layout = FeedLayout::CanonicalNhwc;
  feed.buildBatches = buildBatches;
  return feed;
}

CalibrationPlan planCalibrationWindows(WindowFeed& scan, const CalibrationExportOptions& options,
                                       const JobControl& control) {
  SelectionFilter filter = makeFilter(scan, options);
  CalibrationPlan plan;
  plan.requested = options.windows;
  plan.perSourceAvailable.assign(scan.sourceCount(), 0);
  scanCandidates(scan, filter, plan, control);
  for (std::size_t s = 0; s < scan.sourceCount(); ++s)
    plan.skipSummaries.push_back(scan.skipped(s).skipped() ? scan.skipped(s).summary() : "");
  plan.selection = filter.counts();
  plan.findings = filter.findings();
  plan.available = plan.candidates.size();
  for (const auto& c : plan.candidates) ++plan.candidateHistogram[c.label];
  if (plan.candidates.empty()) {
    addFinding(plan, Severity::Error, "calib_no_candidates", noCandidatesText(plan.selection),
               "widen --range or --classes");
    return plan;
  }
  sample(plan, options);
  plan.exported = plan.chosen.size();
  for (const auto i : plan.chosen) ++plan.classHistogram[plan.candidates[i].label];
  addCountFindings(plan, options);
  addClassFindings(plan, options);
  return plan;
}

CalibrationPlan planCalibrationSet(const ModelBundle& bundle,
                                   const CalibrationExportOptions& options,
                                   const JobControl& control) {
  if (options.sessions.empty())
    throw Error("calibration export", "no session given", "give at least one session file");
  if (options.windows == 0)
    throw Error("calibration export: windows", "must be at least 1", "e.g. 1024");
  if (options.stride < 1)
    throw Error("calibration export: stride " + std::to_string(options.stride),
                "must be at least 1", "e.g. 50");
  auto sources = openSessionFiles(options.sessions);
  if (options.resample)
    sources = resampledTo(std::move(sources), bundle.manifest.input.sampleRateHz);
  WindowFeed scan(bundle, sourcePointers(sources), calibrationFeedOptions(options, false));
  CalibrationPlan plan = planCalibrationWindows(scan, options, control);
  plan.shape = calibrationShape(bundle, options.layout, plan.exported);
  plan.layout = calibrationLayoutLabel(bundle, options.layout);
  return plan;
}

std::vector<std::int64_t> calibrationShape(const ModelBundle& bundle, CalibrationLayout layout,
                                           std::size_t n) {
  if (layout == CalibrationLayout::Model) return batchShape(bundle.manifest, n);
  const CanonicalDims dims = canonicalDims(bundle.manifest);
  return {static_cast<std::int64_t>(n), dims.h, dims.w, dims.c};
}

std::string calibrationLayoutLabel(const ModelBundle& bundle, CalibrationLayout layout) {
  if (layout == CalibrationLayout::Nhwc) return "NHWC";
  return std::string(layoutName(bundle.manifest.input.layout));
}

}  // namespace imuwb::quant
