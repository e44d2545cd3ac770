#pragma once
// Order statistics shared by the CSV importer, unit detection and the validator (sample steps,
// |a| and |gyro| norms), so that the same data gives the same figure in every report.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace imuwb::session_stats {

// Upper median (element size/2 after partial sort); NaN for no values. Takes a copy to reorder.
inline double upperMedian(std::vector<double> values) {
  if (values.empty()) return std::nan("");
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// Quantile q in [0, 1] without interpolation: element floor(q * (n - 1)); NaN for no values.
inline double floorQuantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  const auto index = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

}  // namespace imuwb::session_stats
