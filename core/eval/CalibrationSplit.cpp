#include "eval/CalibrationSplit.hpp"

#include <cmath>
#include <string>

#include "common/Error.hpp"

namespace imuwb::eval {

void checkSplitOptions(const SplitOptions& options) {
  const double f = options.calibrationFraction;
  if (!(f > 0 && f < 1))
    throw Error("--calibration-split " + std::to_string(f),
                "the calibration fraction must be in (0, 1)", "e.g. --calibration-split 0.5");
  if (options.blockWindows < 1)
    throw Error("--split-block 0", "a split block holds at least one window",
                "e.g. --split-block 20 (10 s at stride 50)");
}

bool inCalibrationSplit(std::size_t windowIndex, const SplitOptions& options) {
  const double b = static_cast<double>(windowIndex / options.blockWindows);
  const double f = options.calibrationFraction;
  return std::floor((b + 1) * f) > std::floor(b * f);
}

}  // namespace imuwb::eval
