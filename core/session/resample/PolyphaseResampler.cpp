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

namespace {

std::size_t outputLength(std::size_t inputFrames, const ResampleRatio& ratio) {
  const auto product =
      static_cast<unsigned __int128>(inputFrames) * static_cast<std::uint64_t>(ratio.up);
  return static_cast<std::size_t>((product + static_cast<std::uint64_t>(ratio.down) - 1) /
                                  static_cast<std::uint64_t>(ratio.down));
}

// Output i is sum_k taps[r + k * up] * x[nHi - k] with t = i * down + half_len, nHi = t / up,
// r = t % up: resample_poly's upfirdn with its pre-padding and pre-removal folded in. frameAt(n)
// gives input frame n (0 <= n < inputFrames); the order of the sums is the same everywhere.
template <class FrameAt>
void accumulateOutput(const std::vector<double>& taps, std::int64_t up, std::int64_t down,
                      std::int64_t halfLength, std::size_t inputFrames, std::size_t output,
                      FrameAt frameAt, std::vector<double>& sum) {
  std::fill(sum.begin(), sum.end(), 0.0);
  const std::int64_t t = static_cast<std::int64_t>(output) * down + halfLength;
  const std::int64_t high = t / up, lastTap = 2 * halfLength;
  for (std::int64_t tap = t - high * up, n = high; tap <= lastTap && n >= 0; tap += up, --n) {
    if (n >= static_cast<std::int64_t>(inputFrames)) continue;  // zero padding after the end
    const double weight = taps[static_cast<std::size_t>(tap)];
    const auto* frame = frameAt(static_cast<std::size_t>(n));
    for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += weight * static_cast<double>(frame[c]);
  }
}

std::size_t lowestInput(std::int64_t up, std::int64_t down, std::int64_t halfLength,
                        std::size_t output) {
  const std::int64_t t = static_cast<std::int64_t>(output) * down + halfLength;
  const std::int64_t high = t / up, phase = t % up;
  const std::int64_t low = high - (2 * halfLength - phase) / up;
  return low < 0 ? 0 : static_cast<std::size_t>(low);
}

}  // namespace

PolyphaseResampler::PolyphaseResampler(const ResampleRatio& ratio, std::size_t channels,
                                       std::size_t inputFrames)
    : up_(ratio.up),
      down_(ratio.down),
      halfLength_(ratio.halfLength()),
      taps_(designResampleFilter(ratio)),
      channels_(channels),
      inputFrames_(inputFrames),
      outputFrames_(outputLength(inputFrames, ratio)),
      accumulator_(channels) {}

std::size_t PolyphaseResampler::lowestInputNeeded(std::size_t output) const {
  return lowestInput(up_, down_, halfLength_, output);
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
  while (nextOutput_ < outputFrames_) {
    const std::int64_t t = static_cast<std::int64_t>(nextOutput_) * down_ + halfLength_;
    if (!final && t / up_ >= static_cast<std::int64_t>(pushed_)) break;  // taps not all known
    accumulateOutput(
        taps_, up_, down_, halfLength_, inputFrames_, nextOutput_,
        [this](std::size_t n) { return &buffered_[(n - bufferStart_) * channels_]; }, accumulator_);
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

PolyphaseRange::PolyphaseRange(const ResampleRatio& ratio, std::size_t channels,
                               std::size_t inputFrames)
    : up_(ratio.up),
      down_(ratio.down),
      halfLength_(ratio.halfLength()),
      taps_(designResampleFilter(ratio)),
      channels_(channels),
      inputFrames_(inputFrames),
      outputFrames_(outputLength(inputFrames, ratio)) {}

PolyphaseRange::Span PolyphaseRange::inputSpan(std::size_t first, std::size_t count) const {
  if (count == 0 || inputFrames_ == 0) return {};
  const std::size_t low = std::min(lowestInput(up_, down_, halfLength_, first), inputFrames_);
  const std::int64_t t = static_cast<std::int64_t>(first + count - 1) * down_ + halfLength_;
  const std::size_t high = std::min(static_cast<std::size_t>(t / up_) + 1, inputFrames_);
  return {low, high > low ? high - low : 0};
}

void PolyphaseRange::compute(const float* input, Span span, std::size_t first, std::size_t count,
                             float* out) const {
  std::vector<double> sum(channels_);
  for (std::size_t i = 0; i < count; ++i) {
    accumulateOutput(
        taps_, up_, down_, halfLength_, inputFrames_, first + i,
        [&](std::size_t n) { return input + (n - span.first) * channels_; }, sum);
    for (std::size_t c = 0; c < channels_; ++c) out[i * channels_ + c] = static_cast<float>(sum[c]);
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
