// `imuwb import` on recordings as loggers write them: what it reports, and that validation
// names file lines, --labels still replaces inline labels, and --map/--ignore/--date reach the
// importer.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class ImportCli : public ::testing::Test {
 protected:
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }

  // A 9-channel clock-time log at 4 rows per second with a label column, after a comment, with a
  // NaN in the row on file line 10.
  void writeClockLog(const std::string& name) {
    std::ofstream out(dir / name);
    out << "# logger export\nclock;ax;ay;az;gx;gy;gz;mx;my;mz;behaviour\n";
    for (int r = 0; r < 400; ++r) {
      char clock[16];
      std::snprintf(clock, sizeof clock, "08:%02d:%02d", r / 4 / 60, r / 4 % 60);
      out << clock << ";" << (r == 7 ? "NaN" : "0,1") << ";0," << 2 + r % 3 << ";9,7;0,0" << r % 5
          << ";0,01;0,02;20;5;-40;" << (r < 200 ? "rest" : "walk") << "\n";
    }
  }
  test::TempDir dir;
};

TEST_F(ImportCli, ClockLogWithInlineLabelsReportsWhatItDetected) {
  writeClockLog("log.csv");
  const auto run = imuwb("--json import " + path("log.csv") + " --out " + path("s.h5") +
                         " --date 2023-07-01 --map time=clock --units gyro=rad/s");
  ASSERT_NE(run.output.find('{'), std::string::npos) << run.errors;
  const auto json = nlohmann::json::parse(run.output.substr(run.output.find('{')));
  EXPECT_DOUBLE_EQ(json["sample_rate_hz"].get<double>(), 4.0);
  std::set<std::string> codes;
  std::string nonFinite;
  for (const auto& finding : json["report"]) codes.insert(finding["code"].get<std::string>());
  for (const auto& finding : json["findings"])
    if (finding["code"] == "non_finite") nonFinite = finding["message"].get<std::string>();
  for (const char* code : {"text_format", "column_mapping", "time_coarse_clock", "labels_inline"})
    EXPECT_TRUE(codes.count(code)) << code << " in " << run.output;
  // Row 7 sits on file line 10 (a comment and the header come first).
  EXPECT_NE(nonFinite.find("(file line 10)"), std::string::npos) << nonFinite;
  EXPECT_EQ(run.exitCode, 1) << run.errors;  // the NaN row is a validation error
}

TEST_F(ImportCli, LabelsFileReplacesTheInlineColumnAndIgnoreDropsIt) {
  writeClockLog("log.csv");
  std::ofstream(dir / "labels.csv") << "start,end,label\n0,50,sniff\n";
  const auto withFile =
      imuwb("import " + path("log.csv") + " --out " + path("a.h5") + " --labels " +
            path("labels.csv") + " --units gyro=rad/s --map time=clock");
  EXPECT_NE(withFile.errors.find("they replace the 2 intervals of the inline label column"),
            std::string::npos)
      << withFile.errors;
  const auto ignored = imuwb("import " + path("log.csv") + " --out " + path("b.h5") +
                             " --ignore behaviour --units gyro=rad/s --map time=clock");
  EXPECT_NE(ignored.errors.find("column 'behaviour' ignored: --ignore behaviour"),
            std::string::npos)
      << ignored.errors;
  EXPECT_EQ(ignored.errors.find("labels_inline"), std::string::npos);
}

TEST_F(ImportCli, SixAxisDroneLogImportsAsASixAxisDevice) {
  const auto euroc = test::sourceDir() / "tests/fixtures/recordings/euroc_imu0_excerpt.csv";
  const auto run = imuwb("import " + test::shellQuote(euroc.string()) + " --out " + path("e.h5"));
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  EXPECT_NE(run.errors.find("no magnetometer columns: a 6-axis device"), std::string::npos)
      << run.errors;
  const auto info = imuwb("info --json " + path("e.h5"));
  ASSERT_EQ(info.exitCode, 0) << info.errors;
  const auto json = nlohmann::json::parse(info.output);
  EXPECT_EQ(json.at("device_channels").at("imu"), 6);
  EXPECT_EQ(json.at("sample_rate_hz"), 200.0);
}

TEST_F(ImportCli, PartialMagnetometerIsRefusedWithTheFix) {
  std::ofstream(dir / "partial.csv") << "time,ax,ay,az,gx,gy,gz,mx,my\n"
                                        "0,0,0,9.8,0,0,0,20,1\n0.01,0,0,9.8,0,0,0,20,1\n";
  const auto run = imuwb("import " + path("partial.csv") + " --out " + path("p.h5"));
  EXPECT_EQ(run.exitCode, 2) << run.output << run.errors;
  EXPECT_NE(run.errors.find("missing: mz (a partial magnetometer)"), std::string::npos)
      << run.errors;
  EXPECT_NE(run.errors.find("--ignore"), std::string::npos) << run.errors;
  EXPECT_FALSE(std::filesystem::exists(dir / "p.h5"));
}

}  // namespace
}  // namespace imuwb
