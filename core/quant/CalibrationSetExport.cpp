#include "quant/CalibrationSetExport.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/BuildInfo.hpp"
#include "common/Channels.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "io/Npy.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/ResampledSource.hpp"
#include "pipeline/WindowFeed.hpp"
#include "quant/CalibrationManifest.hpp"
#include "quant/CalibrationPlan.hpp"

namespace imuwb::quant {
namespace {

using Candidate = CalibrationCandidate;

// The plan's numbers and findings, and the errors the export has always raised for a plan with
// no window.
void takePlan(const CalibrationPlan& plan, const CalibrationExportOptions& options,
              CalibrationExportResult& result) {
  if (plan.selection.windows == 0)
    throw Error(options.sessions.front().string(),
                "the sessions hold no usable window (too short, gaps or NaN everywhere)",
                "give longer or cleaner recordings");
  if (plan.candidates.empty())
    throw Error("calibration export", plan.findings.back().message, plan.findings.back().fix);
  result.selection = plan.selection;
  result.findings = plan.findings;
  result.available = plan.available;
  result.exported = plan.exported;
  result.classHistogram = plan.classHistogram;
  result.perClass = plan.perClass;
  result.limitingClasses = plan.limitingClasses;
}

// The chosen windows in canonical NHWC [chosen, h, w, c], model channel order: as the set holds
// them (normalized when the host normalizes) and raw (contract units, reordered only).
struct ChosenValues {
  std::vector<float> held, raw;
};

void copyRaw(const WindowFeed& feed, std::size_t source, std::size_t startRow,
             const std::vector<int>& contractIndex, const CanonicalDims& dims, float* out) {
  const auto& s = feed.source(source);
  const auto length = static_cast<std::size_t>(dims.w);
  std::vector<float> rows;
  for (std::size_t h = 0; h < static_cast<std::size_t>(dims.h); ++h) {
    const auto device = static_cast<std::size_t>(s.deviceIndex(feed.devices(source).at(h)));
    const auto width = static_cast<std::size_t>(s.channelCount(device));
    rows.resize(length * width);
    s.readRows(device, startRow, length, rows.data());
    for (std::size_t t = 0; t < length; ++t)
      for (std::size_t c = 0; c < contractIndex.size(); ++c)
        *out++ = rows[t * width + static_cast<std::size_t>(contractIndex[c])];
  }
}

ChosenValues preprocessChosen(WindowFeed& feed, const std::vector<Candidate>& candidates,
                              const std::vector<std::size_t>& chosen,
                              const std::vector<int>& contractIndex, const JobControl& control) {
  const CanonicalDims dims = feed.builder().dims();
  const std::size_t perWindow = static_cast<std::size_t>(dims.h) * dims.w * dims.c;
  ChosenValues values;
  values.held.resize(chosen.size() * perWindow);
  values.raw.resize(chosen.size() * perWindow);
  std::size_t next = 0;  // index into chosen
  FeedBatch fed;
  while (next < chosen.size() && feed.next(fed)) {
    control.throwIfCancelled();
    for (std::size_t i = 0; i < fed.size() && next < chosen.size(); ++i) {
      const auto& want = candidates[chosen[next]];
      if (want.source != fed.source || fed.windows[i].startRow != want.startRow) continue;
      std::copy_n(fed.batch.values.begin() + static_cast<std::ptrdiff_t>(i * perWindow), perWindow,
                  values.held.begin() + static_cast<std::ptrdiff_t>(next * perWindow));
      copyRaw(feed, want.source, want.startRow, contractIndex, dims,
              values.raw.data() + next * perWindow);
      ++next;
    }
    control.report(0.5 + 0.45 * static_cast<double>(next) / static_cast<double>(chosen.size()),
                   "preprocessing windows");
  }
  if (next != chosen.size())
    throw Error("calibration export", "a session changed while it was being read",
                "run the export again");
  return values;
}

// Per session: path, hash, rate, devices, windows available and exported, row range, skips.
nlohmann::json sourcesProvenance(const WindowFeed& feed, const CalibrationExportOptions& options,
                                 const std::vector<Candidate>& candidates,
                                 const std::vector<std::size_t>& chosen,
                                 const std::vector<std::size_t>& perSourceAvailable,
                                 const std::vector<std::string>& skipSummaries,
                                 std::size_t windowLength) {
  nlohmann::json sourcesJson = nlohmann::json::array();
  for (std::size_t s = 0; s < feed.sourceCount(); ++s) {
    std::size_t taken = 0, firstRow = SIZE_MAX, lastRow = 0;
    for (const auto i : chosen)
      if (candidates[i].source == s) {
        ++taken;
        firstRow = std::min(firstRow, candidates[i].startRow);
        lastRow = std::max(lastRow, candidates[i].startRow);
      }
    nlohmann::json one = {
        {"path", options.sessions[s].string()},
        {"sha256", sha256File(options.sessions[s])},
        {"rows", feed.source(s).rowCount()},
        {"sample_rate_hz", feed.source(s).sampleRateHz()},
        {"devices", feed.devices(s)},
        {"windows_available", perSourceAvailable[s]},
        {"windows_exported", taken},
    };
    one["row_range"] =
        taken ? nlohmann::json::array({firstRow, lastRow + windowLength}) : nlohmann::json::array();
    if (!skipSummaries[s].empty()) one["skipped"] = skipSummaries[s];
    sourcesJson.push_back(one);
  }
  return sourcesJson;
}

void checkOptions(const CalibrationExportOptions& options) {
  if (options.sessions.empty())
    throw Error("calibration export", "no session given", "give at least one session file");
  if (options.windows == 0)
    throw Error("calibration export: windows", "must be at least 1", "e.g. 1024");
  if (options.stride < 1)
    throw Error("calibration export: stride " + std::to_string(options.stride),
                "must be at least 1", "e.g. 50");
  if (options.out.empty())
    throw Error("calibration export", "no output path given", "give the .npy to write");
}

nlohmann::json normalizationJson(const Manifest& manifest, bool hostApplies) {
  nlohmann::json normalization = {{"present", manifest.normalization.present},
                                  {"applied_by_host", hostApplies}};
  if (manifest.normalization.present) {
    normalization["method"] = manifest.normalization.method;
    normalization["mean"] = manifest.normalization.mean;
    normalization["std"] = manifest.normalization.std;
  }
  return normalization;
}

void writeSet(const CalibrationExportResult& result, const std::vector<float>& data) {
  io::writeNpy(result.npyPath, io::NpyDType::Float32, result.shape, data.data());
  try {
    writeTextAtomically(
        result.manifestPath,
        result.manifest.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
        "the manifest");
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(result.npyPath, ignored);  // never leave an .npy without provenance
    throw;
  }
}

std::vector<int> contractIndices(const Manifest& manifest) {
  std::vector<int> indices;
  for (const auto& name : manifest.input.channelOrder) {
    const auto at = std::find(kChannelNames.begin(), kChannelNames.end(), name);
    indices.push_back(static_cast<int>(at - kChannelNames.begin()));
  }
  return indices;
}

}  // namespace

std::filesystem::path calibrationManifestPath(const std::filesystem::path& npy) {
  return std::filesystem::path(npy.string() + ".json");
}

CalibrationExportResult exportCalibrationSet(const ModelBundle& bundle,
                                             const CalibrationExportOptions& options,
                                             const JobControl& control) {
  const Manifest& manifest = bundle.manifest;
  checkOptions(options);

  CalibrationExportResult result;
  result.npyPath = options.out;
  result.manifestPath = calibrationManifestPath(options.out);

  auto sources = openSessionFiles(options.sessions);
  if (options.resample) sources = resampledTo(std::move(sources), manifest.input.sampleRateHz);
  // Every contract check (rate, devices, layout) happens here, for every session, up front.
  // Pass 1: scan every window's time and label (no samples kept), select, sample.
  WindowFeed scan(bundle, sourcePointers(sources), calibrationFeedOptions(options, false));
  const CalibrationPlan chosen = planCalibrationWindows(scan, options, control);
  takePlan(chosen, options, result);

  // Pass 2: preprocess the chosen windows exactly as at inference (canonical NHWC).
  WindowFeed feed(bundle, sourcePointers(sources), calibrationFeedOptions(options, true));
  const CanonicalDims dims = feed.builder().dims();
  const ChosenValues values =
      preprocessChosen(feed, chosen.candidates, chosen.chosen, contractIndices(manifest), control);
  result.normalized = feed.builder().normalizer().hostApplies();

  const std::size_t n = chosen.chosen.size();
  result.shape = calibrationShape(bundle, options.layout, n);
  const std::string layoutName = calibrationLayoutLabel(bundle, options.layout);
  std::vector<float> laidOut;
  const std::vector<float>* data = &values.held;
  if (options.layout == CalibrationLayout::Model) {
    laidOut.resize(values.held.size());
    canonicalToLayout(values.held.data(), n, dims, manifest.input.layout, laidOut.data());
    data = &laidOut;
  }

  nlohmann::json windowsJson = nlohmann::json::array();
  for (const auto i : chosen.chosen) {
    const auto& c = chosen.candidates[i];
    windowsJson.push_back({c.source, c.startRow, c.label});
  }
  result.manifest = {
      {"format", "imuwb-calibration-set"},
      {"format_version", kCalibrationManifestVersion},
      {"imuwb_version", build_info::kVersion},
      {"npy", result.npyPath.filename().string()},
      {"dtype", "float32"},
      {"layout", layoutName},
      {"shape", result.shape},
      {"values", result.normalized ? "normalized" : "raw"},
      {"channel_order", manifest.input.channelOrder},
      {"window_length", manifest.input.windowLength},
      {"stride", options.stride},
      {"seed", options.seed},
      {"windows_requested", options.windows},
      {"windows_available", result.available},
      {"windows_exported", result.exported},
      {"sampling", options.selection.balance == CalibrationBalance::Classes
                       ? "balanced: the same number of windows per class (centre-sample label)"
                       : "stratified by window label (centre sample), at least one per class"},
      {"selection",
       selectionJson(options.selection, result.selection, result.perClass, result.limitingClasses)},
      {"model",
       {{"name", manifest.name},
        {"version", manifest.version},
        {"sha256", bundle.sha256()},
        {"input_layout", imuwb::layoutName(manifest.input.layout)}}},
      {"normalization", normalizationJson(manifest, result.normalized)},
      {"sources", sourcesProvenance(feed, options, chosen.candidates, chosen.chosen,
                                    chosen.perSourceAvailable, chosen.skipSummaries,
                                    static_cast<std::size_t>(manifest.input.windowLength))},
      {"class_histogram", result.classHistogram},
      {"percentiles", kManifestPercentiles},
      {"percentile_method", "linear (numpy.percentile default)"},
      {"channels", channelStatistics(values.held, values.raw, manifest.input.channelOrder)},
      {"windows", windowsJson},
      {"windows_columns", {"source", "start_row", "label"}},
  };
  nlohmann::json findingsJson = nlohmann::json::array();
  for (const auto& f : result.findings) findingsJson.push_back(toJson(f));
  result.manifest["findings"] = findingsJson;

  if (hasErrors(result.findings) && !options.force) return result;
  control.throwIfCancelled();
  writeSet(result, *data);
  result.written = true;
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::quant
