// Hostile text input to the CSV, label and sidecar-JSON importers: line length limit, CR-only
// line ends, unparsable values quoted safely, NUL bytes, pipes, units that change mid-file,
// nesting bombs, and JSON pointers in messages. Non-UTF-8 names made safe for JSON.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "session/CsvText.hpp"
#include "session/JsonWindowImport.hpp"
#include "session/LabelCsv.hpp"
#include "session/TextFormat.hpp"
#include "session/UnitConsistency.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// n rows of a device at rest: gravity on z (times accScale), a small wiggle on every channel.
std::string restingCsv(std::size_t rows, const std::string& eol = "\n",
                       std::size_t scaledFrom = SIZE_MAX, double accScale = 1.0) {
  std::string text = "time_s,ax,ay,az,gx,gy,gz,mx,my,mz" + eol;
  char line[256];
  for (std::size_t r = 0; r < rows; ++r) {
    const double w = 0.05 * std::sin(0.37 * static_cast<double>(r));
    const double s = r >= scaledFrom ? accScale : 1.0;
    std::snprintf(line, sizeof line, "%.2f,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g",
                  static_cast<double>(r) / 100.0, w * s, -w * s, (9.80665 + w) * s, 0.5 * w,
                  -0.3 * w, 0.2 * w, 20 + 10 * w, 10 * w, -45 - 10 * w);
    text += line + eol;
  }
  return text;
}

using test::errorOf;
using test::expectMentions;

TEST(CsvLineReader, SplitsLfCrlfAndLoneCrAndNumbersLines) {
  std::istringstream in("a\nb\r\nc\rd\r\re");
  csv::LineReader reader(in, 100);
  std::vector<std::string> lines;
  std::vector<std::size_t> numbers;
  std::string line;
  while (reader.next(line)) lines.push_back(line), numbers.push_back(reader.lineNumber());
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "b", "c", "d", "", "e"}));
  EXPECT_EQ(numbers, (std::vector<std::size_t>{1, 2, 3, 4, 5, 6}));
}

TEST(CsvLineReader, StopsALongLineAtTheLimit) {
  std::istringstream in("short\n" + std::string(5000, 'x') + "\nnext\n");
  csv::LineReader reader(in, 1000);
  std::string line;
  ASSERT_TRUE(reader.next(line));
  EXPECT_FALSE(reader.tooLong());
  ASSERT_TRUE(reader.next(line));
  EXPECT_TRUE(reader.tooLong());
  EXPECT_EQ(reader.lineNumber(), 2u);
  EXPECT_EQ(line.size(), 1000u);
}

TEST(CsvTextLimits, CrOnlyAndCrlfFilesImportLikeLf) {
  test::TempDir dir;
  write(dir / "lf.csv", restingCsv(300));
  write(dir / "cr.csv", restingCsv(300, "\r"));
  write(dir / "crlf.csv", restingCsv(300, "\r\n"));
  const auto lf = importCsv(dir / "lf.csv");
  for (const char* name : {"cr.csv", "crlf.csv"}) {
    const auto other = importCsv(dir / name);
    ASSERT_EQ(other.session.devices.size(), 1u) << name;
    EXPECT_EQ(other.session.devices[0].samples, lf.session.devices[0].samples) << name;
    EXPECT_EQ(other.session.sampleRateHz, 100.0) << name;
  }
}

TEST(CsvTextLimits, ALineOverTheLimitIsRefusedWithItsNumber) {
  test::TempDir dir;
  write(dir / "long.csv", restingCsv(10) + std::string(2 << 20, '7') + "\n");
  expectMentions(errorOf([&] { importCsv(dir / "long.csv"); }),
                 {"long.csv:12", "text_line_bytes", "1048576", "IMUWB_LIMIT_TEXT_LINE_BYTES"});
}

TEST(CsvTextLimits, BadValuesAreQuotedWithFileLineAndColumn) {
  test::TempDir dir;
  std::string text = restingCsv(5);
  text.replace(text.find("\n0.02,") + 1, 4, "12ab");
  write(dir / "bad.csv", text);
  expectMentions(errorOf([&] { importCsv(dir / "bad.csv"); }),
                 {"bad.csv:4 column 'time_s'", "'12ab' is not a number"});
  // A NUL byte or binary junk is shown escaped, never raw.
  text = restingCsv(5);
  text[text.find("\n0.03,") + 3] = '\0';
  write(dir / "nul.csv", text);
  const Error nul = errorOf([&] { importCsv(dir / "nul.csv"); });
  expectMentions(nul, {"nul.csv:5", "'0.\\x003'"});
  EXPECT_EQ(std::string(nul.what()).find('\0'), std::string::npos);
  // Overflowing numbers are not numbers (from_chars reports the range error).
  write(dir / "big.csv", restingCsv(3) + "0.03,1e999999,0,0,0,0,0,0,0,0\n");
  expectMentions(errorOf([&] { importCsv(dir / "big.csv"); }),
                 {"big.csv:5 column 'ax'", "'1e999999'"});
}

TEST(CsvTextLimits, PipesDevicesAndFoldersAreRefusedWithoutReading) {
  test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "pipe.csv").c_str(), 0600), 0);
  expectMentions(errorOf([&] { importCsv(dir / "pipe.csv"); }), {"pipe.csv", "not a regular"});
  expectMentions(errorOf([&] { importCsv("/dev/zero"); }), {"/dev/zero", "not a regular"});
  fs::create_directory(dir / "folder.csv");
  expectMentions(errorOf([&] { importCsv(dir / "folder.csv"); }), {"folder.csv", "folder"});
  expectMentions(errorOf([&] { readLabelCsv(dir / "pipe.csv"); }), {"pipe.csv", "not a regular"});
  ASSERT_EQ(::mkfifo((dir / "pipe.json").c_str(), 0600), 0);
  expectMentions(errorOf([&] { importJsonWindow(dir / "pipe.json"); }),
                 {"pipe.json", "not a regular"});
}

const Finding* unitChange(const ImportResult& result) {
  for (const auto& finding : result.report)
    if (finding.code == "units_change_mid_file") return &finding;
  return nullptr;
}

TEST(CsvTextLimits, UnitsThatChangeMidFileAreWarned) {
  test::TempDir dir;
  // First half in m/s^2 (gravity ~9.8), second half in g (gravity ~1).
  write(dir / "mixed.csv", restingCsv(6000, "\n", 3000, 1 / 9.80665));
  const auto mixed = importCsv(dir / "mixed.csv");
  const Finding* change = unitChange(mixed);
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->severity, Severity::Warning);
  EXPECT_NEAR(change->start_s, 30.0, 5.0);
  EXPECT_NE(change->message.find("mid-file"), std::string::npos) << change->message;
  // All in g, or all in m/s^2: no warning.
  write(dir / "g.csv", restingCsv(6000, "\n", 0, 1 / 9.80665));
  EXPECT_EQ(unitChange(importCsv(dir / "g.csv")), nullptr);
  write(dir / "si.csv", restingCsv(6000));
  EXPECT_EQ(unitChange(importCsv(dir / "si.csv")), nullptr);
}

TEST(LabelTextLimits, LabelsNameLineColumnAndValue) {
  test::TempDir dir;
  write(dir / "l.csv", "start,end,label\n0,1,sit\n1,2x,stand\n");
  expectMentions(errorOf([&] { readLabelCsv(dir / "l.csv"); }), {"l.csv:3 column 'end'", "'2x'"});
  write(dir / "long.csv", "start,end,label\n0,1," + std::string(2 << 20, 'a') + "\n");
  expectMentions(errorOf([&] { readLabelCsv(dir / "long.csv"); }),
                 {"long.csv:2", "text_line_bytes"});
  write(dir / "nul.csv", std::string("start,end,label\n0,1,si\0t\n", 24));
  expectMentions(errorOf([&] { readLabelCsv(dir / "nul.csv"); }), {"nul.csv:2", "NUL"});
  write(dir / "cr.csv", "start,end,label\r0,1,sit\r1,2,stand\r");
  const auto track = readLabelCsv(dir / "cr.csv");
  ASSERT_EQ(track.labels.size(), 2u);
  EXPECT_EQ(track.labels[1].label, "stand");
}

TEST(JsonWindowLimits, NestingBombsAndBadCellsAreNamedByPointer) {
  test::TempDir dir;
  write(dir / "deep.json", "{\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
  expectMentions(errorOf([&] { importJsonWindow(dir / "deep.json"); }),
                 {"deep.json", "deeper than 64"});
  write(dir / "cell.json", "{\"imu_window\": [[1,2,3,4,5,6,7,8,9],[1,2,\"3\",4,5,6,7,8,9]]}");
  expectMentions(errorOf([&] { importJsonWindow(dir / "cell.json"); }),
                 {"cell.json: /imu_window/1/2", "string, not a number"});
  write(dir / "cut.json", "{\"x\": [[1,2,");
  expectMentions(errorOf([&] { importJsonWindow(dir / "cut.json"); }), {"cut.json: byte"});
}

TEST(Utf8Text, InvalidBytesBecomeReplacementCharacters) {
  using session_text::validUtf8;
  EXPECT_EQ(validUtf8("plain/ascii.h5"), "plain/ascii.h5");
  EXPECT_EQ(validUtf8("caf\xC3\xA9"), "caf\xC3\xA9");            // valid 2-byte
  EXPECT_EQ(validUtf8("\xF0\x9F\x90\x95"), "\xF0\x9F\x90\x95");  // valid 4-byte (dog)
  EXPECT_EQ(validUtf8("s\xff\xfe.h5"), "s\xEF\xBF\xBD\xEF\xBF\xBD.h5");
  EXPECT_EQ(validUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(validUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(validUtf8("end\xE2\x82"), "end\xEF\xBF\xBD\xEF\xBF\xBD");            // cut short
  // Whatever comes out, nlohmann accepts it as JSON text.
  for (const char* text : {"s\xff\xfe.h5", "\xC0\xAF", "\xED\xA0\x80", "end\xE2\x82"})
    EXPECT_NO_THROW(nlohmann::json(validUtf8(text)).dump()) << text;
}

}  // namespace
}  // namespace imuwb
