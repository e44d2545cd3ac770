// calib-export as a core job: its options are its own (the task's defaults live in the job, not
// in quant's library struct), and every choice reaches the file it writes. Its coverage check
// (calib-export --check) is a job too: progress up to 1, cancellation, its report through the
// output-path policy.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "jobs/CalibCoverageJob.hpp"
#include "jobs/CalibExportJob.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

const std::filesystem::path kModel = test::sourceDir() / "samples/models/dog_behavior_conv2d";
const std::filesystem::path kSession =
    test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";

nlohmann::json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

TEST(CalibExportJob, DefaultsAreHailosRecommendation) {
  const CalibExportJobOptions options;
  EXPECT_EQ(options.windows, 1024u);  // contract: at least 1000, 1024 recommended
  EXPECT_EQ(options.stride, 50);      // training's stride
  EXPECT_EQ(options.layout, quant::CalibrationLayout::Nhwc);  // --calib-set-path takes NHWC
  EXPECT_EQ(options.seed, 0u);
  EXPECT_TRUE(options.devices.empty());
  EXPECT_FALSE(options.force);
  EXPECT_TRUE(options.ranges.empty());
  EXPECT_TRUE(options.classes.empty());
  EXPECT_EQ(options.balance, quant::CalibrationBalance::None);
  EXPECT_EQ(CalibCoverageJobOptions{}.maxOutside, 0.01);
}

TEST(CalibExportJob, EveryChoiceReachesTheWrittenSet) {
  const auto bundle = loadModelBundle(kModel);
  test::TempDir dir;
  CalibExportJobOptions options;
  options.sessions = {kSession};
  options.out = dir / "calib.npy";
  options.windows = 40;
  options.stride = 100;
  options.seed = 7;
  options.layout = calibrationLayoutNamed("model");
  const auto result = runCalibExportJob(bundle, options);
  ASSERT_TRUE(result.written);
  EXPECT_EQ(result.exported, 40u);
  // 10 min at 100 Hz with stride 100: (60000 - 100) / 100 + 1 candidate windows.
  EXPECT_EQ(result.available, (60000u - 100u) / 100u + 1u);
  const auto npy = engine::readNpyTensor(options.out);
  EXPECT_EQ(npy.shape(), (std::vector<std::int64_t>{40, 9, 2, 100}));  // the manifest's NCHW
  const auto manifest = readJson(dir / "calib.npy.json");
  EXPECT_EQ(manifest.at("stride").get<int>(), 100);
  EXPECT_EQ(manifest.at("seed").get<std::uint64_t>(), 7u);
  EXPECT_EQ(manifest.at("windows_requested").get<std::size_t>(), 40u);
  EXPECT_THROW(calibrationLayoutNamed("nchw"), Error);
}

TEST(CalibExportJob, SelectionChoicesReachTheManifest) {
  const auto bundle = loadModelBundle(kModel);
  test::TempDir dir;
  CalibExportJobOptions options;
  options.sessions = {kSession};
  options.out = dir / "calib.npy";
  options.windows = 60;
  options.ranges = {{"collar", 30, 330}};
  options.classes = {"walk", "stand"};
  options.balance = quant::CalibrationBalance::Classes;
  const auto result = runCalibExportJob(bundle, options);
  ASSERT_TRUE(result.written);
  const auto selection = readJson(dir / "calib.npy.json").at("selection");
  EXPECT_EQ(selection.at("ranges")[0].at("end_s").get<double>(), 330.0);
  EXPECT_EQ(selection.at("classes"), nlohmann::json::array({"walk", "stand"}));
  EXPECT_EQ(selection.at("balance"), "classes");
  EXPECT_EQ(result.classHistogram.size(), 2u);
}

TEST(CalibCoverageJob, ReportsProgressCancelsAndGuardsItsReport) {
  const auto bundle = loadModelBundle(kModel);
  test::TempDir dir;
  CalibExportJobOptions exportOptions;
  exportOptions.sessions = {kSession};
  exportOptions.out = dir / "calib.npy";
  exportOptions.windows = 64;
  runCalibExportJob(bundle, exportOptions);

  CalibCoverageJobOptions options;
  options.calibrationSet = dir / "calib.npy";
  options.sessions = {kSession};
  options.report = dir / "coverage.json";
  std::vector<double> progress;
  JobControl control;
  control.onProgress = [&](double f, std::string_view) { progress.push_back(f); };
  const auto result = runCalibCoverageJob(options, control);
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), 1.0);
  EXPECT_EQ(readJson(options.report).at("warned").get<bool>(), result.warned);
  EXPECT_THROW(runCalibCoverageJob(options), Error);  // the report exists: needs force
  options.force = true;
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THROW(runCalibCoverageJob(options, {{}, stop.get_token()}), Cancelled);
  options.report = kSession;  // never over an input
  EXPECT_THROW(runCalibCoverageJob(options), Error);
}

}  // namespace
}  // namespace imuwb::jobs
