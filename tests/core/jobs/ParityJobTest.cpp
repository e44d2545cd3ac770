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
  options.compare.maxWindows = 24;
  options.compare.layerAnalysis = false;
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
    EXPECT_EQ(output.maxAbs, 0.0) << output.output;
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
  options.saveParams = dir / "params.json";
  runParityJob(bundle, options);
  const auto minmax = quant::loadQuantParams(options.saveParams);
  EXPECT_EQ(minmax.calibrationWindows, 64u);
  options.int8.range = "percentile:99";
  options.saveParams = dir / "percentile.json";
  runParityJob(bundle, options);
  const auto percentile = quant::loadQuantParams(options.saveParams);
  // Percentile ranges clip the tails: no activation range may be wider than min/max's, and at
  // least one must be narrower.
  ASSERT_EQ(percentile.activations.size(), minmax.activations.size());
  bool narrower = false;
  for (std::size_t i = 0; i < minmax.activations.size(); ++i) {
    const auto& m = minmax.activations[i];
    const auto& p = percentile.activations[i];
    EXPECT_LE(p.rangeMax - p.rangeMin, m.rangeMax - m.rangeMin + 1e-9) << m.tensor;
    narrower = narrower || (p.rangeMax - p.rangeMin) < 0.999 * (m.rangeMax - m.rangeMin);
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
  EXPECT_EQ(config.activationBits, 8);
  EXPECT_EQ(config.weightBits, 8);
  EXPECT_TRUE(config.weightsPerChannel);
  EXPECT_FALSE(config.inputMin.has_value());
  Int8Choices what_if;
  what_if.bits = 16;
  what_if.weights = "per_tensor";
  what_if.inputRange = "0,1";
  const auto changed = quantConfigFor(what_if);
  EXPECT_EQ(changed.activationBits, 16);
  EXPECT_FALSE(changed.weightsPerChannel);
  EXPECT_EQ(changed.inputMin, 0.0);
  EXPECT_EQ(changed.inputMax, 1.0);
  what_if.bits = 1;
  EXPECT_THROW(quantConfigFor(what_if), Error);
}

}  // namespace
}  // namespace imuwb::jobs
