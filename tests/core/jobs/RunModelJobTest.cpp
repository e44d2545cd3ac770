// run-model as a core job: it writes one .npy per output plus summary.json, slicing a long input
// into engine calls changes no value beyond float rounding (other batch sizes block the GEMMs
// differently), named and positional inputs bind alike, and inputs
// that do not fit are refused with the fix.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "jobs/RunJob.hpp"
#include "jobs/RunModelJob.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

const std::filesystem::path kOnnx =
    test::sourceDir() / "samples/models/dog_behavior_conv2d/model.onnx";

std::filesystem::path randomWindows(const test::TempDir& dir, std::int64_t windows) {
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.f, 1.f);
  std::vector<float> values(static_cast<std::size_t>(windows) * 9 * 2 * 100);
  for (auto& v : values) v = noise(rng);
  const auto path = dir / "windows.npy";
  engine::writeNpyTensor(path, engine::Tensor::fromFloats({windows, 9, 2, 100}, values));
  return path;
}

TEST(RunModelJob, SlicingChangesNoValueBeyondRounding) {
  test::TempDir dir;
  const auto input = randomWindows(dir, 10);
  RunModelJobOptions whole;
  whole.model = kOnnx;
  whole.inputs = {input.string()};
  whole.outputDir = dir / "whole";
  const auto result = runRunModelJob(whole);
  EXPECT_EQ(result.windows, 10);
  RunModelJobOptions sliced = whole;
  sliced.outputDir = dir / "sliced";
  sliced.sliceWindows = 3;  // 3 + 3 + 3 + 1
  sliced.inputs = {"imu_window=" + input.string()};
  runRunModelJob(sliced);

  std::ifstream summaryFile(whole.outputDir / "summary.json");
  const auto summary = nlohmann::json::parse(summaryFile);
  EXPECT_EQ(summary["windows"], 10);
  ASSERT_FALSE(summary["outputs"].empty());
  for (const auto& output : summary["outputs"]) {
    const auto file = output["file"].get<std::string>();
    const auto a = engine::readNpyTensor(whole.outputDir / file);
    const auto b = engine::readNpyTensor(sliced.outputDir / file);
    ASSERT_EQ(a.shape(), b.shape()) << file;
    EXPECT_EQ(a.dim(0), 10) << file;
    const auto av = a.floats(), bv = b.floats();
    for (std::size_t i = 0; i < av.size(); ++i)
      ASSERT_NEAR(av[i], bv[i], 1e-5f * (1.f + std::abs(av[i]))) << file << " at " << i;
  }
}

TEST(RunModelJob, RefusesInputsThatDoNotFit) {
  test::TempDir dir;
  RunModelJobOptions options;
  options.model = kOnnx;
  options.inputs = {};
  EXPECT_THROW(runRunModelJob(options), Error);  // no input for imu_window
  options.inputs = {"nosuch=" + randomWindows(dir, 2).string()};
  try {
    runRunModelJob(options);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.fix().find("imu_window"), std::string::npos);
  }
  std::vector<float> one(9 * 2 * 100, 0.f);
  engine::writeNpyTensor(dir / "one.npy", engine::Tensor::fromFloats({9, 2, 100}, one));
  options.inputs = {(dir / "one.npy").string()};
  try {
    runRunModelJob(options);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.fix().find("leading window dimension"), std::string::npos);
  }
}

TEST(RunJob, BackendSettingsLetNamedOptionsWin) {
  RunJobOptions options;
  options.threads = 3;
  options.backendSettings = {{"range", "percentile"}, {"calibration", "old.npy"}};
  options.calibration = "chosen.npy";
  const auto settings = backendOptionsFor(options).settings;
  EXPECT_EQ(settings.at("threads"), "3");
  EXPECT_EQ(settings.at("range"), "percentile");
  EXPECT_EQ(settings.at("calibration"), "chosen.npy");
  EXPECT_EQ(settings.count("quant_params"), 0u);
  options.backendSettings["threads"] = "2";  // --backend-option threads=2 beats --threads
  EXPECT_EQ(backendOptionsFor(options).settings.at("threads"), "2");
}

}  // namespace
}  // namespace imuwb::jobs
