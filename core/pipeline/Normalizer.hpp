#pragma once
// The manifest's per-channel z-score, applied exactly once: by the host when
// normalization.applied_by == "host", never when the model does it. Also reorders channels
// from the contract order (ax..mz) into the model's channel order.
#include <cstddef>
#include <vector>

#include "model/Manifest.hpp"

namespace imuwb {

class Normalizer {
 public:
  explicit Normalizer(const Manifest& manifest);
  // True when the host z-scores (the manifest has a contract and applied_by == host).
  bool hostApplies() const { return hostApplies_; }
  // rows: [count, C] contract order, raw units -> out: [count, C] model order, z-scored when
  // hostApplies(): out[m] = (raw[contractIndex[m]] - mean[m]) / std[m]. C is the model's
  // channel count (9, or 6: ax..gz).
  void apply(const float* rows, std::size_t count, float* out) const;
  // The inverse (model order, normalized -> contract order, raw); for calibration reports.
  void invert(const float* normalized, std::size_t count, float* out) const;

 private:
  bool hostApplies_ = false;
  int channels_ = kChannelCount;
  std::vector<int> contractIndex_;
  std::vector<float> mean_;
  std::vector<float> std_;
};

}  // namespace imuwb
