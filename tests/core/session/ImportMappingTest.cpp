// Column mapping: --map and --ignore, unmapped columns listed rather than fatal, units in any
// spelling (header and --units alike), unit detection independent of --rate, linear-only
// acceleration and implausible magnetic fields warned.
#include <gtest/gtest.h>

#include "ImportTestData.hpp"
#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

using namespace test_import;

LoggerFormat anonymousColumns() {
  LoggerFormat format;
  format.header = {"stamp", "c1", "c2", "c3", "c4",          "c5",
                   "c6",    "c7", "c8", "c9", "temperature", "classification"};
  format.rows = 800;
  format.time = [](std::size_t r) { return number(static_cast<double>(r) * 0.01, false); };
  format.extra = [](std::size_t r) { return number(20 + 0.001 * static_cast<double>(r), false); };
  format.label = [](std::size_t r) { return std::string(r < 400 ? "sit" : "stand"); };
  return format;
}

TEST(ImportMapping, MapAndIgnoreChooseColumnsAndSayWhy) {
  test::TempDir dir;
  writeRecording(dir / "anon.csv", anonymousColumns());
  try {
    importCsv(dir / "anon.csv");
    FAIL() << "no column has a sensor name";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("no sensor columns"), std::string::npos);
    EXPECT_NE(error.fix().find("--map ax=COLUMN"), std::string::npos);
  }
  ImportOptions options;
  options.columns = ColumnChoices::parse(
      "ax=c1,ay=c2,az=c3,gx=c4,gy=c5,gz=c6,mx=c7,my=c8,mz=c9,time=stamp", {"temperature"});
  const auto result = importCsv(dir / "anon.csv", options);
  const Finding* mapping = findCode(result.report, "column_mapping");
  EXPECT_TRUE(mentions(mapping, "'c1' -> ax (--map ax=c1)"));
  EXPECT_TRUE(mentions(mapping, "'stamp' -> time (--map time=stamp)"));
  EXPECT_TRUE(mentions(mapping, "'temperature' -> ignored (--ignore temperature)"));
  EXPECT_TRUE(mentions(mapping, "'classification' -> label"));
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100);
  EXPECT_EQ(result.session.classes, (std::vector<std::string>{"sit", "stand"}));
  for (std::size_t r = 0; r < 800; r += 97)
    for (int c = 0; c < 9; ++c)
      EXPECT_NEAR(result.session.devices[0].at(r, c), reference().devices[0].at(r, c),
                  2e-5 * std::max(1.0f, std::abs(reference().devices[0].at(r, c))));
}

TEST(ImportMapping, BadMapAndIgnoreNameTheColumnsThereAre) {
  test::TempDir dir;
  writeRecording(dir / "anon.csv", anonymousColumns());
  auto problemOf = [&](const std::string& map, std::vector<std::string> ignore) {
    ImportOptions options;
    try {
      options.columns = ColumnChoices::parse(map, ignore);
      importCsv(dir / "anon.csv", options);
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::string missing = problemOf("ax=nope", {});
  EXPECT_NE(missing.find("no column 'nope'"), std::string::npos) << missing;
  EXPECT_NE(missing.find("the columns are: stamp, c1"), std::string::npos) << missing;
  EXPECT_NE(problemOf("speed=c1", {}).find("unknown role 'speed'"), std::string::npos);
  EXPECT_NE(problemOf("ax", {}).find("not ROLE=COLUMN"), std::string::npos);
  EXPECT_NE(problemOf("", {"pressure"}).find("no column 'pressure'"), std::string::npos);
}

TEST(ImportMapping, UnknownColumnsAreListedAsIgnoredNotFatal) {
  test::TempDir dir;
  LoggerFormat format;
  format.header = {"time", "ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz", "battery %"};
  format.rows = 600;
  format.time = [](std::size_t r) { return number(static_cast<double>(r) * 0.01, false); };
  format.extra = [](std::size_t) { return std::string("87"); };
  writeRecording(dir / "extra.csv", format);
  const auto result = importCsv(dir / "extra.csv");
  const Finding* ignored = findCode(result.report, "column_ignored");
  ASSERT_NE(ignored, nullptr);
  EXPECT_EQ(ignored->subject, "battery %");
  EXPECT_TRUE(mentions(ignored, "not a time, date, label or sensor name"));
}

// Column names of common phone apps: phyphox, SensorLog (iOS), Physics Toolbox, Sensor Logger.
TEST(ImportMapping, CommonLoggerNames) {
  auto roles = [](const std::vector<std::string>& headers) {
    const auto layout = mapCsvHeader(headers, "t.csv");
    std::vector<std::string> out;
    for (const auto& column : layout.columns)
      out.push_back(column.role == ColumnRole::Time ? "time"
                    : column.role == ColumnRole::Sensor
                        ? std::string(kChannelNames[static_cast<std::size_t>(column.channel)]) +
                              ":" + column.unitHint
                        : "-");
    return out;
  };
  EXPECT_EQ(roles({"Time (s)", "Acceleration x (m/s^2)", "Gyroscope y (rad/s)",
                   "Magnetic field z (\xc2\xb5T)", "Linear Acceleration x (m/s^2)"}),
            (std::vector<std::string>{"time", "ax:m/s^2", "gy:rad/s", "mz:uT", "-"}));
  EXPECT_EQ(roles({"loggingTime(txt)", "accelerometerAccelerationX(G)", "gyroRotationY(rad/s)",
                   "magnetometerZ(\xc2\xb5T)", "motionUserAccelerationX(G)", "motionGravityX(G)"}),
            (std::vector<std::string>{"time", "ax:g", "gy:rad/s", "mz:uT", "-", "-"}));
  EXPECT_EQ(roles({"seconds_elapsed", "gFz", "wz", "Bx"}),
            (std::vector<std::string>{"time", "az:g", "gz:", "mx:"}));
}

TEST(ImportMapping, EverySpellingTheHeaderReadsIsAcceptedByUnits) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> spellings = {
      {"acc",
       {"m s^-2", "m/s\xc2\xb2", "m/s^2", "m\xc2\xb7s\xe2\x81\xbb\xc2\xb2", "ms-2", "g", "mg"}},
      {"gyro", {"rad s^-1", "rad/s", "dps", "\xc2\xb0/s", "deg s^-1", "deg/s", "rad.s-1"}},
      {"mag", {"uT", "\xc2\xb5T", "\xce\xbcT", "mG", "nT", "gauss"}}};
  const std::map<std::string, std::string> axis = {{"acc", "ax"}, {"gyro", "gx"}, {"mag", "mx"}};
  for (const auto& [group, units] : spellings)
    for (const auto& unit : units)
      for (const std::string& bracket : {"[" + unit + "]", "(" + unit + ")"}) {
        SCOPED_TRACE(group + " " + bracket);
        const auto layout = mapCsvHeader({axis.at(group) + " " + bracket}, "t.csv");
        ASSERT_EQ(layout.columns[0].role, ColumnRole::Sensor);
        const auto flag = UnitOverrides::parse(group + "=" + unit);
        const auto& given = group == "acc" ? flag.acc : group == "gyro" ? flag.gyro : flag.mag;
        ASSERT_TRUE(given.has_value());
        EXPECT_EQ(layout.columns[0].unitHint, *given);
      }
}

TEST(ImportMapping, UnitDetectionDoesNotDependOnRate) {
  test::TempDir dir;
  LoggerFormat format;  // no time column: the rate comes only from --rate
  format.header = {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"};
  format.scale = {1, kDeg, 1};
  writeRecording(dir / "norate.csv", format);
  std::vector<std::string> decisions;
  for (double rate : {12.5, 25.0, 100.0, 400.0, 1000.0}) {
    ImportOptions options;
    options.sampleRateHz = rate;
    const auto result = importCsv(dir / "norate.csv", options);
    std::string units;
    for (const char* code : {"unit_acc", "unit_gyro", "unit_mag"})
      units += findCode(result.report, code)->message.substr(0, 20) + "|";
    decisions.push_back(units);
    EXPECT_NEAR(result.session.devices[0].at(100, 3), reference().devices[0].at(100, 3), 1e-4);
  }
  for (const auto& decision : decisions) EXPECT_EQ(decision, decisions.front());
  EXPECT_NE(decisions.front().find("gyro: deg/s"), std::string::npos) << decisions.front();
}

TEST(ImportMapping, ImplausibleFieldAndLinearOnlyAccelerationAreWarnings) {
  test::TempDir dir;
  LoggerFormat format;
  format.header = {"time", "linacc_x", "linacc_y", "linacc_z", "gx",
                   "gy",   "gz",       "mx [uT]",  "my [uT]",  "mz [uT]"};
  format.scale = {1, 1, 10};  // a field ten times Earth's, declared in uT
  format.rows = 1000;
  format.time = [](std::size_t r) { return number(static_cast<double>(r) * 0.01, false); };
  writeRecording(dir / "odd.csv", format);
  ImportOptions options;
  options.units = UnitOverrides::parse("acc=m/s^2");
  const auto result = importCsv(dir / "odd.csv", options);
  const Finding* field = findCode(result.report, "mag_field_implausible");
  ASSERT_NE(field, nullptr);
  EXPECT_EQ(field->severity, Severity::Warning);
  const Finding* linear = findCode(result.report, "acc_linear_only");
  ASSERT_NE(linear, nullptr);
  EXPECT_EQ(linear->severity, Severity::Warning);
  format.scale = {1, 1, 1};
  format.header = {"time", "ax", "ay", "az", "gx", "gy", "gz", "mx [uT]", "my [uT]", "mz [uT]"};
  writeRecording(dir / "fine.csv", format);
  const auto fine = importCsv(dir / "fine.csv");
  EXPECT_EQ(findCode(fine.report, "mag_field_implausible"), nullptr);
  EXPECT_EQ(findCode(fine.report, "acc_linear_only"), nullptr);
}

}  // namespace
}  // namespace imuwb
