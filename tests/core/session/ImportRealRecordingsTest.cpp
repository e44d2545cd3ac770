// Excerpts of real public recordings (tests/fixtures/README.md names their sources and
// licences), imported as a user would, with the parsed numbers checked against pandas.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "session/import/CsvTable.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::filesystem::path recording(const std::string& name) {
  return test::sourceDir() / "tests/fixtures/recordings" / name;
}

// pandas' reading of a CSV: {"columns": [...], "values": [[...], ...]}; the first column is
// kept as an integer (nanoseconds, or a packet counter) so no precision is lost. pandasArgs
// tells pandas what this importer finds by itself (delimiter, comment lines).
nlohmann::json pandasRead(const std::filesystem::path& path, const std::string& pandasArgs = "") {
  const std::string script =
      "import json,sys,pandas as pd; d=pd.read_csv(sys.argv[1]" + pandasArgs +
      "); "
      "print(json.dumps({'columns': list(d.columns), 'time': [int(v) for v in d.iloc[:,0]], "
      "'values': [[None if v != v else v for v in row] for row in d.iloc[:,1:].values.tolist()]}))";
  const auto run =
      test::runCommand(test::shellQuote(test::pythonPath()) + " -c " + test::shellQuote(script) +
                       " " + test::shellQuote(path.string()));
  EXPECT_EQ(run.exitCode, 0) << run.errors;
  return nlohmann::json::parse(run.output);
}

// EuRoC MAV (ETH Zurich ASL), machine hall, imu0: a '#' commented header with units in
// brackets, nanosecond epoch timestamps, 200 Hz, gyro before accelerometer, no magnetometer.
TEST(RealRecordings, EurocDroneImuIsMappedTimedAndReadLikePandas) {
  ASSERT_TRUE(test::havePythonPeers()) << "python3 with pandas is required (bootstrap)";
  const auto path = recording("euroc_imu0_excerpt.csv");
  const CsvTable table = readCsvTable(path, {}, {});
  EXPECT_TRUE(table.commentedHeader);
  EXPECT_EQ(table.headerLine, 1u);
  EXPECT_EQ(table.dialect.delimiter, ',');
  EXPECT_EQ(table.layout.timeColumn, 0);
  EXPECT_DOUBLE_EQ(table.layout.timeScaleHint, 1e-9);
  const std::vector<int> channels = {-1, 3, 4, 5, 0, 1, 2};
  const std::vector<std::string> units = {"", "rad/s", "rad/s", "rad/s", "m/s^2", "m/s^2", "m/s^2"};
  for (std::size_t i = 0; i < channels.size(); ++i) {
    EXPECT_EQ(table.layout.columns[i].channel, channels[i]) << table.headers[i];
    EXPECT_EQ(table.layout.columns[i].unitHint, units[i]) << table.headers[i];
  }
  ASSERT_EQ(table.rows, 300u);
  EXPECT_EQ(table.lines.lineOf(0), 2u);

  const auto pandas = pandasRead(path);
  ASSERT_EQ(pandas["values"].size(), table.rows);
  // 300 rows: the unit sample holds every row of so short a file.
  ASSERT_TRUE(table.sample.everyRow());
  const auto& samples = table.sample.rows(0);
  std::vector<double> offsets;
  TimeSpool::Reader offsetReader(table.time.offsets);
  for (double value = 0; offsetReader.next(value);) offsets.push_back(value);
  ASSERT_EQ(offsets.size(), table.rows);
  for (std::size_t r = 0; r < table.rows; ++r) {
    for (std::size_t i = 1; i < channels.size(); ++i) {
      const double want = pandas["values"][r][i - 1].get<double>();
      ASSERT_NEAR(samples[r * 9 + static_cast<std::size_t>(channels[i])], want,
                  1e-6 * std::max(1.0, std::abs(want)))
          << "row " << r << " " << table.headers[i];
    }
    for (int c = 6; c < 9; ++c) ASSERT_TRUE(std::isnan(samples[r * 9 + c]));
    ASSERT_DOUBLE_EQ(offsets[r], static_cast<double>(pandas["time"][r].get<std::int64_t>() -
                                                     pandas["time"][0].get<std::int64_t>()));
  }

  const TimeAxis axis = buildTimeAxis(table.time, table.lines, path.string(), table.headers[0], {});
  EXPECT_DOUBLE_EQ(axis.rateHz, 200);
  EXPECT_FALSE(axis.irregular);
  EXPECT_EQ(axis.startTime, "2014-06-25T16:58:43.912Z");  // pandas: 2014-06-25 16:58:43.912140
  EXPECT_NEAR(axis.seconds().back(), 299 * 0.005, 1e-9);

  // No magnetometer: a 6-axis device holding exactly pandas' numbers, converted to nothing (the
  // header's units are the contract's), said so in the report.
  const ImportResult imported = importCsv(path);
  ASSERT_EQ(imported.session.devices.size(), 1u);
  const Device& device = imported.session.devices[0];
  EXPECT_EQ(device.channels, 6);
  ASSERT_EQ(device.sampleCount(), table.rows);
  for (std::size_t r = 0; r < table.rows; ++r)
    for (std::size_t i = 1; i < channels.size(); ++i) {
      const double want = pandas["values"][r][i - 1].get<double>();
      ASSERT_NEAR(device.at(r, channels[i]), want, 1e-6 * std::max(1.0, std::abs(want)))
          << "row " << r << " " << table.headers[i];
    }
  EXPECT_DOUBLE_EQ(imported.session.sampleRateHz, 200);
  const bool noted = std::any_of(imported.report.begin(), imported.report.end(),
                                 [](const Finding& f) { return f.code == "no_magnetometer"; });
  EXPECT_TRUE(noted);
}

// Xsens MT Manager export of an MTw (OpenSim's test data): '//' comment lines, a tab-separated
// header with packet counter, empty time and UTC columns, acc (m/s^2), gyro (rad/s), and the
// magnetometer in Xsens' arbitrary units (normalised to Earth's field, |m| ~ 1), 100 Hz.
TEST(RealRecordings, XsensTabExportIsMappedAndItsMagnetometerUnitIsNotGuessed) {
  ASSERT_TRUE(test::havePythonPeers()) << "python3 with pandas is required (bootstrap)";
  const auto path = recording("xsens_mtw_excerpt.txt");
  const CsvTable table = readCsvTable(path, {}, {});
  EXPECT_EQ(table.dialect.delimiter, '\t');
  EXPECT_EQ(table.headerLine, 6u);
  EXPECT_FALSE(table.commentedHeader);
  EXPECT_EQ(table.lines.lineOf(0), 7u);
  EXPECT_FALSE(table.hasTime);  // SampleTimeFine and the UTC columns are empty
  ASSERT_EQ(table.rows, 300u);
  const auto pandas = pandasRead(path, ", sep='\\t', skiprows=5");
  const auto& columns = pandas["columns"];
  for (std::size_t i = 0; i < table.headers.size(); ++i) {
    const auto& column = table.layout.columns[i];
    const std::string name = table.headers[i];
    const bool sensor =
        name.rfind("Acc_", 0) == 0 || name.rfind("Gyr_", 0) == 0 || name.rfind("Mag_", 0) == 0;
    EXPECT_EQ(column.role == ColumnRole::Sensor, sensor) << name;
    if (!sensor) continue;
    const int channel = (name[0] == 'A' ? 0 : name[0] == 'G' ? 3 : 6) + (name.back() - 'X');
    EXPECT_EQ(column.channel, channel) << name;
    ASSERT_EQ(columns[i].get<std::string>(), name);
    for (std::size_t r = 0; r < table.rows; ++r) {
      const double want = pandas["values"][r][i - 1].get<double>();
      ASSERT_NEAR(table.sample.rows(0)[r * 9 + static_cast<std::size_t>(channel)], want, 1e-6)
          << "row " << r << " " << name;
    }
  }
  ImportOptions options;
  try {
    importCsv(path, options);
    FAIL() << "no time column and no --rate";
  } catch (const Error& error) {
    EXPECT_NE(error.fix().find("pass --rate"), std::string::npos) << error.what();
  }
  options.sampleRateHz = 100;  // the export's "// Update Rate: 100.0Hz"
  try {
    importCsv(path, options);
    FAIL() << "Xsens' normalised magnetometer units must not be guessed";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("cannot tell the mag unit"), std::string::npos) << error.what();
    EXPECT_NE(error.fix().find("--units mag="), std::string::npos);
  }
  options.units = UnitOverrides::parse("mag=G");  // the user's explicit (if rough) choice
  const auto result = importCsv(path, options);
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100);
  EXPECT_EQ(result.session.sampleCount(), 300u);
  for (const char* code : {"unit_acc", "unit_gyro"}) {
    const Finding* finding = nullptr;
    for (const auto& f : result.report)
      if (f.code == code) finding = &f;
    ASSERT_NE(finding, nullptr) << code;
    EXPECT_NE(finding->message.find("(no conversion)"), std::string::npos) << finding->message;
  }
  EXPECT_NEAR(result.session.devices[0].at(0, 6), -0.045410 * 100, 1e-4);
}

}  // namespace
}  // namespace imuwb
