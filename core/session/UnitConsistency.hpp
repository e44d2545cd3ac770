#pragma once
// Units are decided once per file, but some loggers switch units part way through (g for the
// first half, m/s^2 for the second). At rest or in ordinary motion the median magnitude of the
// accelerometer over a few seconds is gravity, so a block whose median is several times
// another's means the units changed, not the dog.
#include <cstddef>
#include <optional>
#include <vector>

#include "common/Channels.hpp"
#include "common/Finding.hpp"

namespace imuwb {

// samples: row-major [N, channels] in contract order (9, or 6 without a magnetometer). A warning
// finding (code "units_change_mid_file") naming the time where the accelerometer's scale jumps,
// or nullopt.
std::optional<Finding> detectUnitChange(const std::vector<float>& samples, double sampleRateHz,
                                        int channels = kChannelCount);

// The same check fed rows block by block (any block sizes): holds one 5 s block at a time.
class UnitChangeDetector {
 public:
  UnitChangeDetector(double sampleRateHz, int channels = kChannelCount);
  void add(const float* rows, std::size_t rowCount);
  // The finding detectUnitChange gives on all the rows added.
  std::optional<Finding> finish() const { return found_; }

 private:
  void closeBlock();
  double rate_;
  int channels_;
  std::size_t block_, blocks_ = 0;
  std::vector<float> pending_;  // the rows of the block being filled
  double previous_ = 0;         // the last full block's median magnitude
  std::optional<Finding> found_;
};

}  // namespace imuwb
