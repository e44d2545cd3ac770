#include "session/UnitConsistency.hpp"

#include <algorithm>
#include <cmath>

#include "session/Session.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

namespace {
// Blocks of at least this many seconds, so a jump or a shake cannot move a block's median.
constexpr double kBlockSeconds = 5.0;
// g vs m/s^2 is a factor 9.8; gravity plus ordinary motion stays well inside a factor 4.
constexpr double kJumpRatio = 4.0;

double medianMagnitude(const float* rows, std::size_t count, int channels) {
  std::vector<double> magnitudes;
  magnitudes.reserve(count);
  for (std::size_t r = 0; r < count; ++r) {
    const float* row = rows + r * channels;
    const double m =
        std::sqrt(double(row[0]) * row[0] + double(row[1]) * row[1] + double(row[2]) * row[2]);
    if (std::isfinite(m)) magnitudes.push_back(m);
  }
  if (magnitudes.empty()) return NAN;
  auto middle = magnitudes.begin() + static_cast<std::ptrdiff_t>(magnitudes.size() / 2);
  std::nth_element(magnitudes.begin(), middle, magnitudes.end());
  return *middle;
}
}  // namespace

std::optional<Finding> detectUnitChange(const std::vector<float>& samples, double sampleRateHz,
                                        int channels) {
  const std::size_t rows = samples.size() / static_cast<std::size_t>(channels);
  const auto block = static_cast<std::size_t>(
      std::max(1.0, std::ceil(kBlockSeconds * (sampleRateHz > 0 ? sampleRateHz : 100.0))));
  if (rows < 2 * block) return std::nullopt;
  std::vector<double> medians;
  for (std::size_t first = 0; first + block <= rows; first += block)
    medians.push_back(medianMagnitude(samples.data() + first * channels, block, channels));
  // The first block whose scale differs from the one before it by the jump ratio.
  for (std::size_t b = 1; b < medians.size(); ++b) {
    const double before = medians[b - 1], after = medians[b];
    if (!(before > 1e-3) || !(after > 1e-3)) continue;
    const double ratio = std::max(before, after) / std::min(before, after);
    if (ratio < kJumpRatio) continue;
    using session_text::formatSignificant;
    Finding finding;
    finding.severity = Severity::Warning;
    finding.code = "units_change_mid_file";
    finding.subject = "acc";
    finding.start_s = static_cast<double>(b * block) / sampleRateHz;
    finding.end_s = finding.start_s;
    finding.message = "the accelerometer's median magnitude jumps from " +
                      formatSignificant(before, 3) + " to " + formatSignificant(after, 3) +
                      " m/s^2 (x" + formatSignificant(ratio, 3) + ") near row " +
                      std::to_string(b * block) + " (" + formatSignificant(finding.start_s, 4) +
                      " s): the units probably change mid-file (g vs m/s^2)";
    finding.fix =
        "split the file where the units change and import each part with the right --units";
    return finding;
  }
  return std::nullopt;
}

}  // namespace imuwb
