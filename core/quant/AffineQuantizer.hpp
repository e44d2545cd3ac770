#pragma once
// The integer arithmetic of Hailo-style post-training quantization, on plain float arrays.
//
// Activations: unsigned asymmetric, q = clip(round_half_even(x / scale + zero_point), 0, 2^b-1),
// dequantized = (q - zero_point) * scale (the HailoRT formula, contract.md "Quantization").
// Weights: signed symmetric, q = clip(round_half_even(w / scale), -(2^(b-1)-1), 2^(b-1)-1),
// per output channel or per tensor.
// "Fake quantization" (quantize then dequantize in place) is exact emulation of the integer
// pipeline as long as the accumulation itself is exact: requantizing a layer's output to the
// next layer's scale is the same as fake-quantizing that output with its own parameters.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace imuwb::quant {

// One affine quantization grid: value = (q - zero_point) * scale, q in [q_min, q_max].
struct AffineGrid {
  double scale = 1.0;
  std::int64_t zeroPoint = 0;
  std::int64_t qMin = 0;
  std::int64_t qMax = 255;

  double lowest() const { return static_cast<double>(qMin - zeroPoint) * scale; }
  double highest() const { return static_cast<double>(qMax - zeroPoint) * scale; }
};

// Round half to even, the IEEE default mode HailoRT's std::nearbyint uses.
double roundHalfEven(double value);

// Unsigned asymmetric grid of `bits` bits covering [range_min, range_max]. The range is widened
// to include 0 (so zero is exactly representable, as every Hailo activation grid requires) and a
// degenerate range gets a tiny positive scale instead of dividing by zero.
AffineGrid activationGrid(double rangeMin, double rangeMax, int bits);

// Signed symmetric grid of `bits` bits for weights with the given largest magnitude.
AffineGrid weightGrid(double maxAbs, int bits);

// q for one value (clip + round half to even).
std::int64_t quantize(double value, const AffineGrid& grid);
inline double dequantize(std::int64_t q, const AffineGrid& grid) {
  return static_cast<double>(q - grid.zeroPoint) * grid.scale;
}

// Quantize-then-dequantize in place. Returns how many values were clipped: farther than half a
// step outside [lowest(), highest()], so saturation added error beyond ordinary rounding.
std::size_t fakeQuantize(std::span<float> values, const AffineGrid& grid);

// Quantize a float buffer to integers (e.g. an input vstream), HailoRT style.
std::vector<std::int64_t> quantizeBuffer(std::span<const float> values, const AffineGrid& grid);

// Per-output-channel symmetric weight fake quantization. `weights` is laid out with the output
// channel as the slowest axis (Conv OIHW, or Gemm/MatMul after the caller says which axis) and
// holds `channels` equal blocks. Returns the grid used for each channel.
std::vector<AffineGrid> fakeQuantizeWeightsPerChannel(std::span<float> weights,
                                                      std::size_t channels, int bits);
// Per-channel where the channel is the fastest axis (e.g. MatMul B [K,N] or Gemm B with transB=0:
// the output channel is the column). `channels` = N, the row count is weights.size()/N.
std::vector<AffineGrid> fakeQuantizeWeightsPerColumn(std::span<float> weights, std::size_t channels,
                                                     int bits);
// Per channel along any axis of a tensor with the given shape (outer x channels x inner).
std::vector<AffineGrid> fakeQuantizeWeightsAlongAxis(std::span<float> weights,
                                                     const std::vector<std::int64_t>& shape,
                                                     int axis, int bits);
// Largest magnitude per channel along an axis (for deriving grids without modifying).
std::vector<double> maxAbsAlongAxis(std::span<const float> weights,
                                    const std::vector<std::int64_t>& shape, int axis);
// One grid for the whole tensor.
AffineGrid fakeQuantizeWeightsPerTensor(std::span<float> weights, int bits);

// Signal-to-noise ratio in dB of `approx` against `reference`: 10 log10(sum ref^2 / sum err^2).
// +inf when identical, -inf... never: a zero reference with nonzero error gives -inf dB.
double snrDb(std::span<const float> reference, std::span<const float> approx);

}  // namespace imuwb::quant
