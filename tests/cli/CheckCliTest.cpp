// imuwb check end to end: the sample model passes (0), the real encoder fails (1), a session
// recorded in g fails the preprocessing check (1), unreadable input is a usage error (2).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::string cli() {
  return test::shellQuote(test::cliPath().string());
}
const std::filesystem::path kSample = "samples/models/dog_behavior_conv2d";

bool hasFinding(const nlohmann::json& report, const std::string& code,
                const std::string& severity) {
  for (const auto& finding : report.at("findings"))
    if (finding.at("code") == code && finding.at("severity") == severity) return true;
  return false;
}

TEST(CliCheck, TheSampleModelPasses) {
  if (!std::filesystem::exists(test::sourceDir() / kSample / "manifest.json"))
    FAIL() << "samples/models/dog_behavior_conv2d is missing; it ships with the repo";
  const auto result = test::runCommand(cli() + " check --json " +
                                       test::shellQuote((test::sourceDir() / kSample).string()));
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;
  const auto report = nlohmann::json::parse(result.output);
  EXPECT_TRUE(report.at("passed").get<bool>());
  EXPECT_EQ(report.at("counts").at("error"), 0);
  EXPECT_GT(report.at("windows_run").get<int>(), 0);
  EXPECT_TRUE(hasFinding(report, "output_range_ok", "info")) << result.output;
}

TEST(CliCheck, TheRealEncoderFailsWithConv1dFindingsInATable) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto model =
      test::shellQuote((test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx").string());
  auto result = test::runCommand(cli() + " check --json " + model);
  ASSERT_EQ(result.exitCode, 1) << result.errors;
  const auto report = nlohmann::json::parse(result.output);
  EXPECT_FALSE(report.at("passed").get<bool>());
  EXPECT_TRUE(hasFinding(report, "conv1d", "error"));
  result = test::runCommand(cli() + " check " + model);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.output.find("SEVERITY"), std::string::npos);
  EXPECT_NE(result.output.find("fix: rewrite it as Conv2d"), std::string::npos);
  EXPECT_NE(result.output.find("FAIL"), std::string::npos);
}

TEST(CliCheck, ASessionRecordedInGFailsThePreprocessingCheck) {
  if (!std::filesystem::exists(test::sourceDir() / kSample / "manifest.json"))
    FAIL() << "samples/models/dog_behavior_conv2d is missing; it ships with the repo";
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto session = (dir / "s.h5").string();
  ASSERT_EQ(test::runCommand(cli() + " generate --duration 2m --seed 4 --out " +
                             test::shellQuote(session))
                .exitCode,
            0);
  const auto bundle = test::shellQuote((test::sourceDir() / kSample).string());
  auto result = test::runCommand(cli() + " check --json " + bundle + " --session " +
                                 test::shellQuote(session));
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;  // contract units: fine
  // Rewrite the accelerometer in g with plain h5py (the file still claims m/s^2).
  const auto gSession = (dir / "g.h5").string();
  const auto convert =
      test::runCommand("cp " + test::shellQuote(session) + " " + test::shellQuote(gSession) +
                       " && " + test::shellQuote(test::pythonPath()) + " -c " +
                       test::shellQuote("import h5py, sys\n"
                                        "f = h5py.File(sys.argv[1], 'r+')\n"
                                        "for d in f['devices']:\n"
                                        "    x = f['devices'][d]['imu']\n"
                                        "    v = x[()]; v[:, :3] /= 9.80665; x[...] = v\n") +
                       " " + test::shellQuote(gSession));
  ASSERT_EQ(convert.exitCode, 0) << convert.errors;
  result = test::runCommand(cli() + " check --json " + bundle + " --session " +
                            test::shellQuote(gSession));
  ASSERT_EQ(result.exitCode, 1) << result.output << result.errors;
  EXPECT_TRUE(hasFinding(nlohmann::json::parse(result.output), "unit_acc_g", "error"))
      << result.output;
}

TEST(CliCheck, TheSidecarSampleWithDegreesPerSecondGyroFails) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto model =
      test::shellQuote((test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx").string());
  const auto sample =
      test::shellQuote((test::pipelineFixturesDir() / "realistic_imu_sample.json").string());
  const auto result =
      test::runCommand(cli() + " check --json --no-run " + model + " --session " + sample);
  ASSERT_EQ(result.exitCode, 1) << result.errors;
  const auto report = nlohmann::json::parse(result.output);
  EXPECT_TRUE(hasFinding(report, "unit_gyro_degrees", "error")) << result.output;
}

TEST(CliCheck, UnreadableModelIsAUsageError) {
  test::TempDir dir;
  auto result =
      test::runCommand(cli() + " check " + test::shellQuote((dir / "none.onnx").string()));
  EXPECT_EQ(result.exitCode, 2);
  std::ofstream(dir / "broken.onnx") << "garbage";
  result = test::runCommand(cli() + " check " + test::shellQuote((dir / "broken.onnx").string()));
  EXPECT_EQ(result.exitCode, 2) << result.output;
}

}  // namespace
}  // namespace imuwb
