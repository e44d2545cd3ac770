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

std::size_t blockRows(double sampleRateHz) {
  return static_cast<std::size_t>(
      std::max(1.0, std::ceil(kBlockSeconds * (sampleRateHz > 0 ? sampleRateHz : 100.0))));
}

Finding unitChangeFinding(double before, double after, std::size_t row, double sampleRateHz) {
  using session_text::formatSignificant;
  const double ratio = std::max(before, after) / std::min(before, after);
  Finding finding;
  finding.severity = Severity::Warning;
  finding.code = "units_change_mid_file";
  finding.subject = "acc";
  finding.start_s = static_cast<double>(row) / sampleRateHz;
  finding.end_s = finding.start_s;
  finding.message = "the accelerometer's median magnitude jumps from " +
                    formatSignificant(before, 3) + " to " + formatSignificant(after, 3) +
                    " m/s^2 (x" + formatSignificant(ratio, 3) + ") near row " +
                    std::to_string(row) + " (" + formatSignificant(finding.start_s, 4) +
                    " s): the units probably change mid-file (g vs m/s^2)";
  finding.fix = "split the file where the units change and import each part with the right --units";
  return finding;
}

}  // namespace

UnitChangeDetector::UnitChangeDetector(double sampleRateHz, int channels)
    : rate_(sampleRateHz), channels_(channels), block_(blockRows(sampleRateHz)) {
  pending_.reserve(block_ * static_cast<std::size_t>(channels));
}

void UnitChangeDetector::add(const float* rows, std::size_t rowCount) {
  const auto width = static_cast<std::size_t>(channels_);
  while (rowCount > 0 && !found_) {
    const std::size_t take = std::min(rowCount, block_ - pending_.size() / width);
    pending_.insert(pending_.end(), rows, rows + take * width);
    rows += take * width;
    rowCount -= take;
    if (pending_.size() == block_ * width) closeBlock();
  }
}

// The first block whose scale differs from the one before it by the jump ratio.
void UnitChangeDetector::closeBlock() {
  const double median = medianMagnitude(pending_.data(), block_, channels_);
  pending_.clear();
  const std::size_t index = blocks_++;
  const double before = previous_;
  previous_ = median;
  if (index == 0 || !(before > 1e-3) || !(median > 1e-3)) return;
  if (std::max(before, median) / std::min(before, median) < kJumpRatio) return;
  found_ = unitChangeFinding(before, median, index * block_, rate_);
}

std::optional<Finding> detectUnitChange(const std::vector<float>& samples, double sampleRateHz,
                                        int channels) {
  UnitChangeDetector detector(sampleRateHz, channels);
  detector.add(samples.data(), samples.size() / static_cast<std::size_t>(channels));
  return detector.finish();
}

}  // namespace imuwb
