#pragma once
// The statistics and selection record a calibration set's manifest (<out>.json) carries
// (docs/evaluate.md "Calibration sets, by selection" documents every field).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "quant/CalibrationSelection.hpp"

namespace imuwb::quant {

inline constexpr int kCalibrationManifestVersion = 2;
// The percentiles per channel the manifest records.
inline const std::vector<double> kManifestPercentiles = {0.1, 1.0, 50.0, 99.0, 99.9};

// Percentiles of values exactly as numpy.percentile(values, p) with its default 'linear' method
// (Hyndman & Fan type 7): sorted v, index i = (n - 1) * (p / 100), lo = floor(i), g = i - lo,
// result = v[lo] + (v[lo+1] - v[lo]) * g, or v[lo+1] - (v[lo+1] - v[lo]) * (1 - g) when g >= 0.5
// (numpy's _lerp), in double. Empty values give NaN.
std::vector<double> linearPercentiles(std::vector<float> values,
                                      const std::vector<double>& percents);

// Per channel (model channel order) of sets laid out with the channel last ([..., C]):
// {name, min, max, mean, percentiles} of what the set holds, and raw_{min,max,percentiles} of
// the same windows in contract units. setValues and rawValues have the same size.
nlohmann::json channelStatistics(const std::vector<float>& setValues,
                                 const std::vector<float>& rawValues,
                                 const std::vector<std::string>& channelOrder);

// {"ranges": [{device, start_s, end_s}], "classes", "balance", "label_filter", "counts": {...},
//  "per_class", "limiting_classes"}.
nlohmann::json selectionJson(const CalibrationSelection& selection, const SelectionCounts& counts,
                             std::size_t perClass, const std::vector<std::string>& limiting);

}  // namespace imuwb::quant
