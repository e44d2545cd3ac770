#pragma once
// The manifest's per-channel z-score, applied exactly once: by the host when
// normalization.applied_by == "host", never when the model does it. Also reorders channels
// from the contract order (ax..mz) into the model's channel order.
#include <array>
#include <cstddef>

#include "model/Manifest.hpp"

namespace imuwb {

class Normalizer {
 public:
  explicit Normalizer(const Manifest& manifest);
  // True when the host z-scores (the manifest has a contract and applied_by == host).
  bool hostApplies() const { return hostApplies_; }
  // rows: [count, 9] contract order, raw units -> out: [count, 9] model order, z-scored when
  // hostApplies(): out[m] = (raw[contractIndex[m]] - mean[m]) / std[m].
  void apply(const float* rows, std::size_t count, float* out) const;
  // The inverse (model order, normalized -> contract order, raw); for calibration reports.
  void invert(const float* normalized, std::size_t count, float* out) const;

 private:
  bool hostApplies_ = false;
  std::array<int, kChannelCount> contractIndex_{};
  std::array<float, kChannelCount> mean_{};
  std::array<float, kChannelCount> std_{};
};

}  // namespace imuwb
