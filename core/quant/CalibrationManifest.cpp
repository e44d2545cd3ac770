#include "quant/CalibrationManifest.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imuwb::quant {
namespace {

std::vector<float> channelValues(const std::vector<float>& values, std::size_t channel,
                                 std::size_t width) {
  std::vector<float> out;
  out.reserve(values.size() / width);
  for (std::size_t k = channel; k < values.size(); k += width) out.push_back(values[k]);
  return out;
}

}  // namespace

std::vector<double> linearPercentiles(std::vector<float> values,
                                      const std::vector<double>& percents) {
  std::vector<double> out;
  if (values.empty()) {
    out.assign(percents.size(), std::numeric_limits<double>::quiet_NaN());
    return out;
  }
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  for (const double p : percents) {
    const double index = static_cast<double>(n - 1) * (std::clamp(p, 0.0, 100.0) / 100.0);
    const double floorIndex = std::floor(index);
    const auto lo = static_cast<std::size_t>(floorIndex);
    const auto hi = std::min(lo + 1, n - 1);
    const double g = index - floorIndex;
    const double a = values[lo], b = values[hi], diff = b - a;
    out.push_back(g >= 0.5 ? b - diff * (1.0 - g) : a + diff * g);
  }
  return out;
}

nlohmann::json channelStatistics(const std::vector<float>& setValues,
                                 const std::vector<float>& rawValues,
                                 const std::vector<std::string>& channelOrder) {
  nlohmann::json channels = nlohmann::json::array();
  const std::size_t width = channelOrder.size();
  for (std::size_t c = 0; c < width; ++c) {
    const auto held = channelValues(setValues, c, width);
    const auto raw = channelValues(rawValues, c, width);
    double sum = 0;
    for (float v : held) sum += v;
    const auto [lo, hi] = std::minmax_element(held.begin(), held.end());
    const auto [rawLo, rawHi] = std::minmax_element(raw.begin(), raw.end());
    nlohmann::json one = {{"name", channelOrder[c]}};
    one["min"] = held.empty() ? 0.0f : *lo;
    one["max"] = held.empty() ? 0.0f : *hi;
    one["mean"] = held.empty() ? 0.0 : sum / static_cast<double>(held.size());
    one["percentiles"] = linearPercentiles(held, kManifestPercentiles);
    one["raw_min"] = raw.empty() ? 0.0f : *rawLo;
    one["raw_max"] = raw.empty() ? 0.0f : *rawHi;
    one["raw_percentiles"] = linearPercentiles(raw, kManifestPercentiles);
    channels.push_back(one);
  }
  return channels;
}

nlohmann::json selectionJson(const CalibrationSelection& selection, const SelectionCounts& counts,
                             std::size_t perClass, const std::vector<std::string>& limiting) {
  nlohmann::json ranges = nlohmann::json::array();
  for (const auto& r : selection.ranges)
    ranges.push_back({{"device", r.device}, {"start_s", r.startSeconds}, {"end_s", r.endSeconds}});
  nlohmann::json out = {
      {"ranges", ranges},
      {"classes", selection.classes},
      {"balance", calibrationBalanceName(selection.balance)},
      {"label_filter", selection.labelFilter()},
      {"counts",
       {{"windows", counts.windows},
        {"candidates", counts.candidates},
        {"excluded", counts.excluded()},
        {"out_of_range", counts.outOfRange},
        {"unlabelled", counts.unlabelled},
        {"straddling", counts.straddling},
        {"other_class", counts.otherClass}}},
  };
  if (selection.balance == CalibrationBalance::Classes) {
    out["per_class"] = perClass;
    out["limiting_classes"] = limiting;
  }
  return out;
}

}  // namespace imuwb::quant
