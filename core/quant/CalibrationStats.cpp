#include "quant/CalibrationStats.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"

namespace imuwb::quant {

CalibrationCollector::CalibrationCollector(std::size_t reservoir_size, std::uint64_t seed)
    : reservoirSize_(std::max<std::size_t>(reservoir_size, 1)), rng_(seed) {}

void CalibrationCollector::observe(const std::string& tensor, std::span<const float> values) {
  auto [it, inserted] = stats_.try_emplace(tensor);
  if (inserted) order_.push_back(tensor);
  TensorStatistics& s = it->second;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto k = static_cast<double>(reservoirSize_);
  for (float v : values) {
    if (!std::isfinite(v)) {
      ++s.nonFinite;
      continue;
    }
    const double x = v;
    if (s.count == 0) {
      s.min = s.max = x;
    } else {
      s.min = std::min(s.min, x);
      s.max = std::max(s.max, x);
    }
    s.sum += x;
    s.sumSquares += x * x;
    // Reservoir sampling, Algorithm L (Li 1994): fill, then jump geometrically between picks.
    if (s.sample.size() < reservoirSize_) {
      s.sample.push_back(v);
      if (s.sample.size() == reservoirSize_) {
        s.reservoirW = std::exp(std::log(unit(rng_)) / k);
        s.nextSampleAt = s.count + 1 +
                         static_cast<std::uint64_t>(
                             std::floor(std::log(unit(rng_)) / std::log(1.0 - s.reservoirW)));
      }
    } else if (s.count == s.nextSampleAt) {
      s.sample[static_cast<std::size_t>(unit(rng_) * k) % reservoirSize_] = v;
      s.reservoirW *= std::exp(std::log(unit(rng_)) / k);
      s.nextSampleAt = s.count + 1 +
                       static_cast<std::uint64_t>(
                           std::floor(std::log(unit(rng_)) / std::log(1.0 - s.reservoirW)));
    }
    ++s.count;
  }
}

const TensorStatistics& CalibrationCollector::at(const std::string& tensor) const {
  const auto it = stats_.find(tensor);
  if (it == stats_.end())
    throw Error("calibration statistics: tensor '" + tensor + "'",
                "no calibration values were collected for this tensor",
                "run calibration over a set that reaches this tensor");
  return it->second;
}

double percentileOf(std::vector<float> values, double p) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = std::min(lo + 1, values.size() - 1);
  const double frac = rank - static_cast<double>(lo);
  return static_cast<double>(values[lo]) +
         frac * (static_cast<double>(values[hi]) - static_cast<double>(values[lo]));
}

double CalibrationCollector::percentile(const std::string& tensor, double p) const {
  return percentileOf(at(tensor).sample, p);
}

double CalibrationCollector::fractionOutside(const std::string& tensor, double lo,
                                             double hi) const {
  const auto& s = at(tensor);
  if (s.sample.empty()) return 0.0;
  std::size_t outside = 0;
  for (float v : s.sample) outside += (v < lo) | (v > hi);
  return static_cast<double>(outside) / static_cast<double>(s.sample.size());
}

std::pair<double, double> CalibrationCollector::chooseRange(const std::string& tensor,
                                                            const RangePolicy& policy) const {
  const auto& s = at(tensor);
  if (policy.method == RangeMethod::MinMax || s.sample.empty()) return {s.min, s.max};
  std::vector<float> sorted = s.sample;
  std::sort(sorted.begin(), sorted.end());
  auto pick = [&](double p) {
    const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(rank));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (rank - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
  };
  return {pick(100.0 - policy.percentile), pick(policy.percentile)};
}

}  // namespace imuwb::quant
