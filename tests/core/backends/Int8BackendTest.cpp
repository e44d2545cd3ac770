// The int8 backend through the registry: settings, calibration layouts, saved parameters.
#include <gtest/gtest.h>

#include <random>

#include "backends/BackendRegistry.hpp"
#include "backends/Int8Backend.hpp"
#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "pipeline/Layout.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

const std::filesystem::path kModel = test::sourceDir() / "samples/models/dog_behavior_conv2d";

class Int8BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kModel))
      FAIL() << "samples/models/dog_behavior_conv2d is missing; it ships with the repo";
    bundle = loadModelBundle(kModel);
    // 64 z-scored windows in Hailo's NHWC [N, H=2, W=100, 9] and in the model's NCHW.
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    nhwc.resize(64 * 2 * 100 * 9);
    for (auto& v : nhwc) v = normal(rng);
    nchw.resize(nhwc.size());
    canonicalToLayout(nhwc.data(), 64, canonicalDims(bundle.manifest), bundle.manifest.input.layout,
                      nchw.data());
    engine::writeNpyTensor(dir / "nhwc.npy", engine::Tensor::fromFloats({64, 2, 100, 9}, nhwc));
    engine::writeNpyTensor(dir / "nchw.npy", engine::Tensor::fromFloats({64, 9, 2, 100}, nchw));
  }
  std::unique_ptr<Backend> make(std::map<std::string, std::string> settings) {
    return makeDefaultBackendRegistry().create("int8", {settings});
  }
  Batch batch() const { return {bundle.manifest.input.name, {64, 9, 2, 100}, nchw}; }

  test::TempDir dir;
  ModelBundle bundle;
  std::vector<float> nhwc, nchw;
};

TEST_F(Int8BackendTest, CalibrationInEitherLayoutGivesTheSameModel) {
  auto from_nhwc = make({{"calibration", (dir / "nhwc.npy").string()}});
  auto from_nchw = make({{"calibration", (dir / "nchw.npy").string()}});
  from_nhwc->load(bundle);
  from_nchw->load(bundle);
  EXPECT_EQ(from_nhwc->describe().precision, "int8");
  const auto x = from_nhwc->run(batch());
  const auto y = from_nchw->run(batch());
  ASSERT_EQ(x.outputs.size(), bundle.manifest.outputs.size());
  for (std::size_t i = 0; i < x.outputs.size(); ++i) {
    EXPECT_EQ(x.outputs[i].name, bundle.manifest.outputs[i].name);  // manifest order
    EXPECT_EQ(x.outputs[i].values, y.outputs[i].values);
  }
}

TEST_F(Int8BackendTest, SavedParametersReproduceTheOutputs) {
  auto calibrated = make({{"calibration", (dir / "nchw.npy").string()}});
  calibrated->load(bundle);
  const auto& view = dynamic_cast<const quant::QuantizedBackendView&>(*calibrated);
  quant::saveQuantParams(view.quantParams(), dir / "q.json");
  auto loaded = make({{"quant_params", (dir / "q.json").string()}});
  loaded->load(bundle);
  const auto x = calibrated->run(batch());
  const auto y = loaded->run(batch());
  for (std::size_t i = 0; i < x.outputs.size(); ++i)
    EXPECT_EQ(x.outputs[i].values, y.outputs[i].values);
  EXPECT_GT(view.inputValuesSeen(), 0u);
  EXPECT_EQ(view.inputValuesClipped(), 0u);  // calibrated on these very windows
}

TEST_F(Int8BackendTest, ForcedZeroOneInputRangeClipsNegativeInputs) {
  auto backend = make({{"calibration", (dir / "nchw.npy").string()}, {"input_range", "0,1"}});
  backend->load(bundle);
  backend->run(batch());
  const auto& view = dynamic_cast<const quant::QuantizedBackendView&>(*backend);
  const double fraction =
      static_cast<double>(view.inputValuesClipped()) / static_cast<double>(view.inputValuesSeen());
  EXPECT_NEAR(fraction, 0.657, 0.02);
}

TEST_F(Int8BackendTest, BadSettingsAndMissingCalibrationAreErrors) {
  EXPECT_THROW(make({{"input_range", "1"}}), Error);
  EXPECT_THROW(make({{"input_range", "1,0"}}), Error);
  EXPECT_THROW(make({{"range", "kl"}}), Error);
  EXPECT_THROW(make({{"range", "percentile:20"}}), Error);
  EXPECT_THROW(make({{"weights", "per_row"}}), Error);
  EXPECT_THROW(make({{"threads", "two"}}), Error);
  auto nothing = make({});
  EXPECT_THROW(nothing->load(bundle), Error);
  auto wrong = make({{"calibration", (dir / "missing.npy").string()}});
  EXPECT_THROW(wrong->load(bundle), Error);
  engine::writeNpyTensor(dir / "odd.npy",
                         engine::Tensor::fromFloats({2, 5}, std::vector<float>(10, 0.f)));
  auto odd = make({{"calibration", (dir / "odd.npy").string()}});
  EXPECT_THROW(odd->load(bundle), Error);
  EXPECT_THROW(make({{"calibration", (dir / "nchw.npy").string()}})->run(batch()), Error);
}

}  // namespace
}  // namespace imuwb
