#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/quant/PeerNpy.hpp"
#include "quant/AffineQuantizer.hpp"

namespace imuwb::quant {
namespace {

std::vector<float> gaussian(std::size_t n, double sigma, unsigned seed, double mean = 0.0) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(static_cast<float>(mean), static_cast<float>(sigma));
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

TEST(AffineQuantizer, RoundsHalfToEvenLikeHailoRt) {
  EXPECT_EQ(roundHalfEven(0.5), 0.0);
  EXPECT_EQ(roundHalfEven(1.5), 2.0);
  EXPECT_EQ(roundHalfEven(2.5), 2.0);
  EXPECT_EQ(roundHalfEven(-0.5), 0.0);
  EXPECT_EQ(roundHalfEven(-1.5), -2.0);
  // The vectorized path must agree: grid with scale 1, zp 0, values exactly on .5.
  const AffineGrid unit{1.0, 0, 0, 255};
  std::vector<float> v = {0.5f, 1.5f, 2.5f, 3.5f, 254.5f};
  fakeQuantize(v, unit);
  EXPECT_EQ(v, (std::vector<float>{0.f, 2.f, 2.f, 4.f, 254.f}));
}

TEST(AffineQuantizer, ActivationGridHandComputed) {
  // [-1, 1] over 255 steps: scale 2/255, zero point round(127.5) = 128 (half to even).
  const auto g = activationGrid(-1.0, 1.0, 8);
  EXPECT_DOUBLE_EQ(g.scale, 2.0 / 255.0);
  EXPECT_EQ(g.zeroPoint, 128);
  EXPECT_EQ(g.qMin, 0);
  EXPECT_EQ(g.qMax, 255);
  // A positive-only range still includes zero: [0.5, 2] becomes [0, 2], zp 0.
  const auto p = activationGrid(0.5, 2.0, 8);
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_DOUBLE_EQ(p.scale, 2.0 / 255.0);
  // Degenerate range: no division by zero, a usable positive scale.
  const auto z = activationGrid(0.0, 0.0, 8);
  EXPECT_GT(z.scale, 0.0);
  // 16-bit grid.
  EXPECT_EQ(activationGrid(-1, 1, 16).qMax, 65535);
}

TEST(AffineQuantizer, WeightGridIsSymmetric) {
  const auto g = weightGrid(2.54, 8);
  EXPECT_EQ(g.qMin, -127);
  EXPECT_EQ(g.qMax, 127);
  EXPECT_EQ(g.zeroPoint, 0);
  EXPECT_DOUBLE_EQ(g.scale, 0.02);
  EXPECT_EQ(quantize(2.54, g), 127);
  EXPECT_EQ(quantize(-2.54, g), -127);
  EXPECT_EQ(quantize(0.01, g), 0);  // 0.5 -> 0 (half to even)
  EXPECT_EQ(quantize(0.03, g), 2);  // 1.5 -> 2
}

TEST(AffineQuantizer, ClipsAndCountsOutOfRangeValues) {
  const auto g = activationGrid(0.0, 1.0, 8);  // the [0,1] incident range
  std::vector<float> v = {-2.f, -0.1f, 0.f, 0.5f, 1.f, 3.f};
  const auto clipped = fakeQuantize(v, g);
  EXPECT_EQ(clipped, 3u);
  EXPECT_EQ(v[0], 0.f);
  EXPECT_EQ(v[1], 0.f);
  EXPECT_FLOAT_EQ(v[5], 1.f);
}

TEST(AffineQuantizer, InputQuantizationMatchesHailoRtFormula) {
  // q = clip(nearbyint(x/scale + zp), 0, 255), dequantized = (q - zp) * scale.
  const AffineGrid g{0.05, 100, 0, 255};
  const std::vector<float> x = {-10.f, -5.f, -0.025f, 0.f, 0.075f, 7.75f, 100.f};
  const auto q = quantizeBuffer(x, g);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double expect =
        std::clamp(std::nearbyint(static_cast<double>(x[i]) / 0.05 + 100.0), 0.0, 255.0);
    EXPECT_EQ(q[i], static_cast<std::int64_t>(expect)) << x[i];
  }
}

TEST(AffineQuantizer, FakeQuantMatchesNumpyReference) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  for (int bits : {4, 8, 16}) {
    const auto x = gaussian(5000, 2.0, 7 + bits, 0.3);
    test::writeNpyF32(dir / "x.npy", {5000}, x);
    const double lo = -3.1, hi = 4.2;
    const auto peer = test::runQuantPeer(dir.path(), {{"op", "fake_quant_activation"},
                                                      {"x", (dir / "x.npy").string()},
                                                      {"range", {lo, hi}},
                                                      {"bits", bits},
                                                      {"out", (dir / "y.npy").string()}});
    const auto g = activationGrid(lo, hi, bits);
    EXPECT_DOUBLE_EQ(g.scale, peer["scale"].get<double>());
    EXPECT_EQ(g.zeroPoint, peer["zero_point"].get<std::int64_t>());
    auto mine = x;
    fakeQuantize(mine, g);
    EXPECT_EQ(mine, test::readNpyF32(dir / "y.npy")) << bits << " bits";
  }
}

TEST(AffineQuantizer, PerChannelWeightsUseEachChannelsRange) {
  // Channel 0 is tiny, channel 1 large: per-channel keeps channel 0 precise, per-tensor not.
  std::vector<float> w = {0.001f, -0.002f, 0.003f, 1.f, -2.f, 3.f};
  auto per_channel = w;
  const auto grids = fakeQuantizeWeightsPerChannel(per_channel, 2, 8);
  ASSERT_EQ(grids.size(), 2u);
  EXPECT_DOUBLE_EQ(grids[0].scale, static_cast<double>(0.003f) / 127);
  EXPECT_DOUBLE_EQ(grids[1].scale, 3.0 / 127);
  auto per_tensor = w;
  fakeQuantizeWeightsPerTensor(per_tensor, 8);
  EXPECT_NEAR(per_channel[0], 0.001f, 0.003 / 127);
  EXPECT_EQ(per_tensor[0], 0.f);  // 0.001 / (3/127) = 0.042 -> 0
  // Column layout gives the same grids as the transposed row layout.
  std::vector<float> columns = {0.001f, 1.f, -0.002f, -2.f, 0.003f, 3.f};
  const auto column_grids = fakeQuantizeWeightsPerColumn(columns, 2, 8);
  EXPECT_DOUBLE_EQ(column_grids[0].scale, grids[0].scale);
  EXPECT_EQ(columns[0], per_channel[0]);
  EXPECT_EQ(columns[5], per_channel[5]);
}

TEST(AffineQuantizer, SnrImprovesMonotonicallyWithMoreBits) {
  // Calibrated on the data itself (min/max), so no clipping noise caps the SNR.
  const auto x = gaussian(20000, 1.5, 3);
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  double previous = -1e9;
  for (int bits : {4, 6, 8, 12, 16}) {
    auto q = x;
    fakeQuantize(q, activationGrid(*lo, *hi, bits));
    const double snr = snrDb(x, q);
    EXPECT_GT(snr, previous + 5.0) << bits << " bits";  // ~6 dB per bit
    previous = snr;
  }
}

TEST(AffineQuantizer, SnrHandComputed) {
  const std::vector<float> ref = {3.f, 4.f};
  const std::vector<float> approx = {3.f, 3.f};
  EXPECT_NEAR(snrDb(ref, approx), 10.0 * std::log10(25.0 / 1.0), 1e-12);
  EXPECT_TRUE(std::isinf(snrDb(ref, ref)));
}

}  // namespace
}  // namespace imuwb::quant
