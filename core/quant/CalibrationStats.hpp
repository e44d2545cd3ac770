#pragma once
// Activation statistics gathered over a calibration set, one entry per tensor name.
// Exact min/max/mean, plus a fixed-size uniform reservoir sample of the values so percentile
// clipping and "fraction that would clip" can be computed without keeping every activation
// (1024 windows x every layer would not fit). The reservoir uses a fixed seed: same data, same
// ranges.
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace imuwb::quant {

struct TensorStatistics {
  std::uint64_t count = 0;      // finite values seen
  std::uint64_t nonFinite = 0;  // NaN/inf values seen (ignored by every statistic)
  double min = 0.0;
  double max = 0.0;
  double sum = 0.0;
  double sumSquares = 0.0;
  std::vector<float> sample;       // uniform reservoir sample of the finite values
  std::uint64_t nextSampleAt = 0;  // Algorithm L bookkeeping
  double reservoirW = 0.0;

  double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

enum class RangeMethod { MinMax, Percentile };

struct RangePolicy {
  RangeMethod method = RangeMethod::MinMax;
  double percentile = 99.99;  // used by Percentile: keep [p_(100-x), p_x]
};

class CalibrationCollector {
 public:
  explicit CalibrationCollector(std::size_t reservoir_size = 1 << 16, std::uint64_t seed = 0x1b2c);

  void observe(const std::string& tensor, std::span<const float> values);

  bool has(const std::string& tensor) const { return stats_.count(tensor) != 0; }
  const TensorStatistics& at(const std::string& tensor) const;  // throws imuwb::Error if unseen
  // Tensor names in the order they were first observed (execution order).
  const std::vector<std::string>& order() const { return order_; }

  // Percentile in [0,100] of the sampled values (linear interpolation, numpy's default).
  double percentile(const std::string& tensor, double p) const;
  // Fraction of sampled values outside [lo, hi].
  double fractionOutside(const std::string& tensor, double lo, double hi) const;
  // The clipping range the policy picks for a tensor.
  std::pair<double, double> chooseRange(const std::string& tensor, const RangePolicy& policy) const;

 private:
  std::size_t reservoirSize_;
  std::mt19937_64 rng_;
  std::map<std::string, TensorStatistics> stats_;
  std::vector<std::string> order_;
};

// Percentile of an unsorted array (copies and sorts), numpy 'linear' interpolation.
double percentileOf(std::vector<float> values, double p);

}  // namespace imuwb::quant
