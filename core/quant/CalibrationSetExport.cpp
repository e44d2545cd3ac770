#include "quant/CalibrationSetExport.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/BuildInfo.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "io/Npy.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/ResampledSource.hpp"
#include "pipeline/WindowFeed.hpp"

namespace imuwb::quant {
namespace {

constexpr std::size_t kContractMinimumWindows = 1000;
constexpr double kRareClassFraction = 0.02;
const char* const kUnlabelled = "unlabelled";

struct Candidate {
  std::size_t source = 0;
  std::size_t startRow = 0;
  std::string label;  // class name, or kUnlabelled
};

std::string labelName(const SampleSource& source, int label) {
  if (label < 0 || static_cast<std::size_t>(label) >= source.classes().size()) return kUnlabelled;
  return source.classes()[static_cast<std::size_t>(label)];
}

WindowFeedOptions feedOptions(const CalibrationExportOptions& options, bool buildBatches) {
  WindowFeedOptions feed;
  feed.stride = options.stride;
  feed.devices = options.devices;
  feed.shareDevice = options.shareDevice;
  feed.layout = FeedLayout::CanonicalNhwc;
  feed.buildBatches = buildBatches;
  return feed;
}

// Per-class quotas summing to min(total, wanted): proportional to class size, at least one
// window per class present (so no class is dropped), never more than a class has.
std::map<std::string, std::size_t> stratifiedQuotas(
    const std::map<std::string, std::vector<std::size_t>>& byClass, std::size_t wanted) {
  std::size_t total = 0;
  for (const auto& [name, members] : byClass) total += members.size();
  std::map<std::string, std::size_t> quota;
  if (total <= wanted) {
    for (const auto& [name, members] : byClass) quota[name] = members.size();
    return quota;
  }
  std::size_t assigned = 0;
  std::vector<std::pair<double, std::string>> remainders;
  for (const auto& [name, members] : byClass) {
    const double exact = static_cast<double>(wanted) * static_cast<double>(members.size()) /
                         static_cast<double>(total);
    std::size_t q = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(exact)));
    q = std::min(q, members.size());
    quota[name] = q;
    assigned += q;
    remainders.emplace_back(exact - std::floor(exact), name);
  }
  // Largest remainders first (ties by name, for determinism).
  std::sort(remainders.begin(), remainders.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  while (assigned < wanted) {
    bool grew = false;
    for (const auto& [fraction, name] : remainders) {
      if (assigned >= wanted) break;
      if (quota[name] < byClass.at(name).size()) {
        ++quota[name];
        ++assigned;
        grew = true;
      }
    }
    if (!grew) break;
  }
  // The at-least-one rule can overshoot: take back from the largest quotas.
  while (assigned > wanted) {
    auto largest = std::max_element(quota.begin(), quota.end(), [](const auto& x, const auto& y) {
      return x.second < y.second;
    });
    if (largest->second <= 1) break;
    --largest->second;
    --assigned;
  }
  return quota;
}

// Seeded Fisher-Yates with raw mt19937_64 draws: identical on every standard library.
void seededShuffle(std::vector<std::size_t>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(items[i - 1], items[j]);
  }
}

// Indices into candidates, stratified by label and seeded, in (source, row) order.
std::vector<std::size_t> chooseStratified(const std::vector<Candidate>& candidates,
                                          const CalibrationExportOptions& options) {
  std::map<std::string, std::vector<std::size_t>> byClass;
  for (std::size_t i = 0; i < candidates.size(); ++i) byClass[candidates[i].label].push_back(i);
  const auto quotas = stratifiedQuotas(byClass, options.windows);
  std::mt19937_64 rng(options.seed);
  std::vector<std::size_t> chosen;
  for (auto& [name, members] : byClass) {
    auto shuffled = members;
    seededShuffle(shuffled, rng);
    shuffled.resize(quotas.at(name));
    chosen.insert(chosen.end(), shuffled.begin(), shuffled.end());
  }
  std::sort(chosen.begin(), chosen.end());  // candidates are in (source, row) order already
  return chosen;
}

// Findings on the chosen set (contract.md "Quantization": at least 1000 windows, 1024
// recommended, every activity covered).
void addSetFindings(CalibrationExportResult& result) {
  std::set<std::string> labelled;
  for (const auto& [name, count] : result.classHistogram)
    if (name != kUnlabelled) labelled.insert(name);
  if (result.exported < kContractMinimumWindows)
    result.findings.push_back(
        {Severity::Warning, "calib_too_few_windows",
         std::to_string(result.exported) + " calibration windows (" +
             std::to_string(result.available) +
             " available); the contract asks for at least 1000, 1024 recommended",
         "add sessions or lower --stride"});
  if (labelled.size() == 1)
    result.findings.push_back(
        {Severity::Error, "calib_single_class",
         "every labelled window is class '" + *labelled.begin() +
             "': a single-class calibration set silently ruins accuracy",
         "add sessions that cover the other behaviours (or --force if this is really wanted)"});
  for (const auto& [name, count] : result.classHistogram)
    if (static_cast<double>(count) < kRareClassFraction * static_cast<double>(result.exported)) {
      Finding f{Severity::Warning, "calib_rare_class",
                "class '" + name + "' has " + std::to_string(count) + " of " +
                    std::to_string(result.exported) + " windows (< 2 %)",
                "add recordings of this behaviour"};
      f.subject = name;
      result.findings.push_back(f);
    }
}

// The chosen windows, normalized, in canonical NHWC [chosen, h, w, c].
std::vector<float> preprocessChosen(WindowFeed& feed, const std::vector<Candidate>& candidates,
                                    const std::vector<std::size_t>& chosen,
                                    const JobControl& control) {
  const CanonicalDims dims = feed.builder().dims();
  const std::size_t perWindow = static_cast<std::size_t>(dims.h) * dims.w * dims.c;
  std::vector<float> canonical(chosen.size() * perWindow);
  std::size_t next = 0;  // index into chosen
  FeedBatch fed;
  while (next < chosen.size() && feed.next(fed)) {
    control.throwIfCancelled();
    for (std::size_t i = 0; i < fed.size() && next < chosen.size(); ++i) {
      const auto& want = candidates[chosen[next]];
      if (want.source != fed.source || fed.windows[i].startRow != want.startRow) continue;
      std::copy_n(fed.batch.values.begin() + static_cast<std::ptrdiff_t>(i * perWindow), perWindow,
                  canonical.begin() + static_cast<std::ptrdiff_t>(next * perWindow));
      ++next;
    }
    control.report(0.5 + 0.45 * static_cast<double>(next) / static_cast<double>(chosen.size()),
                   "preprocessing windows");
  }
  if (next != chosen.size())
    throw Error("calibration export", "a session changed while it was being read",
                "run the export again");
  return canonical;
}

// Per-channel statistics of the exported (normalized) data, model channel order.
nlohmann::json channelStats(const std::vector<float>& canonical, const Manifest& manifest) {
  nlohmann::json channels = nlohmann::json::array();
  const auto width = static_cast<std::size_t>(manifest.input.channelCount());
  for (std::size_t c = 0; c < width; ++c) {
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    double sum = 0;
    for (std::size_t k = c; k < canonical.size(); k += width) {
      lo = std::min(lo, canonical[k]);
      hi = std::max(hi, canonical[k]);
      sum += canonical[k];
    }
    const double n = static_cast<double>(canonical.size() / width);
    channels.push_back({{"name", manifest.input.channelOrder[c]},
                        {"min", lo},
                        {"max", hi},
                        {"mean", n > 0 ? sum / n : 0.0}});
  }

  return channels;
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

// Every accepted window's source, start row and label, counted per source.
std::vector<Candidate> scanCandidates(WindowFeed& scan, std::vector<std::size_t>& perSource,
                                      const JobControl& control) {
  std::vector<Candidate> candidates;
  FeedBatch fed;
  while (scan.next(fed)) {
    control.throwIfCancelled();
    const auto& source = scan.source(fed.source);
    for (const auto& w : fed.windows) {
      candidates.push_back({fed.source, w.startRow, labelName(source, w.label)});
      ++perSource[fed.source];
    }
    control.report(0.5 * scan.progress(), "scanning " + source.describe());
  }
  return candidates;
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
  WindowFeed scan(bundle, sourcePointers(sources), feedOptions(options, false));

  // Pass 1: every accepted window's source, start row and label (no samples kept).
  std::vector<std::size_t> perSourceAvailable(sources.size(), 0);
  const std::vector<Candidate> candidates = scanCandidates(scan, perSourceAvailable, control);
  std::vector<std::string> skipSummaries(sources.size());
  for (std::size_t s = 0; s < sources.size(); ++s)
    if (scan.skipped(s).skipped()) skipSummaries[s] = scan.skipped(s).summary();
  result.available = candidates.size();
  if (candidates.empty())
    throw Error(options.sessions.front().string(),
                "the sessions hold no usable window (too short, gaps or NaN everywhere)",
                "give longer or cleaner recordings");

  const std::vector<std::size_t> chosen = chooseStratified(candidates, options);
  result.exported = chosen.size();
  for (const auto i : chosen) ++result.classHistogram[candidates[i].label];

  addSetFindings(result);

  // Pass 2: preprocess the chosen windows exactly as at inference (canonical NHWC).
  WindowFeed feed(bundle, sourcePointers(sources), feedOptions(options, true));
  const CanonicalDims dims = feed.builder().dims();
  const std::vector<float> canonical = preprocessChosen(feed, candidates, chosen, control);

  const nlohmann::json channels = channelStats(canonical, manifest);

  // Layout.
  std::vector<float> laidOut;
  const std::vector<float>* data = &canonical;
  std::string layoutName = "NHWC";
  if (options.layout == CalibrationLayout::Nhwc) {
    result.shape = {static_cast<std::int64_t>(chosen.size()), dims.h, dims.w, dims.c};
  } else {
    result.shape = batchShape(manifest, chosen.size());
    laidOut.resize(canonical.size());
    canonicalToLayout(canonical.data(), chosen.size(), dims, manifest.input.layout, laidOut.data());
    data = &laidOut;
    layoutName = std::string(imuwb::layoutName(manifest.input.layout));
  }

  // Manifest.
  const nlohmann::json sourcesJson =
      sourcesProvenance(feed, options, candidates, chosen, perSourceAvailable, skipSummaries,
                        static_cast<std::size_t>(manifest.input.windowLength));
  nlohmann::json windowsJson = nlohmann::json::array();
  for (const auto i : chosen)
    windowsJson.push_back({candidates[i].source, candidates[i].startRow, candidates[i].label});
  nlohmann::json normalization = {{"present", manifest.normalization.present},
                                  {"applied_by_host", feed.builder().normalizer().hostApplies()}};
  if (manifest.normalization.present) {
    normalization["method"] = manifest.normalization.method;
    normalization["mean"] = manifest.normalization.mean;
    normalization["std"] = manifest.normalization.std;
  }
  result.manifest = {
      {"format", "imuwb-calibration-set"},
      {"format_version", 1},
      {"imuwb_version", build_info::kVersion},
      {"npy", result.npyPath.filename().string()},
      {"dtype", "float32"},
      {"layout", layoutName},
      {"shape", result.shape},
      {"channel_order", manifest.input.channelOrder},
      {"window_length", manifest.input.windowLength},
      {"stride", options.stride},
      {"seed", options.seed},
      {"windows_requested", options.windows},
      {"windows_available", result.available},
      {"windows_exported", result.exported},
      {"sampling", "stratified by window label (centre sample), at least one window per class"},
      {"model",
       {{"name", manifest.name},
        {"version", manifest.version},
        {"sha256", bundle.sha256()},
        {"input_layout", imuwb::layoutName(manifest.input.layout)}}},
      {"normalization", normalization},
      {"sources", sourcesJson},
      {"class_histogram", result.classHistogram},
      {"channels", channels},
      {"windows", windowsJson},
      {"windows_columns", {"source", "start_row", "label"}},
  };
  nlohmann::json findingsJson = nlohmann::json::array();
  for (const auto& f : result.findings) findingsJson.push_back(toJson(f));
  result.manifest["findings"] = findingsJson;

  if (hasErrors(result.findings) && !options.force) return result;

  control.throwIfCancelled();
  io::writeNpy(result.npyPath, io::NpyDType::Float32, result.shape, data->data());
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
  result.written = true;
  control.report(1.0, "done");
  return result;
}

}  // namespace imuwb::quant
