// The parity job builds its sides from names: the same backend on both sides agrees exactly,
// an int8 side is calibrated from the chosen set with the chosen range policy, a recording is
// told from a backend name, and contradictory or bad choices are refused before any work.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "jobs/Int8Choices.hpp"
#include "jobs/ParityJob.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "quant/QuantParams.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

const std::filesystem::path kModel = test::sourceDir() / "samples/models/dog_behavior_conv2d";
const std::filesystem::path kSession =
    test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";

ParityJobOptions fewWindows() {
  ParityJobOptions options;
  options.compare.sessions = {kSession};
  options.compare.max_windows = 24;
  options.compare.layer_analysis = false;
  return options;
}

TEST(ParityJob, SameBackendOnBothSidesAgreesExactly) {
  const auto bundle = loadModelBundle(kModel);
  auto options = fewWindows();
  options.b = "cpu";
  const auto result = runParityJob(bundle, options);
  EXPECT_EQ(result.windows, 24u);
  ASSERT_EQ(result.outputs.size(), bundle.manifest.outputs.size());
  for (const auto& output : result.outputs) {
    EXPECT_EQ(output.max_abs, 0.0) << output.output;
    EXPECT_TRUE(output.passed) << output.output;
  }
  EXPECT_TRUE(result.passed());
}

TEST(ParityJob, Int8SideUsesTheChosenCalibrationAndRangePolicy) {
  const auto bundle = loadModelBundle(kModel);
  test::TempDir dir;
  quant::CalibrationExportOptions calib;
  calib.sessions = {kSession};
  calib.out = dir / "calib.npy";
  calib.windows = 64;
  calib.force = true;
  ASSERT_TRUE(quant::exportCalibrationSet(bundle, calib).written);
  auto options = fewWindows();  // a = cpu, b = int8
  options.int8.calibration = calib.out;
  options.save_params = dir / "params.json";
  runParityJob(bundle, options);
  const auto minmax = quant::loadQuantParams(options.save_params);
  EXPECT_EQ(minmax.calibration_windows, 64u);
  options.int8.range = "percentile:99";
  options.save_params = dir / "percentile.json";
  runParityJob(bundle, options);
  const auto percentile = quant::loadQuantParams(options.save_params);
  // Percentile ranges clip the tails: no activation range may be wider than min/max's, and at
  // least one must be narrower.
  ASSERT_EQ(percentile.activations.size(), minmax.activations.size());
  bool narrower = false;
  for (std::size_t i = 0; i < minmax.activations.size(); ++i) {
    const auto& m = minmax.activations[i];
    const auto& p = percentile.activations[i];
    EXPECT_LE(p.range_max - p.range_min, m.range_max - m.range_min + 1e-9) << m.tensor;
    narrower = narrower || (p.range_max - p.range_min) < 0.999 * (m.range_max - m.range_min);
  }
  EXPECT_TRUE(narrower);
}

TEST(ParityJob, RefusesContradictoryOrBadChoices) {
  const auto bundle = loadModelBundle(kModel);
  auto options = fewWindows();
  options.reference = "/data/ref";
  options.a = "int8";
  EXPECT_THROW(runParityJob(bundle, options), Error);
  options = fewWindows();
  options.compare.stride = 0;
  EXPECT_THROW(runParityJob(bundle, options), Error);
  options = fewWindows();
  options.int8.range = "median";
  EXPECT_THROW(runParityJob(bundle, options), Error);
}

TEST(ParityJob, TellsRecordingsFromBackendNames) {
  EXPECT_FALSE(isRecordingSpec("cpu"));
  EXPECT_FALSE(isRecordingSpec("int8"));
  EXPECT_FALSE(isRecordingSpec(""));
  EXPECT_TRUE(isRecordingSpec("outputs.h5"));
  EXPECT_TRUE(isRecordingSpec("runs/pytorch"));
  EXPECT_TRUE(isRecordingSpec(kSession.string()));
  EXPECT_TRUE(isRecordingSpec(kSession.string() + ":cpu"));
}

TEST(Int8Choices, DefaultsAreMinMaxPerChannelEightBits) {
  const Int8Choices choices;
  const auto config = quantConfigFor(choices);
  EXPECT_EQ(choices.range, "minmax");
  EXPECT_EQ(config.activation_bits, 8);
  EXPECT_EQ(config.weight_bits, 8);
  EXPECT_TRUE(config.weights_per_channel);
  EXPECT_FALSE(config.input_min.has_value());
  Int8Choices what_if;
  what_if.bits = 16;
  what_if.weights = "per_tensor";
  what_if.input_range = "0,1";
  const auto changed = quantConfigFor(what_if);
  EXPECT_EQ(changed.activation_bits, 16);
  EXPECT_FALSE(changed.weights_per_channel);
  EXPECT_EQ(changed.input_min, 0.0);
  EXPECT_EQ(changed.input_max, 1.0);
  what_if.bits = 1;
  EXPECT_THROW(quantConfigFor(what_if), Error);
}

}  // namespace
}  // namespace imuwb::jobs
