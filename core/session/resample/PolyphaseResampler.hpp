#pragma once
// Rational polyphase FIR resampling that reproduces scipy.signal.resample_poly(x, up, down) with
// its defaults (window ('kaiser', 5.0), padtype 'constant'): the same low-pass (firwin of
// 2 * half_len + 1 taps, cutoff 1 / max(up, down), gain up), the same output length
// ceil(n * up / down) and the same alignment (output i sits at input time i * down / up).
// Streaming: frames go in blocks, outputs come out as soon as their taps are known, and only
// the filter's span of input is kept, so memory does not grow with the recording.
#include <cstddef>
#include <vector>

#include "session/resample/ResampleRatio.hpp"

namespace imuwb {

// scipy.signal.firwin(2 * half_len + 1, 1 / max(up, down), window=('kaiser', 5.0)) * up.
std::vector<double> designResampleFilter(const ResampleRatio& ratio);

class PolyphaseResampler {
 public:
  // channels: values per frame (interleaved, row-major); inputFrames: the whole input's length
  // (it fixes the output length and where the zero padding starts).
  PolyphaseResampler(const ResampleRatio& ratio, std::size_t channels, std::size_t inputFrames);

  std::size_t outputFrames() const { return outputFrames_; }
  // Appends the outputs that became computable to out (float frames, interleaved).
  void push(const float* frames, std::size_t frameCount, std::vector<float>& out);
  // After the last push (exactly inputFrames in total): appends the remaining outputs.
  void finish(std::vector<float>& out);

 private:
  void produce(bool final, std::vector<float>& out);
  std::size_t lowestInputNeeded(std::size_t output) const;

  std::int64_t up_, down_, halfLength_;
  std::vector<double> taps_;
  std::size_t channels_, inputFrames_, outputFrames_;
  std::vector<double> buffered_;     // input frames [bufferStart_, pushed_), interleaved
  std::size_t bufferStart_ = 0;      // input index of buffered_'s first frame
  std::size_t pushed_ = 0;           // input frames received
  std::size_t nextOutput_ = 0;       // index of the next output frame
  std::vector<double> accumulator_;  // one output frame
};

// Random access to the same output (on-the-fly use: a window reader asks for any rows). Gives
// the same values as PolyphaseResampler, bit for bit.
class PolyphaseRange {
 public:
  PolyphaseRange(const ResampleRatio& ratio, std::size_t channels, std::size_t inputFrames);
  std::size_t outputFrames() const { return outputFrames_; }
  struct Span {
    std::size_t first = 0, count = 0;
  };
  // The input frames that outputs [first, first + count) depend on, clipped to the input.
  Span inputSpan(std::size_t first, std::size_t count) const;
  // input holds the frames of inputSpan(first, count), interleaved; out gets count frames.
  void compute(const float* input, Span span, std::size_t first, std::size_t count,
               float* out) const;

 private:
  std::int64_t up_, down_, halfLength_;
  std::vector<double> taps_;
  std::size_t channels_, inputFrames_, outputFrames_;
};

// Whole-array convenience (tests, small signals): resample one interleaved signal.
std::vector<float> resamplePoly(const std::vector<float>& frames, std::size_t channels,
                                const ResampleRatio& ratio);

}  // namespace imuwb
