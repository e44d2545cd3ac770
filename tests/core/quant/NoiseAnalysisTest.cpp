#include <gtest/gtest.h>

#include <random>

#include "core/quant/SmallModels.hpp"
#include "quant/Calibration.hpp"
#include "quant/NoiseAnalysis.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

using test::randomValues;

// The seed of the small model's weights in these tests.
constexpr unsigned kModelSeed = 51;

const analysis::LayerNoise* layer(const analysis::LayerNoiseReport& r, const std::string& node) {
  for (const auto& l : r.layers)
    if (l.node == node) return &l;
  return nullptr;
}

TEST(NoiseAnalysis, BothViewsNamedByOnnxNodeAndInputMatchesDirectSnr) {
  const auto& [dir, m, x] = test::SmallModelCase(kModelSeed, 64, 55);
  const auto params = deriveQuantParams(calibrate(m, x), {});
  const auto report = analyzeLayerNoise(m, params, x);
  ASSERT_EQ(report.layers.size(), 3u);  // input, conv1 (fused with relu1), fc
  EXPECT_EQ(report.layers[0].op, "input");
  ASSERT_NE(layer(report, "conv1"), nullptr);
  ASSERT_NE(layer(report, "fc"), nullptr);
  EXPECT_EQ(report.windows, 64u);
  // View 1 at the input: the input's own quantization noise, computed independently here.
  auto q = x;
  fakeQuantize(q.floats(), params.activation("x")->grid());
  EXPECT_NEAR(report.layers[0].snrAllQuantized_db, snrDb(x.floats(), q.floats()), 1e-9);
  // View 2: one SNR per model output; 8-bit layers of a benign model are well above 10 dB.
  for (const auto& l : report.layers) {
    ASSERT_EQ(l.snrOnlyThisLayer.size(), 1u);
    EXPECT_EQ(l.snrOnlyThisLayer[0].output, "y");
    EXPECT_GT(l.snrOnlyThisLayerMin_db, 20.0) << l.node;
    EXPECT_FALSE(l.flagged) << l.node;
  }
  // Noise accumulates: the last layer (all quantized) is noisier than its own contribution.
  EXPECT_LT(layer(report, "fc")->snrAllQuantized_db, layer(report, "fc")->snrOnlyThisLayerMin_db);
}

TEST(NoiseAnalysis, BadlyClippedLayerIsRankedFirstFlaggedAndGetsAClippingFix) {
  const auto& [dir, m, x] = test::SmallModelCase(kModelSeed, 64, 56);
  const auto calibration = calibrate(m, x);
  QuantConfig config;
  config.overrides.push_back({"conv1", std::nullopt, 0.0, 0.01});  // clips almost everything
  const auto report = analyzeLayerNoise(m, deriveQuantParams(calibration, config), x);
  const auto* conv = layer(report, "conv1");
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->rank, 1);
  EXPECT_TRUE(conv->flagged);
  EXPECT_LT(conv->snrOnlyThisLayerMin_db, 10.0);
  EXPECT_NE(conv->suggestion.find("clip"), std::string::npos);
  EXPECT_NE(conv->suggestion.find("1000"), std::string::npos);  // only 64 calibration windows
  // fc alone is fine (view 2); in view 1 it inherits conv1's damage, which is the point of
  // having both views.
  EXPECT_GT(layer(report, "fc")->snrOnlyThisLayerMin_db, 20.0);
  EXPECT_LT(layer(report, "fc")->snrAllQuantized_db, 10.0);
}

TEST(NoiseAnalysis, LowPrecisionLayerGetsA16Suggestion) {
  const auto& [dir, m, x] = test::SmallModelCase(kModelSeed, 64, 57);
  QuantConfig config;
  config.activationBits = config.weightBits = 3;
  const auto report = analyzeLayerNoise(m, deriveQuantParams(calibrate(m, x), config), x);
  bool any = false;
  for (const auto& l : report.layers)
    if (l.flagged && l.clipFraction <= 0.001) {
      any = true;
      EXPECT_NE(l.suggestion.find("a16_w16"), std::string::npos) << l.node;
    }
  EXPECT_TRUE(any);
}

}  // namespace
}  // namespace imuwb::quant

namespace imuwb::quant {
namespace {

TEST(NoiseAnalysis, OutlierDominatedRangeGetsAPercentileFix) {
  // The sample model's real failure: z-scored gyro spikes of +-60 sigma (here +-200) set a min/max
  // input range, so ordinary values get a handful of steps. The fix is percentile clipping.
  test::TempDir dir;
  const auto m = test::convReluGemmModel(dir / "model.onnx", kModelSeed);
  auto values = randomValues(256 * 180, 58);
  for (std::size_t i = 7; i < values.size(); i += 15000) values[i] = (i % 2 ? 200.f : -200.f);
  const auto x = engine::Tensor::fromFloats({256, 9, 1, 20}, values);
  const auto calibration = calibrate(m, x);
  const auto minmax = deriveQuantParams(calibration, {});
  EXPECT_GT(minmax.activation("x")->outlierRatio, 2.0);
  const auto report = analyzeLayerNoise(m, minmax, x);
  const auto* input = layer(report, "x");
  ASSERT_NE(input, nullptr);
  EXPECT_DOUBLE_EQ(input->outlierRatio, minmax.activation("x")->outlierRatio);
  auto flagged = *input;
  flagged.flagged = true;
  EXPECT_NE(suggestLayerFix(flagged, 1024).find("percentile"), std::string::npos);
  // The suggested fix works: on ordinary windows (no spikes), percentile calibration gives the
  // input far more precision than the outlier-stretched min/max range.
  const auto clean = test::randomWindows(64, 59);
  QuantConfig config;
  config.range = {RangeMethod::Percentile, 99.99};
  const auto before = analyzeLayerNoise(m, minmax, clean);
  const auto after = analyzeLayerNoise(m, deriveQuantParams(calibration, config), clean);
  EXPECT_GT(layer(after, "x")->snrAllQuantized_db, layer(before, "x")->snrAllQuantized_db + 10.0);
  EXPECT_GT(layer(after, "fc")->snrOnlyThisLayerMin_db, 0.0);
}

}  // namespace
}  // namespace imuwb::quant
