#include "quant/AffineQuantizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imuwb::quant {
namespace {

// Adding and subtracting 1.5 * 2^52 rounds a double of magnitude < 2^51 to an integer in the
// current rounding mode (round half to even by default). Unlike std::nearbyint it vectorizes.
constexpr double kRoundMagic = 6755399441055744.0;

inline double clampRound(double t, double lo, double hi) {
  t = std::min(std::max(t, lo), hi);
  return (t + kRoundMagic) - kRoundMagic;
}

}  // namespace

double roundHalfEven(double value) {
  return std::nearbyint(value);
}

AffineGrid activationGrid(double range_min, double range_max, int bits) {
  AffineGrid grid;
  grid.qMin = 0;
  grid.qMax = (std::int64_t{1} << bits) - 1;
  double lo = std::min(range_min, 0.0);
  double hi = std::max(range_max, 0.0);
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0.0;
  double scale = (hi - lo) / static_cast<double>(grid.qMax - grid.qMin);
  if (!(scale > 0.0)) scale = std::numeric_limits<float>::min();
  grid.scale = scale;
  grid.zeroPoint = std::clamp<std::int64_t>(
      static_cast<std::int64_t>(roundHalfEven(static_cast<double>(grid.qMin) - lo / scale)),
      grid.qMin, grid.qMax);
  return grid;
}

AffineGrid weightGrid(double max_abs, int bits) {
  AffineGrid grid;
  grid.qMax = (std::int64_t{1} << (bits - 1)) - 1;
  grid.qMin = -grid.qMax;
  grid.zeroPoint = 0;
  const double scale = max_abs / static_cast<double>(grid.qMax);
  grid.scale = (scale > 0.0 && std::isfinite(scale)) ? scale : std::numeric_limits<float>::min();
  return grid;
}

std::int64_t quantize(double value, const AffineGrid& grid) {
  const double t = value / grid.scale + static_cast<double>(grid.zeroPoint);
  return static_cast<std::int64_t>(
      clampRound(t, static_cast<double>(grid.qMin), static_cast<double>(grid.qMax)));
}

std::size_t fakeQuantize(std::span<float> values, const AffineGrid& grid) {
  const double scale = grid.scale;
  const double zp = static_cast<double>(grid.zeroPoint);
  const double lo = static_cast<double>(grid.qMin);
  const double hi = static_cast<double>(grid.qMax);
  std::size_t clipped = 0;
  float* data = values.data();
  const std::size_t n = values.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(data[i]) / scale + zp;
    clipped += (t < lo - 0.5) | (t > hi + 0.5);
    data[i] = static_cast<float>((clampRound(t, lo, hi) - zp) * scale);
  }
  return clipped;
}

std::vector<std::int64_t> quantizeBuffer(std::span<const float> values, const AffineGrid& grid) {
  std::vector<std::int64_t> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = quantize(values[i], grid);
  return out;
}

std::vector<AffineGrid> fakeQuantizeWeightsPerChannel(std::span<float> weights,
                                                      std::size_t channels, int bits) {
  std::vector<AffineGrid> grids;
  if (channels == 0) return grids;
  const std::size_t block = weights.size() / channels;
  grids.reserve(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    auto slice = weights.subspan(c * block, block);
    double max_abs = 0.0;
    for (float w : slice) max_abs = std::max(max_abs, static_cast<double>(std::fabs(w)));
    grids.push_back(weightGrid(max_abs, bits));
    fakeQuantize(slice, grids.back());
  }
  return grids;
}

std::vector<AffineGrid> fakeQuantizeWeightsPerColumn(std::span<float> weights, std::size_t channels,
                                                     int bits) {
  std::vector<AffineGrid> grids;
  if (channels == 0) return grids;
  const std::size_t rows = weights.size() / channels;
  std::vector<double> max_abs(channels, 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < channels; ++c)
      max_abs[c] = std::max(max_abs[c], static_cast<double>(std::fabs(weights[r * channels + c])));
  grids.reserve(channels);
  for (std::size_t c = 0; c < channels; ++c) grids.push_back(weightGrid(max_abs[c], bits));
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < channels; ++c) {
      float& w = weights[r * channels + c];
      w = static_cast<float>(dequantize(quantize(w, grids[c]), grids[c]));
    }
  return grids;
}

namespace {
void splitAxis(std::size_t size, const std::vector<std::int64_t>& shape, int axis,
               std::size_t& outer, std::size_t& channels, std::size_t& inner) {
  outer = 1;
  inner = 1;
  channels =
      shape.empty() ? size : static_cast<std::size_t>(shape.at(static_cast<std::size_t>(axis)));
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    if (i < axis) outer *= static_cast<std::size_t>(shape[static_cast<std::size_t>(i)]);
    if (i > axis) inner *= static_cast<std::size_t>(shape[static_cast<std::size_t>(i)]);
  }
}
}  // namespace

std::vector<double> maxAbsAlongAxis(std::span<const float> weights,
                                    const std::vector<std::int64_t>& shape, int axis) {
  std::size_t outer, channels, inner;
  splitAxis(weights.size(), shape, axis, outer, channels, inner);
  std::vector<double> max_abs(channels, 0.0);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t c = 0; c < channels; ++c) {
      const float* block = weights.data() + (o * channels + c) * inner;
      for (std::size_t i = 0; i < inner; ++i)
        max_abs[c] = std::max(max_abs[c], static_cast<double>(std::fabs(block[i])));
    }
  return max_abs;
}

std::vector<AffineGrid> fakeQuantizeWeightsAlongAxis(std::span<float> weights,
                                                     const std::vector<std::int64_t>& shape,
                                                     int axis, int bits) {
  std::size_t outer, channels, inner;
  splitAxis(weights.size(), shape, axis, outer, channels, inner);
  const auto max_abs = maxAbsAlongAxis(weights, shape, axis);
  std::vector<AffineGrid> grids;
  for (double m : max_abs) grids.push_back(weightGrid(m, bits));
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t c = 0; c < channels; ++c)
      fakeQuantize(weights.subspan((o * channels + c) * inner, inner), grids[c]);
  return grids;
}

AffineGrid fakeQuantizeWeightsPerTensor(std::span<float> weights, int bits) {
  double max_abs = 0.0;
  for (float w : weights) max_abs = std::max(max_abs, static_cast<double>(std::fabs(w)));
  const AffineGrid grid = weightGrid(max_abs, bits);
  fakeQuantize(weights, grid);
  return grid;
}

double snrDb(std::span<const float> reference, std::span<const float> approx) {
  const std::size_t n = std::min(reference.size(), approx.size());
  double signal = 0.0, noise = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = reference[i];
    const double e = r - static_cast<double>(approx[i]);
    signal += r * r;
    noise += e * e;
  }
  if (noise == 0.0) return std::numeric_limits<double>::infinity();
  if (signal == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

}  // namespace imuwb::quant
