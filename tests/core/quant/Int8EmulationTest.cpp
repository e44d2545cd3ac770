// INT8 emulation of single layers through the real engine, against the independent numpy
// reference quantizer (tests/peers/quant_reference.py), plus whole-model properties.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/quant/PeerNpy.hpp"
#include "core/quant/SmallModels.hpp"
#include "core/quant/TinyOnnx.hpp"
#include "engine/InferenceSession.hpp"
#include "quant/Calibration.hpp"
#include "quant/QuantizedSession.hpp"

namespace imuwb::quant {
namespace {

using test::randomValues;

// The seed of the small model's weights in these tests.
constexpr unsigned kModelSeed = 41;

// Calibrates on x itself (min/max), then runs the quantized model on x.
std::vector<float> emulate(const engine::OnnxModel& model, const std::vector<std::int64_t>& shape,
                           const std::vector<float>& x, QuantConfig config = {}) {
  const auto input = engine::Tensor::fromFloats(shape, x);
  const auto calibration = calibrate(model, input);
  const auto params = deriveQuantParams(calibration, config);
  QuantizedSession session(model, params);
  const auto result = session.run({{session.inputNames().front(), input}});
  const auto values = result.outputs.front().tensor.floats();
  return {values.begin(), values.end()};
}

// Same grid up to accumulation-order rounding: nearly every value identical, none more than
// one output step apart.
void expectSameQuantizedValues(const std::vector<float>& mine, const std::vector<float>& peer,
                               double output_scale) {
  ASSERT_EQ(mine.size(), peer.size());
  std::size_t differ = 0;
  for (std::size_t i = 0; i < mine.size(); ++i) {
    const double d = std::fabs(static_cast<double>(mine[i]) - peer[i]);
    EXPECT_LE(d, output_scale * 1.001) << "at " << i;
    differ += d > 1e-6 * std::max(1.0, std::fabs(static_cast<double>(peer[i])));
  }
  EXPECT_LE(differ, mine.size() / 100) << differ << " of " << mine.size() << " differ";
}

class Int8Layers : public ::testing::Test {
 protected:
  void SetUp() override { IMUWB_REQUIRE_PYTHON_PEERS(); }
  test::TempDir dir;
};

void convCase(const std::filesystem::path& dir, bool relu, bool per_channel) {
  const std::int64_t n = 48, c = 4, w = 24, o = 8, k = 3;
  test::TinyOnnx b;
  b.input("x", {1, c, 1, w});
  b.output("y", {1, o, 1, w});
  auto weights = randomValues(o * c * k, 11, 0.5f);
  for (std::int64_t i = 0; i < k * c; ++i)
    weights[static_cast<std::size_t>(i)] *= 0.05f;  // ch0 tiny
  const auto bias = randomValues(o, 12, 0.2f);
  b.initializer("W", {o, c, 1, k}, weights);
  b.initializer("B", {o}, bias);
  auto* conv = b.node("Conv", "conv1", {"x", "W", "B"}, {relu ? "c" : "y"});
  test::TinyOnnx::ints(conv, "kernel_shape", {1, k});
  test::TinyOnnx::ints(conv, "pads", {0, 1, 0, 1});
  if (relu) b.node("Relu", "relu1", {"c"}, {"y"});
  const auto model = b.save(dir / "conv.onnx");

  auto x = randomValues(static_cast<std::size_t>(n * c * w), 13, 1.5f, 0.3f);
  test::writeNpyF32(dir / "x.npy", {n, c, 1, w}, x);
  test::writeNpyF32(dir / "w.npy", {o, c, 1, k}, weights);
  test::writeNpyF32(dir / "b.npy", {o}, bias);
  const auto peer = test::runQuantPeer(dir, {{"op", "conv"},
                                             {"x", (dir / "x.npy").string()},
                                             {"w", (dir / "w.npy").string()},
                                             {"b", (dir / "b.npy").string()},
                                             {"strides", {1, 1}},
                                             {"pads", {0, 1, 0, 1}},
                                             {"relu", relu},
                                             {"per_channel", per_channel},
                                             {"out", (dir / "y.npy").string()}});
  QuantConfig config;
  config.weightsPerChannel = per_channel;
  const auto mine = emulate(model, {n, c, 1, w}, x, config);
  expectSameQuantizedValues(mine, test::readNpyF32(dir / "y.npy"), peer["scale_y"].get<double>());
}

TEST_F(Int8Layers, ConvPerChannelMatchesNumpy) {
  convCase(dir.path(), false, true);
}
TEST_F(Int8Layers, ConvPerTensorMatchesNumpy) {
  convCase(dir.path(), false, false);
}
TEST_F(Int8Layers, FusedConvReluMatchesNumpy) {
  convCase(dir.path(), true, true);
}

void gemmCase(const std::filesystem::path& dir, int trans_b) {
  const std::int64_t n = 64, k = 16, m = 10;
  test::TinyOnnx b;
  b.input("x", {1, k});
  b.output("y", {1, m});
  const auto weights = randomValues(static_cast<std::size_t>(k * m), 21, 0.4f);
  const auto bias = randomValues(static_cast<std::size_t>(m), 22, 0.1f);
  const std::vector<std::int64_t> wshape =
      trans_b ? std::vector<std::int64_t>{m, k} : std::vector<std::int64_t>{k, m};
  b.initializer("W", wshape, weights);
  b.initializer("B", {m}, bias);
  auto* gemm = b.node("Gemm", "fc1", {"x", "W", "B"}, {"y"});
  test::TinyOnnx::intAttr(gemm, "transB", trans_b);
  const auto model = b.save(dir / "gemm.onnx");
  const auto x = randomValues(static_cast<std::size_t>(n * k), 23, 2.f);
  test::writeNpyF32(dir / "x.npy", {n, k}, x);
  test::writeNpyF32(dir / "w.npy", wshape, weights);
  test::writeNpyF32(dir / "b.npy", {m}, bias);
  const auto peer = test::runQuantPeer(dir, {{"op", "gemm"},
                                             {"x", (dir / "x.npy").string()},
                                             {"w", (dir / "w.npy").string()},
                                             {"b", (dir / "b.npy").string()},
                                             {"trans_b", trans_b},
                                             {"out", (dir / "y.npy").string()}});
  const auto mine = emulate(model, {n, k}, x);
  expectSameQuantizedValues(mine, test::readNpyF32(dir / "y.npy"), peer["scale_y"].get<double>());
}

TEST_F(Int8Layers, GemmTransposedWeightsMatchesNumpy) {
  gemmCase(dir.path(), 1);
}
TEST_F(Int8Layers, GemmColumnChannelsMatchesNumpy) {
  gemmCase(dir.path(), 0);
}

TEST_F(Int8Layers, AddWithTwoInputScalesMatchesNumpy) {
  const std::int64_t n = 64, d = 32;
  const float k = 5.f;
  test::TinyOnnx b;
  b.input("x", {1, d});
  b.output("y", {1, d});
  b.initializer("k", {}, {k});
  b.node("Mul", "scale5", {"x", "k"}, {"a"});
  b.node("Relu", "relu", {"x"}, {"r"});
  b.node("Add", "add", {"a", "r"}, {"y"});
  const auto model = b.save(dir / "add.onnx");
  const auto x = randomValues(static_cast<std::size_t>(n * d), 31, 1.f, 0.2f);
  test::writeNpyF32(dir / "x.npy", {n, d}, x);
  const auto peer = test::runQuantPeer(dir.path(), {{"op", "add"},
                                                    {"x", (dir / "x.npy").string()},
                                                    {"k", k},
                                                    {"out", (dir / "y.npy").string()}});
  // The two Add inputs really are on different grids (about 5x apart).
  EXPECT_GT(peer["scale_a"].get<double>(), 3.0 * peer["scale_b"].get<double>());
  const auto mine = emulate(model, {n, d}, x);
  expectSameQuantizedValues(mine, test::readNpyF32(dir / "y.npy"), peer["scale_y"].get<double>());
}

double outputSnr(const engine::OnnxModel& model, const engine::Tensor& x, const QuantParams& p) {
  engine::InferenceSession fp32(model);
  const auto ref = fp32.run({{"x", x}}).outputs.front().tensor;
  QuantizedSession q(model, p);
  const auto out = q.run({{"x", x}}).outputs.front().tensor;
  return snrDb(ref.floats(), out.floats());
}

TEST(Int8Emulation, OutputSnrImprovesMonotonicallyWithMoreBits) {
  const auto& [dir, model, x] = test::SmallModelCase(kModelSeed, 128, 45);
  const auto calibration = calibrate(model, x);
  double previous = -1e9;
  for (int bits : {4, 6, 8, 12, 16}) {
    QuantConfig config;
    config.activationBits = config.weightBits = bits;
    const double snr = outputSnr(model, x, deriveQuantParams(calibration, config));
    EXPECT_GT(snr, previous + 3.0) << bits << " bits";
    previous = snr;
  }
}

TEST(Int8Emulation, SixteenBitWhatIfReachesTheRightTensorsAndHelps) {
  const auto& [dir, model, x] = test::SmallModelCase(kModelSeed, 128, 46);
  const auto calibration = calibrate(model, x);
  QuantConfig config;
  config.activationBits = config.weightBits = 6;
  const double base = outputSnr(model, x, deriveQuantParams(calibration, config));
  config.overrides.push_back({"conv1", Precision::A16W16, std::nullopt, std::nullopt});
  auto params = deriveQuantParams(calibration, config);
  // The override reaches the fused conv+relu activation and the conv weight, nothing else.
  EXPECT_EQ(params.weight("W1")->bits, 16);
  EXPECT_EQ(params.weight("W2")->bits, 6);
  EXPECT_EQ(params.activation(params.activations[1].tensor)->node, "conv1");
  EXPECT_EQ(params.activations[1].bits, 16);
  EXPECT_EQ(params.activation("x")->bits, 6);
  EXPECT_EQ(params.activation("y")->bits, 6);
  // Every layer at 16 bits: the what-if must recover most of the precision.
  config.overrides.push_back({"x", Precision::A16W16, std::nullopt, std::nullopt});
  config.overrides.push_back({"fc", Precision::A16W16, std::nullopt, std::nullopt});
  params = deriveQuantParams(calibration, config);
  EXPECT_GT(outputSnr(model, x, params), base + 30.0);
}

TEST(Int8Emulation, ClippingOverrideReplacesTheCalibratedRange) {
  const auto& [dir, model, x] = test::SmallModelCase(kModelSeed, 64, 50);
  const auto calibration = calibrate(model, x);
  QuantConfig config;
  config.overrides.push_back({"conv1", std::nullopt, 0.0, 0.5});
  const auto params = deriveQuantParams(calibration, config);
  const auto& conv = params.activations[1];
  EXPECT_EQ(conv.rangeSource, "override");
  EXPECT_NEAR(conv.rangeMax, 0.5, 1e-9);
  EXPECT_GT(conv.clipFraction, 0.0);  // relu outputs above 0.5 now clip
  EXPECT_GT(conv.calibMax, 0.5);
}

TEST(Int8Emulation, InputRangeZeroOneOnZScoredDataClips) {
  // The real incident: a HEF compiled with input range [0,1] for z-scored inputs.
  const auto& [dir, model, x] = test::SmallModelCase(kModelSeed, 256, 47);
  const auto calibration = calibrate(model, x);
  QuantConfig config;
  config.inputMin = 0.0;
  config.inputMax = 1.0;
  const auto params = deriveQuantParams(calibration, config);
  const auto* input = params.activation("x");
  ASSERT_NE(input, nullptr);
  EXPECT_TRUE(input->isGraphInput);
  EXPECT_EQ(input->rangeSource, "input_range");
  // Standard normal: P(x < -1/510) + P(x > 1 + 1/510) ~ 0.499 + 0.158.
  EXPECT_NEAR(input->clipFraction, 0.657, 0.03);
  QuantizedSession session(model, params);
  session.run({{"x", x}});
  ASSERT_GT(session.inputValues(), 0u);
  EXPECT_NEAR(static_cast<double>(session.inputClipped()) / session.inputValues(), 0.657, 0.02);
  // The calibrated range does not clip.
  const auto good = deriveQuantParams(calibration, {});
  EXPECT_EQ(good.activation("x")->clipFraction, 0.0);
}

TEST(Int8Emulation, ParamsFromAnotherModelAreRejected) {
  const auto& [dir, model, x] = test::SmallModelCase(kModelSeed, 8, 48);
  auto params = deriveQuantParams(calibrate(model, x), {});
  params.modelSha256 = "0000";
  EXPECT_THROW(QuantizedSession(model, params), Error);
}

TEST(Int8Emulation, CalibrationRejectsNanAndEmptySets) {
  test::TempDir dir;
  const auto model = test::convReluGemmModel(dir / "model.onnx", kModelSeed);
  auto values = randomValues(4 * 180, 49);
  values[7] = std::nanf("");
  EXPECT_THROW(calibrate(model, engine::Tensor::fromFloats({4, 9, 1, 20}, values)), Error);
  EXPECT_THROW(calibrate(model, engine::Tensor(engine::DType::Float32, {0, 9, 1, 20})), Error);
}

}  // namespace
}  // namespace imuwb::quant
