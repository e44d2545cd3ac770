#include "pipeline/Normalizer.hpp"

namespace imuwb {

Normalizer::Normalizer(const Manifest& manifest)
    : contractIndex_(contractIndexOfModelChannels(manifest)) {
  hostApplies_ =
      manifest.normalization.present && manifest.normalization.appliedBy == NormalizationBy::Host;
  mean_ = manifest.normalization.mean;
  std_ = manifest.normalization.std;
}

void Normalizer::apply(const float* rows, std::size_t count, float* out) const {
  for (std::size_t r = 0; r < count; ++r) {
    const float* in = rows + r * kChannelCount;
    float* to = out + r * kChannelCount;
    for (int m = 0; m < kChannelCount; ++m) {
      const float raw = in[contractIndex_[m]];
      // Subtract then divide in float, as numpy does on float32 arrays ((x - mean) / std).
      to[m] = hostApplies_ ? (raw - mean_[m]) / std_[m] : raw;
    }
  }
}

void Normalizer::invert(const float* normalized, std::size_t count, float* out) const {
  for (std::size_t r = 0; r < count; ++r) {
    const float* in = normalized + r * kChannelCount;
    float* to = out + r * kChannelCount;
    for (int m = 0; m < kChannelCount; ++m)
      to[contractIndex_[m]] = hostApplies_ ? in[m] * std_[m] + mean_[m] : in[m];
  }
}

}  // namespace imuwb
