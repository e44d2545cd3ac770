#include "session/resample/PolyphaseResampler.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "common/Error.hpp"

namespace imuwb {

std::vector<double> designResampleFilter(const ResampleRatio& ratio) {
  const std::int64_t halfLength = ratio.halfLength();
  const std::int64_t count = 2 * halfLength + 1;
  const double cutoff = 1.0 / static_cast<double>(std::max(ratio.up, ratio.down));
  constexpr double kBeta = 5.0;  // scipy's default window ('kaiser', 5.0)
  const double i0Beta = std::cyl_bessel_i(0.0, kBeta);
  std::vector<double> taps(static_cast<std::size_t>(count));
  double sum = 0;
  for (std::int64_t n = 0; n < count; ++n) {
    const double m = static_cast<double>(n - halfLength);
    const double x = std::numbers::pi * cutoff * m;
    const double sinc = m == 0 ? 1.0 : std::sin(x) / x;
    const double r = m / static_cast<double>(halfLength);  // (n - alpha) / alpha
    const double window =
        std::cyl_bessel_i(0.0, kBeta * std::sqrt(std::max(0.0, 1 - r * r))) / i0Beta;
    taps[static_cast<std::size_t>(n)] = cutoff * sinc * window;
    sum += taps[static_cast<std::size_t>(n)];
  }
  // firwin scales to unit gain at DC; resample_poly multiplies by up.
  for (double& tap : taps) tap *= static_cast<double>(ratio.up) / sum;
  return taps;
}

PolyphaseResampler::PolyphaseResampler(const ResampleRatio& ratio, std::size_t channels,
                                       std::size_t inputFrames)
    : up_(ratio.up),
      down_(ratio.down),
      halfLength_(ratio.halfLength()),
      taps_(designResampleFilter(ratio)),
      channels_(channels),
      inputFrames_(inputFrames),
      accumulator_(channels) {
  const auto product =
      static_cast<unsigned __int128>(inputFrames) * static_cast<std::uint64_t>(up_);
  outputFrames_ = static_cast<std::size_t>((product + static_cast<std::uint64_t>(down_) - 1) /
                                           static_cast<std::uint64_t>(down_));
}

// Output i is sum_k taps[r + k * up] * x[nHi - k] with t = i * down + half_len, nHi = t / up,
// r = t % up: resample_poly's upfirdn with its pre-padding and pre-removal folded in.
std::size_t PolyphaseResampler::lowestInputNeeded(std::size_t output) const {
  const std::int64_t t = static_cast<std::int64_t>(output) * down_ + halfLength_;
  const std::int64_t high = t / up_, phase = t % up_;
  const std::int64_t low = high - (2 * halfLength_ - phase) / up_;
  return low < 0 ? 0 : static_cast<std::size_t>(low);
}

void PolyphaseResampler::push(const float* frames, std::size_t frameCount,
                              std::vector<float>& out) {
  if (pushed_ + frameCount > inputFrames_)
    throw Error("PolyphaseResampler", "more input frames than announced",
                "pass the whole input length to the constructor");
  buffered_.insert(buffered_.end(), frames, frames + frameCount * channels_);
  pushed_ += frameCount;
  produce(false, out);
}

void PolyphaseResampler::finish(std::vector<float>& out) {
  if (pushed_ != inputFrames_)
    throw Error("PolyphaseResampler",
                "finished after " + std::to_string(pushed_) + " of " +
                    std::to_string(inputFrames_) + " input frames",
                "push the whole input before finish()");
  produce(true, out);
}

void PolyphaseResampler::produce(bool final, std::vector<float>& out) {
  const std::int64_t lastTap = 2 * halfLength_;
  while (nextOutput_ < outputFrames_) {
    const std::int64_t t = static_cast<std::int64_t>(nextOutput_) * down_ + halfLength_;
    const std::int64_t high = t / up_;
    if (!final && high >= static_cast<std::int64_t>(pushed_)) break;  // taps not all known yet
    std::fill(accumulator_.begin(), accumulator_.end(), 0.0);
    for (std::int64_t tap = t - high * up_, n = high; tap <= lastTap && n >= 0; tap += up_, --n) {
      if (n >= static_cast<std::int64_t>(inputFrames_)) continue;  // zero padding after the end
      const double weight = taps_[static_cast<std::size_t>(tap)];
      const double* frame = &buffered_[(static_cast<std::size_t>(n) - bufferStart_) * channels_];
      for (std::size_t c = 0; c < channels_; ++c) accumulator_[c] += weight * frame[c];
    }
    for (double value : accumulator_) out.push_back(static_cast<float>(value));
    ++nextOutput_;
  }
  // Drop the input no later output reaches.
  const std::size_t keepFrom =
      std::min(nextOutput_ < outputFrames_ ? lowestInputNeeded(nextOutput_) : pushed_, pushed_);
  if (keepFrom > bufferStart_) {
    buffered_.erase(
        buffered_.begin(),
        buffered_.begin() + static_cast<std::ptrdiff_t>((keepFrom - bufferStart_) * channels_));
    bufferStart_ = keepFrom;
  }
}

std::vector<float> resamplePoly(const std::vector<float>& frames, std::size_t channels,
                                const ResampleRatio& ratio) {
  PolyphaseResampler resampler(ratio, channels, frames.size() / channels);
  std::vector<float> out;
  out.reserve(resampler.outputFrames() * channels);
  resampler.push(frames.data(), frames.size() / channels, out);
  resampler.finish(out);
  return out;
}

}  // namespace imuwb
