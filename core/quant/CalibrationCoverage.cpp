#include "quant/CalibrationCoverage.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/Channels.hpp"
#include "common/Error.hpp"
#include "io/Npy.hpp"
#include "model/Manifest.hpp"
#include "pipeline/SampleSource.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::quant {
namespace {

// How to read the set: which axis holds the channels, their names, and its units.
struct SetLayout {
  std::size_t axis = 0;
  std::vector<std::string> channels;
  bool normalized = false;
  std::vector<float> mean, std;  // per set channel, when normalized
  std::string name;
};

std::vector<float> floatValues(const io::NpyArray& array, const std::string& where) {
  const auto n = static_cast<std::size_t>(array.elementCount());
  std::vector<float> out(n);
  if (array.dtype == io::NpyDType::Float32) {
    std::memcpy(out.data(), array.bytes.data(), n * sizeof(float));
  } else if (array.dtype == io::NpyDType::Float64) {
    std::vector<double> wide(n);
    std::memcpy(wide.data(), array.bytes.data(), n * sizeof(double));
    std::copy(wide.begin(), wide.end(), out.begin());
  } else {
    throw Error(where, std::string("holds ") + io::npyDescr(array.dtype) + " values",
                "a calibration set is float32 (imuwb calib-export writes one)");
  }
  return out;
}

std::size_t channelAxisOf(const std::string& layout, std::size_t ndim, const std::string& where) {
  if (layout == "NHWC") return ndim - 1;
  const auto parsed = parseLayout(layout);
  if (!parsed) throw Error(where, "names an unknown layout '" + layout + "'");
  return *parsed == InputLayout::NCHW_devices || *parsed == InputLayout::NCHW_time_folded
             ? 1
             : ndim - 1;
}

SetLayout layoutFromManifest(const nlohmann::json& m, const io::NpyArray& array,
                             const std::string& where) {
  if (m.value("format", "") != "imuwb-calibration-set")
    throw Error(where, "is not an imuwb calibration-set manifest",
                "move it away to check the .npy alone, or re-export the set");
  if (m.at("shape").get<std::vector<std::int64_t>>() != array.shape)
    throw Error(where, "describes another shape than the .npy beside it",
                "re-export the set (the .npy and its manifest must be written together)");
  SetLayout layout;
  layout.name = m.at("layout").get<std::string>();
  layout.axis = channelAxisOf(layout.name, array.shape.size(), where);
  layout.channels = m.at("channel_order").get<std::vector<std::string>>();
  const auto& norm = m.at("normalization");
  layout.normalized =
      m.contains("values") ? m["values"] == "normalized" : norm.value("applied_by_host", false);
  if (layout.normalized) {
    layout.mean = norm.at("mean").get<std::vector<float>>();
    layout.std = norm.at("std").get<std::vector<float>>();
    if (layout.mean.size() != layout.channels.size() || layout.std.size() != layout.channels.size())
      throw Error(where, "has a mean/std of another length than its channel order");
  }
  return layout;
}

SetLayout readLayout(const std::filesystem::path& npy, const io::NpyArray& array,
                     CoverageResult& result) {
  if (array.shape.size() < 2)
    throw Error(
        npy.string(),
        "has no channel axis (shape of " + std::to_string(array.shape.size()) + " dimensions)",
        "give a calibration set [N, ..., C] written by imuwb calib-export");
  const auto manifestPath = calibrationManifestPath(npy);
  SetLayout layout;
  if (std::filesystem::exists(manifestPath)) {
    nlohmann::json m;
    try {
      std::ifstream in(manifestPath);
      m = nlohmann::json::parse(in);
      layout = layoutFromManifest(m, array, manifestPath.string());
    } catch (const nlohmann::json::exception& e) {
      throw Error(manifestPath.string(), std::string("cannot be read: ") + e.what(),
                  "re-export the set, or move the manifest away to check the .npy alone");
    }
    result.manifestPath = manifestPath;
  } else {
    layout.name = "[..., C]";
    layout.axis = array.shape.size() - 1;
    const auto c = array.shape.back();
    if (c != kChannelCount && c != kSixAxisChannelCount)
      throw Error(npy.string(),
                  "has " + std::to_string(c) +
                      " values on its last axis and no "
                      "manifest beside it to say where its channels are",
                  "keep the set's <set>.json beside it");
    layout.channels = contractChannelOrder(static_cast<int>(c));
    result.findings.push_back({Severity::Info, "calib_no_manifest",
                               "no manifest beside the set: read as [..., C] in contract units, "
                               "channels " +
                                   std::to_string(c) + " in contract order",
                               "keep <set>.json beside the set"});
  }
  if (static_cast<std::int64_t>(layout.channels.size()) != array.shape[layout.axis])
    throw Error(npy.string(), "has " + std::to_string(array.shape[layout.axis]) +
                                  " channels on axis " + std::to_string(layout.axis) +
                                  " but its manifest names " +
                                  std::to_string(layout.channels.size()));
  return layout;
}

// min..max per channel of the set (NaN ignored).
std::vector<std::pair<float, float>> setRanges(const std::vector<float>& values,
                                               const io::NpyArray& array, std::size_t axis) {
  std::size_t inner = 1;
  for (std::size_t d = axis + 1; d < array.shape.size(); ++d)
    inner *= static_cast<std::size_t>(array.shape[d]);
  const auto channels = static_cast<std::size_t>(array.shape[axis]);
  std::vector<std::pair<float, float>> ranges(channels, {INFINITY, -INFINITY});
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (!std::isfinite(values[k])) continue;
    auto& [lo, hi] = ranges[(k / inner) % channels];
    lo = std::min(lo, values[k]);
    hi = std::max(hi, values[k]);
  }
  return ranges;
}

// Outside-range runs of one device's channel in one session.
struct Tracker {
  std::size_t samples = 0, below = 0, above = 0, spans = 0;
  std::vector<OutsideSpan> first;
  bool open = false;
  std::size_t lastRow = 0;
  double start_s = 0, lastTime_s = 0;

  void close(double period_s, std::size_t keep) {
    if (!open) return;
    open = false;
    ++spans;
    if (first.size() < keep) first.push_back({start_s, lastTime_s + period_s});
  }
  void outside(std::size_t row, double t, double period_s, std::size_t keep) {
    if (open && row != lastRow + 1) close(period_s, keep);
    if (!open) open = true, start_s = t;
    lastRow = row;
    lastTime_s = t;
  }
};

struct SessionScan {
  const SetLayout& layout;
  const std::vector<std::pair<float, float>>& ranges;
  const CoverageOptions& options;
};

std::vector<std::size_t> devicesToRead(const SampleSource& source,
                                       const std::vector<std::string>& wanted) {
  std::vector<std::size_t> out;
  if (wanted.empty()) {
    for (std::size_t d = 0; d < source.deviceNames().size(); ++d) out.push_back(d);
    return out;
  }
  for (const auto& name : wanted) {
    const int index = source.deviceIndex(name);
    if (index < 0) {
      std::string known;
      for (const auto& d : source.deviceNames()) known += (known.empty() ? "" : ", ") + d;
      throw Error(source.describe(), "has no device '" + name + "' (--devices)",
                  "its devices are: " + known);
    }
    out.push_back(static_cast<std::size_t>(index));
  }
  return out;
}

int contractIndexOf(const std::string& name) {
  const auto at = std::find(kChannelNames.begin(), kChannelNames.end(), name);
  return at == kChannelNames.end() ? -1 : static_cast<int>(at - kChannelNames.begin());
}

// Streams one session; trackers[d][c] per device read and set channel.
std::vector<std::vector<Tracker>> scanSession(const SampleSource& source,
                                              const std::vector<std::size_t>& devices,
                                              const SessionScan& scan, double done, double share,
                                              const JobControl& control) {
  const auto& layout = scan.layout;
  const std::size_t channels = layout.channels.size(), keep = scan.options.reportSpans;
  const double period_s = 1.0 / source.sampleRateHz();
  std::vector<std::vector<Tracker>> trackers(devices.size(), std::vector<Tracker>(channels));
  const std::size_t rows = source.rowCount(),
                    chunk = std::max<std::size_t>(1, scan.options.chunkRows);
  std::vector<double> time;
  std::vector<float> buffer;
  for (std::size_t first = 0; first < rows; first += chunk) {
    control.throwIfCancelled();
    const std::size_t count = std::min(chunk, rows - first);
    time.resize(count);
    source.readTime(first, count, time.data());
    for (std::size_t d = 0; d < devices.size(); ++d) {
      const auto width = static_cast<std::size_t>(source.channelCount(devices[d]));
      buffer.resize(count * width);
      source.readRows(devices[d], first, count, buffer.data());
      for (std::size_t c = 0; c < channels; ++c) {
        const int ci = contractIndexOf(layout.channels[c]);
        if (ci < 0 || static_cast<std::size_t>(ci) >= width) continue;  // e.g. no magnetometer
        auto& t = trackers[d][c];
        const auto [lo, hi] = scan.ranges[c];
        for (std::size_t r = 0; r < count; ++r) {
          float v = buffer[r * width + static_cast<std::size_t>(ci)];
          if (!std::isfinite(v)) continue;
          // Subtract then divide in float, as the Normalizer (and numpy on float32) does.
          if (layout.normalized) v = (v - layout.mean[c]) / layout.std[c];
          ++t.samples;
          if (v >= lo && v <= hi) continue;
          ++(v < lo ? t.below : t.above);
          t.outside(first + r, time[r], period_s, keep);
        }
      }
    }
    control.report(done + share * static_cast<double>(first + count) / static_cast<double>(rows),
                   "checking " + source.describe());
  }
  for (auto& perDevice : trackers)
    for (auto& t : perDevice) t.close(period_s, keep);
  return trackers;
}

std::string spanText(const OutsideSpan& span) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f-%.2f s", span.start_s, span.end_s);
  return buffer;
}

void addWarnings(CoverageResult& result) {
  for (std::size_t c = 0; c < result.channels.size(); ++c) {
    auto& ch = result.channels[c];
    ch.fraction = ch.samples ? static_cast<double>(ch.below + ch.above) / ch.samples : 0.0;
    ch.warned = ch.fraction > result.maxOutside;
    if (!ch.warned) continue;
    result.warned = true;
    std::string where;
    for (const auto& d : result.details) {
      if (d.channel != ch.name || d.firstSpans.empty()) continue;
      where += (where.empty() ? "" : "; ") + result.sessions[d.session].filename().string() + " " +
               d.device;
      const std::size_t shown = std::min<std::size_t>(3, d.firstSpans.size());
      for (std::size_t k = 0; k < shown; ++k) where += (k ? ", " : " ") + spanText(d.firstSpans[k]);
      if (d.spans > shown) where += " (+" + std::to_string(d.spans - shown) + " more)";
    }
    char text[160];
    std::snprintf(text, sizeof text, "%.3g %% of %zu samples outside the set's range [%g, %g] (%s)",
                  100.0 * ch.fraction, ch.samples, ch.min, ch.max, result.values.c_str());
    Finding f{Severity::Warning, "calib_coverage",
              "channel " + ch.name + ": " + text + "; first outside at " + where,
              "add recordings like these to the calibration set (calib-export --range)"};
    f.subject = ch.name;
    f.channel = contractIndexOf(ch.name);
    result.findings.push_back(f);
  }
}

}  // namespace

CoverageResult checkCalibrationCoverage(const CoverageOptions& options, const JobControl& control) {
  if (options.sessions.empty())
    throw Error("--check", "no session to check the set against", "give --session S.h5...");
  if (!(options.maxOutside >= 0 && options.maxOutside <= 1))
    throw Error("--max-outside " + std::to_string(options.maxOutside),
                "must be a fraction in [0, 1]", "e.g. 0.01");
  CoverageResult result;
  result.calibrationSet = options.calibrationSet;
  result.maxOutside = options.maxOutside;
  result.sessions = options.sessions;
  const io::NpyArray array = io::readNpy(options.calibrationSet);
  const SetLayout layout = readLayout(options.calibrationSet, array, result);
  result.values = layout.normalized ? "normalized" : "raw";
  result.layout = layout.name;
  const auto ranges =
      setRanges(floatValues(array, options.calibrationSet.string()), array, layout.axis);
  for (std::size_t c = 0; c < layout.channels.size(); ++c)
    result.channels.push_back({layout.channels[c], ranges[c].first, ranges[c].second});

  const SessionScan scan{layout, ranges, options};
  const double share = 1.0 / static_cast<double>(options.sessions.size());
  for (std::size_t s = 0; s < options.sessions.size(); ++s) {
    FileSource source(options.sessions[s]);
    const auto devices = devicesToRead(source, options.devices);
    const auto trackers = scanSession(source, devices, scan, share * s, share, control);
    for (std::size_t d = 0; d < devices.size(); ++d)
      for (std::size_t c = 0; c < layout.channels.size(); ++c) {
        const auto& t = trackers[d][c];
        auto& ch = result.channels[c];
        ch.samples += t.samples;
        ch.below += t.below;
        ch.above += t.above;
        if (t.below + t.above == 0) continue;
        result.details.push_back({s, source.deviceNames()[devices[d]], layout.channels[c],
                                  t.samples, t.below + t.above, t.spans, t.first});
      }
  }
  addWarnings(result);
  control.report(1.0, "done");
  return result;
}

nlohmann::json coverageJson(const CoverageResult& result) {
  nlohmann::json channels = nlohmann::json::array(), sessions = nlohmann::json::array(),
                 findings = nlohmann::json::array();
  for (const auto& c : result.channels)
    channels.push_back({{"name", c.name},
                        {"min", c.min},
                        {"max", c.max},
                        {"samples", c.samples},
                        {"outside", c.below + c.above},
                        {"below", c.below},
                        {"above", c.above},
                        {"fraction", c.fraction},
                        {"warned", c.warned}});
  for (std::size_t s = 0; s < result.sessions.size(); ++s) {
    nlohmann::json outside = nlohmann::json::array();
    for (const auto& d : result.details) {
      if (d.session != s) continue;
      nlohmann::json spans = nlohmann::json::array();
      for (const auto& span : d.firstSpans) spans.push_back({span.start_s, span.end_s});
      outside.push_back({{"device", d.device},
                         {"channel", d.channel},
                         {"samples", d.samples},
                         {"outside", d.outside},
                         {"fraction", d.samples ? static_cast<double>(d.outside) / d.samples : 0.0},
                         {"spans", d.spans},
                         {"first_spans", spans}});
    }
    sessions.push_back({{"path", result.sessions[s].string()}, {"outside", outside}});
  }
  for (const auto& f : result.findings) findings.push_back(toJson(f));
  return {{"format", "imuwb-calibration-coverage"},
          {"format_version", 1},
          {"set", result.calibrationSet.string()},
          {"manifest", result.manifestPath.empty() ? nlohmann::json(nullptr)
                                                   : nlohmann::json(result.manifestPath.string())},
          {"values", result.values},
          {"layout", result.layout},
          {"max_outside", result.maxOutside},
          {"warned", result.warned},
          {"channels", channels},
          {"sessions", sessions},
          {"findings", findings}};
}

}  // namespace imuwb::quant
