// End-to-end: imuwb generate / import / info against the built binary.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

test::ProcessResult imuwb(const std::string& arguments) {
  return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
}
std::string q(const std::filesystem::path& path) {
  return test::shellQuote(path.string());
}

TEST(SessionCli, GenerateThenInfoAsJson) {
  test::TempDir dir;
  auto result = imuwb("generate --duration 90s --seed 4 --out " + q(dir / "g.h5") + " --json");
  ASSERT_EQ(result.exitCode, 0) << result.errors;
  EXPECT_EQ(nlohmann::json::parse(result.output).at("sample_count"), 9000);
  result = imuwb("info " + q(dir / "g.h5") + " --json");
  ASSERT_EQ(result.exitCode, 0) << result.errors << result.output;
  const auto info = nlohmann::json::parse(result.output);
  EXPECT_EQ(info.at("devices"), (std::vector<std::string>{"collar", "harness"}));
  EXPECT_EQ(info.at("sample_rate_hz"), 100.0);
  EXPECT_DOUBLE_EQ(info.at("duration_s").get<double>(), 90.0);
  EXPECT_EQ(info.at("units")[3], "rad/s");
  double labelled = 0;
  for (const auto& [name, entry] : info.at("labels").items())
    labelled += entry.at("seconds").get<double>();
  EXPECT_NEAR(labelled, 90.0, 1e-6);
  EXPECT_TRUE(info.at("findings").empty()) << info.at("findings").dump();
  // Human-readable form lists the same.
  result = imuwb("info " + q(dir / "g.h5"));
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_NE(result.output.find("collar harness"), std::string::npos) << result.output;
  // The output is never silently replaced.
  result = imuwb("generate --duration 10s --out " + q(dir / "g.h5"));
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.errors.find("--force"), std::string::npos);
}

TEST(SessionCli, ImportSampleCsvReportsConversionsAndLabels) {
  test::TempDir dir;
  const auto samples = test::sourceDir() / "samples/sessions";
  auto result = imuwb("import " + q(samples / "harness_90s_g_dps.csv") + " --labels " +
                      q(samples / "harness_90s_labels.csv") + " --device harness --out " +
                      q(dir / "i.h5") + " --json");
  ASSERT_EQ(result.exitCode, 0) << result.errors;
  const auto report = nlohmann::json::parse(result.output);
  std::string messages;
  for (const auto& finding : report.at("report"))
    messages += finding.at("message").get<std::string>() + "\n";
  EXPECT_NE(messages.find("g -> m/s^2"), std::string::npos) << messages;
  EXPECT_NE(messages.find("deg/s -> rad/s"), std::string::npos) << messages;
  EXPECT_NE(messages.find("mG -> uT"), std::string::npos) << messages;
  result = imuwb("info " + q(dir / "i.h5") + " --json");
  ASSERT_EQ(result.exitCode, 0) << result.output;
  const auto info = nlohmann::json::parse(result.output);
  EXPECT_EQ(info.at("devices")[0], "harness");
  EXPECT_TRUE(info.at("explicit_time").get<bool>());
  EXPECT_EQ(info.at("labels").at("trot").at("intervals"), 1);
}

TEST(SessionCli, ImportPipelineJsonFixture) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  test::TempDir dir;
  const auto result = imuwb("import " + q(test::pipelineFixturesDir() / "static_imu_sample.json") +
                            " --out " + q(dir / "w.h5"));
  ASSERT_EQ(result.exitCode, 0) << result.errors;
  EXPECT_NE(result.errors.find("deg/s -> rad/s"), std::string::npos) << result.errors;
}

TEST(SessionCli, ErrorsExitTwoAndErrorFindingsExitOne) {
  test::TempDir dir;
  std::ofstream(dir / "junk.h5") << "not hdf5";
  auto result = imuwb("info " + q(dir / "junk.h5"));
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.errors.find("junk.h5"), std::string::npos);
  EXPECT_NE(result.errors.find("fix:"), std::string::npos);
  result = imuwb("info " + q(dir / "junk.h5") + " --json");
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_TRUE(nlohmann::json::parse(result.output).contains("error"));
  result = imuwb("generate --duration 10s");
  EXPECT_EQ(result.exitCode, 2);  // --out missing
  result = imuwb("generate --duration soon --out " + q(dir / "x.h5"));
  EXPECT_EQ(result.exitCode, 2);
  // A recording with a NaN run: import writes it, validation flags it, exit 1 both times.
  {
    std::ofstream csv(dir / "nan.csv");
    csv << "time_s,ax,ay,az,gx,gy,gz,mx,my,mz\n";
    for (int i = 0; i < 1000; ++i) {
      const double w = 0.01 * ((i * 37) % 11);
      csv << i * 0.01 << "," << w << "," << -w << "," << 9.81 + w << ","
          << (i >= 500 && i < 520 ? "nan" : "0.001") << "," << 0.002 * w << "," << -0.001 * w << ","
          << 20 + w << "," << w << "," << -45 - w << "\n";
    }
  }
  result = imuwb("import " + q(dir / "nan.csv") + " --out " + q(dir / "nan.h5"));
  EXPECT_EQ(result.exitCode, 1) << result.errors;
  result = imuwb("info " + q(dir / "nan.h5") + " --json");
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(nlohmann::json::parse(result.output).at("findings")[0].at("code"), "non_finite");
  // Ambiguous units: refused with the fix.
  {
    std::ofstream csv(dir / "odd.csv");
    csv << "ax,ay,az,gx,gy,gz,mx,my,mz\n";
    for (int i = 0; i < 500; ++i) csv << "0,0,4.9,0,0,0,20,0,-45\n";
  }
  result = imuwb("import " + q(dir / "odd.csv") + " --rate 100 --out " + q(dir / "odd.h5"));
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.errors.find("--units acc="), std::string::npos) << result.errors;
  EXPECT_FALSE(std::filesystem::exists(dir / "odd.h5"));
  result = imuwb("import " + q(dir / "odd.csv") + " --rate 100 --units acc=m/s2 --out " +
                 q(dir / "odd.h5"));
  EXPECT_NE(result.exitCode, 2) << result.errors;
}

}  // namespace
}  // namespace imuwb
