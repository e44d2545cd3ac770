#include "pipeline/Normalizer.hpp"

#include <string>

#include "common/Error.hpp"

namespace imuwb {

Normalizer::Normalizer(const Manifest& manifest)
    : channels_(manifest.input.channelCount()),
      contractIndex_(contractIndexOfModelChannels(manifest)) {
  hostApplies_ =
      manifest.normalization.present && manifest.normalization.appliedBy == NormalizationBy::Host;
  mean_ = manifest.normalization.mean;
  std_ = manifest.normalization.std;
  // A parsed manifest always agrees; one built in code might not, and must not be read past.
  if (hostApplies_ && (mean_.size() != contractIndex_.size() || std_.size() != mean_.size()))
    throw Error(manifest.sourcePath.string() + ": normalization",
                std::to_string(mean_.size()) + " means and " + std::to_string(std_.size()) +
                    " stds for " + std::to_string(contractIndex_.size()) + " model channels",
                "give one mean and one std per input channel");
}

void Normalizer::apply(const float* rows, std::size_t count, float* out) const {
  for (std::size_t r = 0; r < count; ++r) {
    const float* in = rows + r * channels_;
    float* to = out + r * channels_;
    for (int m = 0; m < channels_; ++m) {
      const float raw = in[contractIndex_[m]];
      // Subtract then divide in float, as numpy does on float32 arrays ((x - mean) / std).
      to[m] = hostApplies_ ? (raw - mean_[m]) / std_[m] : raw;
    }
  }
}

void Normalizer::invert(const float* normalized, std::size_t count, float* out) const {
  for (std::size_t r = 0; r < count; ++r) {
    const float* in = normalized + r * channels_;
    float* to = out + r * channels_;
    for (int m = 0; m < channels_; ++m)
      to[contractIndex_[m]] = hostApplies_ ? in[m] * std_[m] + mean_[m] : in[m];
  }
}

}  // namespace imuwb
