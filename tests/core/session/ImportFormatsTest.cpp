// Text formats as loggers write them: delimiters, decimal commas, BOMs, comment lines and
// commented headers, and every time format (clock times with a date, ISO 8601, epoch numbers,
// relative seconds, coarse clocks, event-driven rows), each checked for what the importer
// detected and reported.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "ImportTestData.hpp"
#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

using namespace test_import;

std::vector<std::string> nineColumns(const std::string& acc, const std::string& gyro,
                                     const std::string& mag, const std::string& suffix = "") {
  std::vector<std::string> out;
  for (const auto& stem : {acc, gyro, mag})
    for (const char* axis : {"x", "y", "z"}) out.push_back(stem + axis + suffix);
  return out;
}

void expectValues(const Session& session, const LoggerFormat& format, double tolerance = 2e-5) {
  const Device& got = session.devices.at(0);
  ASSERT_EQ(got.sampleCount(), format.rows);
  for (std::size_t r = 0; r < format.rows; r += 13)
    for (int c = 0; c < 9; ++c)
      ASSERT_NEAR(got.at(r, c), reference().devices[0].at(r, c),
                  tolerance * std::max(1.0f, std::abs(reference().devices[0].at(r, c))))
          << "row " << r << " channel " << c;
}

TEST(ImportFormats, CollarExportWithClockTimesDateColumnAndInlineBehaviour) {
  test::TempDir dir;
  LoggerFormat format;
  format.header = {"Date", "Time"};
  for (const auto& name : {"Acc_X [g]", "Acc_Y [g]", "Acc_Z [g]", "Gyr_X [dps]", "Gyr_Y [dps]",
                           "Gyr_Z [dps]", "Mag_X [uT]", "Mag_Y [uT]", "Mag_Z [uT]", "Behaviour"})
    format.header.push_back(name);
  format.scale = {1 / kG, kDeg, 1};
  format.rows = 28 * 60;
  // 28 rows per second on a 1-second clock, starting 10 rows into 12:00:00.
  format.time = [](std::size_t r) { return "2021-03-04," + clock(43200 + (r + 10) / 28); };
  format.label = [](std::size_t r) -> std::string {
    return r < 500 ? "rest" : r < 1100 ? "walk" : (r >= 1300 && r < 1400) ? "" : "trot";
  };
  writeRecording(dir / "collar.csv", format);
  const auto result = importCsv(dir / "collar.csv");
  const Session& session = result.session;
  EXPECT_DOUBLE_EQ(session.sampleRateHz, 28);
  EXPECT_EQ(session.startTime, "2021-03-04T12:00:00.357Z");
  ASSERT_EQ(session.time_s.size(), format.rows);
  for (std::size_t r : {0u, 1u, 17u, 18u, 500u, 1679u})
    EXPECT_NEAR(session.time_s[r], static_cast<double>(r) / 28, 1e-9) << "row " << r;
  EXPECT_TRUE(mentions(findCode(result.report, "time_coarse_clock"), "28-28 rows per full tick"));
  EXPECT_TRUE(mentions(findCode(result.report, "time_inferred"), "date from column 'Date'"));
  const Finding* mapping = findCode(result.report, "column_mapping");
  EXPECT_TRUE(mentions(mapping, "'Acc_X [g]' -> ax (ax by name, unit g from the header)"));
  EXPECT_TRUE(mentions(mapping, "'Behaviour' -> label"));
  EXPECT_TRUE(mentions(mapping, "'Date' -> date"));
  EXPECT_EQ(session.classes, (std::vector<std::string>{"rest", "walk", "trot"}));
  ASSERT_EQ(session.labels.size(), 4u);
  const double at1100 = 1100.0 / 28, at1300 = 1300.0 / 28, at1400 = 1400.0 / 28;
  EXPECT_EQ(session.labels[1].label, "walk");
  EXPECT_NEAR(session.labels[1].start_s, 500.0 / 28, 1e-9);
  EXPECT_NEAR(session.labels[1].end_s, at1100, 1e-9);
  EXPECT_NEAR(session.labels[2].end_s, at1300, 1e-9);  // the empty cells are unlabelled
  EXPECT_NEAR(session.labels[3].start_s, at1400, 1e-9);
  EXPECT_NEAR(session.labels[3].end_s, 1680.0 / 28, 1e-9);
  EXPECT_TRUE(mentions(findCode(result.report, "labels_inline"), "4 label intervals"));
  expectValues(session, format);
}

TEST(ImportFormats, ClockTimesWithoutADateNeedDateForTheStartTime) {
  test::TempDir dir;
  LoggerFormat format;
  format.header = nineColumns("acc_", "gyro_", "mag_");
  format.header.insert(format.header.begin(), "time");
  format.rows = 400;
  format.time = [](std::size_t r) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%s.%02zu", clock(86398 + r / 100).c_str(), r % 100);
    return std::string(buffer);
  };
  writeRecording(dir / "clock.csv", format);
  const auto without = importCsv(dir / "clock.csv");
  EXPECT_EQ(without.session.startTime, "");
  EXPECT_NE(findCode(without.report, "time_no_date"), nullptr);
  EXPECT_DOUBLE_EQ(without.session.sampleRateHz, 100);
  // 23:59:58 + 4 s crosses midnight and keeps counting.
  EXPECT_NEAR(without.session.time_s.back(), 3.99, 1e-6);
  EXPECT_NE(findCode(without.report, "time_midnight"), nullptr);
  ImportOptions options;
  options.date = "2022-12-31";
  const auto with = importCsv(dir / "clock.csv", options);
  EXPECT_EQ(with.session.startTime, "2022-12-31T23:59:58.000Z");
  EXPECT_TRUE(mentions(findCode(with.report, "time_inferred"), "date from --date"));
  options.date = "31st of May";
  EXPECT_THROW(importCsv(dir / "clock.csv", options), Error);
}

TEST(ImportFormats, PhoneAppEventDrivenRowsTakeGForceOverLinearAcceleration) {
  test::TempDir dir;
  LoggerFormat format;  // Physics Toolbox Sensor Suite's column names
  format.header = {"time", "gFx", "gFy", "gFz", "ax", "ay", "az",
                   "wx",   "wy",  "wz",  "Bx",  "By", "Bz", "TgF"};
  format.channels = {0, 1, 2, 10, 11, 12, 3, 4, 5, 6, 7, 8};
  format.scale = {1 / kG, 1, 1};
  format.rows = 2000;
  std::vector<double> times(format.rows);
  double t = 0.078756;
  for (std::size_t r = 0; r < format.rows; ++r) {
    times[r] = std::round(t * 1e6) / 1e6;  // as written, to the microsecond
    const double u = std::abs(std::sin(static_cast<double>(r) * 12.9898) * 43758.5453);
    t += 0.002 + 0.012 * (u - std::floor(u));  // event-driven: 2-14 ms apart, no grid
  }
  format.time = [&](std::size_t r) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6f", times[r]);
    return std::string(buffer);
  };
  format.extra = [](std::size_t) { return std::string("1.0"); };
  writeRecording(dir / "ptb.csv", format);
  const auto result = importCsv(dir / "ptb.csv");
  const Finding* mapping = findCode(result.report, "column_mapping");
  EXPECT_TRUE(mentions(mapping, "'gFx' -> ax (gravity-including ax by name, unit g"));
  EXPECT_TRUE(mentions(mapping, "'wx' -> gx"));
  EXPECT_TRUE(mentions(mapping, "'Bz' -> mz"));
  bool linearIgnored = false, totalIgnored = false;
  for (const auto& finding : result.report) {
    linearIgnored |= finding.code == "column_ignored" && finding.subject == "ax" &&
                     mentions(&finding, "gravity removed");
    totalIgnored |= finding.code == "column_ignored" && finding.subject == "TgF";
  }
  EXPECT_TRUE(linearIgnored);
  EXPECT_TRUE(totalIgnored);
  const Finding* irregular = findCode(result.report, "time_irregular");
  ASSERT_NE(irregular, nullptr);
  EXPECT_EQ(irregular->severity, Severity::Warning);
  const double duration = times.back() - times.front();
  EXPECT_NEAR(result.session.sampleRateHz, (format.rows - 1) / duration, 1e-9);
  for (std::size_t r : {1u, 100u, 1999u})  // timestamps kept as recorded
    EXPECT_NEAR(result.session.time_s[r], times[r] - times[0], 1e-9);
  expectValues(result.session, format);
}

TEST(ImportFormats, WhitespaceLogWithPercentCommentsAndCommentedHeader) {
  test::TempDir dir;
  LoggerFormat format;
  format.preamble = {"% recorded by imu-logger 2.1", "% rate: 100 Hz",
                     "% time ax ay az gx gy gz mx my mz"};
  format.delimiter = "  ";
  format.rows = 1500;
  format.time = [](std::size_t r) { return number(static_cast<double>(r) * 0.01, false); };
  writeRecording(dir / "log.txt", format);
  const auto result = importCsv(dir / "log.txt");
  const Finding* format_ = findCode(result.report, "text_format");
  EXPECT_TRUE(mentions(format_, "whitespace-delimited"));
  EXPECT_TRUE(mentions(format_, "header at line 3 (a commented header), data from line 4"));
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100);
  EXPECT_EQ(result.session.startTime, "");
  EXPECT_TRUE(mentions(findCode(result.report, "time_inferred"), "timestamps in s"));
  expectValues(result.session, format);
}

TEST(ImportFormats, SemicolonsWithDecimalCommaBomAndHashComments) {
  test::TempDir dir;
  LoggerFormat format;
  format.bom = true;
  format.preamble = {"# exported by a spreadsheet", ""};
  format.header = nineColumns("acc_", "gyro_", "mag_");
  format.header.insert(format.header.begin(), "time_ms");
  format.delimiter = ";";
  format.decimalComma = true;
  format.time = [](std::size_t r) { return std::to_string(r * 10); };
  writeRecording(dir / "excel.csv", format);
  const auto result = importCsv(dir / "excel.csv");
  const Finding* text = findCode(result.report, "text_format");
  EXPECT_TRUE(mentions(text, "semicolon, decimal comma-delimited"));
  EXPECT_TRUE(mentions(text, "header at line 3"));
  EXPECT_TRUE(mentions(text, "byte-order mark skipped"));
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100);
  expectValues(result.session, format);
}

TEST(ImportFormats, TabsWithIsoTimesAcrossMidnight) {
  test::TempDir dir;
  LoggerFormat format;
  format.header = nineColumns("a", "g", "m");
  format.header.insert(format.header.begin(), "timestamp");
  format.delimiter = "\t";
  format.rows = 600;
  format.time = [](std::size_t r) {
    const std::size_t ms = 86399000 + r * 20;  // 50 Hz from 23:59:59 on 2024-05-01
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "2024-05-%02zuT%s.%03zuZ", 1 + ms / 86400000,
                  clock(ms / 1000).c_str(), ms % 1000);
    return std::string(buffer);
  };
  writeRecording(dir / "iso.tsv", format);
  const auto result = importCsv(dir / "iso.tsv");
  EXPECT_TRUE(mentions(findCode(result.report, "text_format"), "tab-delimited"));
  EXPECT_TRUE(mentions(findCode(result.report, "time_inferred"), "ISO 8601"));
  EXPECT_EQ(result.session.startTime, "2024-05-01T23:59:59.000Z");
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 50);
  EXPECT_NEAR(result.session.time_s[599], 599 * 0.02, 1e-9);
  expectValues(result.session, format);
}

TEST(ImportFormats, EpochNumbersInMillisecondsAndMicroseconds) {
  test::TempDir dir;
  for (const auto& [scale, unit] :
       {std::pair<long long, const char*>{1000, "ms"}, {1000000, "us"}}) {
    LoggerFormat format;
    format.header = nineColumns("a", "g", "m");
    format.header.insert(format.header.begin(), "timestamp");
    format.rows = 500;
    format.time = [scale = scale](std::size_t r) {
      return std::to_string(1714564800LL * scale + static_cast<long long>(r) * scale / 100);
    };
    writeRecording(dir / "epoch.csv", format);
    const auto result = importCsv(dir / "epoch.csv");
    EXPECT_EQ(result.session.startTime, "2024-05-01T12:00:00.000Z") << unit;
    EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100) << unit;
    EXPECT_TRUE(mentions(findCode(result.report, "time_inferred"),
                         std::string("timestamps in ") + unit + " since the epoch"))
        << unit;
  }
}

TEST(ImportFormats, DescendingAndDuplicateTimestampsAreNamedByFileLine) {
  test::TempDir dir;
  LoggerFormat format;
  format.preamble = {"# two comment lines", "# before the header"};
  format.header = nineColumns("a", "g", "m");
  format.header.insert(format.header.begin(), "time");
  format.rows = 300;
  // Row r is on file line r + 4. Row 50 goes back; row 70 repeats row 69.
  format.time = [](std::size_t r) {
    const double t = r == 50 ? 0.3 : r == 70 ? 0.69 : static_cast<double>(r) * 0.01;
    return number(t, false);
  };
  writeRecording(dir / "back.csv", format);
  try {
    importCsv(dir / "back.csv");
    FAIL() << "descending time must be refused";
  } catch (const Error& error) {
    EXPECT_NE(error.where().find("back.csv:54"), std::string::npos) << error.what();
    EXPECT_NE(error.problem().find("goes back"), std::string::npos) << error.what();
    EXPECT_NE(error.problem().find("from line 53"), std::string::npos) << error.what();
    EXPECT_NE(error.fix().find("sort the rows"), std::string::npos);
  }
  format.time = [](std::size_t r) {
    return number(r == 70 ? 0.69 : static_cast<double>(r) * 0.01, false);
  };
  writeRecording(dir / "dup.csv", format);
  const auto result = importCsv(dir / "dup.csv");
  const Finding* duplicate = findCode(result.report, "time_duplicate");
  ASSERT_NE(duplicate, nullptr);
  EXPECT_TRUE(mentions(duplicate, "the first at line 74 repeats line 73")) << duplicate->message;
  EXPECT_EQ(result.rowLines.lineOf(0), 4u);
  EXPECT_EQ(result.rowLines.lineOf(70), 74u);
}

TEST(ImportFormats, UnitsChangingMidFileAreNamedByFileLine) {
  test::TempDir dir;
  LoggerFormat format;
  format.preamble = {"# the logger was reconfigured after 30 s"};
  format.header = nineColumns("a", "g", "m");
  format.header.insert(format.header.begin(), "time");
  format.rows = 6000;
  format.time = [](std::size_t r) { return number(static_cast<double>(r) * 0.01, false); };
  writeRecording(dir / "mixed.csv", format);
  // Rewrite the accelerometer of rows 3000 on in g: row r is on file line r + 3.
  std::ifstream in(dir / "mixed.csv");
  std::ofstream out(dir / "mixed2.csv");
  std::string line;
  for (std::size_t lineNumber = 1; std::getline(in, line); ++lineNumber) {
    if (lineNumber >= 3003) {
      const std::size_t r = lineNumber - 3;
      line = number(static_cast<double>(r) * 0.01, false);
      for (int c = 0; c < 9; ++c)
        line += "," + number(valueAt(format, r, c) / (c < 3 ? kG : 1), false);
    }
    out << line << "\n";
  }
  out.close();
  const auto result = importCsv(dir / "mixed2.csv");
  const Finding* change = findCode(result.report, "units_change_mid_file");
  ASSERT_NE(change, nullptr);
  EXPECT_TRUE(mentions(change, "near file line 3003 (row 3000)")) << change->message;
}

}  // namespace
}  // namespace imuwb
