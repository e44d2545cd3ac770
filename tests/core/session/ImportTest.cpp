// CSV, sidecar-JSON and label import: column mapping, timestamps, rate inference, units.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <numbers>

#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "session/JsonWindowImport.hpp"
#include "session/LabelCsv.hpp"
#include "session/SessionGenerator.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

const Session& reference() {
  static const Session session = [] {
    GeneratorOptions options;
    options.durationSeconds = 120;
    options.seed = 21;
    return generateSession(options);
  }();
  return session;
}

// Writes the reference session's devices as CSV, values multiplied by per-group scales
// (how a logger in g / deg/s / mG would have written them) and a time column from timeOf.
void writeCsv(const std::filesystem::path& path, const std::vector<std::string>& header,
              const std::vector<const Device*>& devices, std::array<double, 3> scale,
              const std::function<std::string(std::size_t)>& timeOf, std::size_t rows = 12000) {
  std::ofstream out(path);
  for (std::size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << header[i];
  out << "\n";
  out.precision(9);
  for (std::size_t r = 0; r < rows; ++r) {
    bool first = true;
    if (timeOf) {
      out << timeOf(r);
      first = false;
    }
    for (const Device* device : devices)
      for (int c = 0; c < 9; ++c) {
        out << (first ? "" : ",") << device->at(r, c) * scale[static_cast<std::size_t>(c / 3)];
        first = false;
      }
    out << "\n";
  }
}

std::vector<std::string> names(const std::string& prefix, std::array<std::string, 3> stems,
                               const std::string& suffix = "") {
  std::vector<std::string> out;
  for (const auto& stem : stems)
    for (const char* axis : {"x", "y", "z"}) out.push_back(prefix + stem + axis + suffix);
  return out;
}

const Finding* findCode(const std::vector<Finding>& report, const std::string& code,
                        const std::string& device = "") {
  for (const auto& finding : report)
    if (finding.code == code && (device.empty() || finding.device == device)) return &finding;
  return nullptr;
}

void expectSamplesNear(const Device& got, const Device& want, double accTol = 1e-4) {
  ASSERT_EQ(got.sampleCount(), std::min<std::size_t>(want.sampleCount(), got.sampleCount()));
  for (std::size_t r = 0; r < got.sampleCount(); r += 7)
    for (int c = 0; c < 9; ++c)
      ASSERT_NEAR(got.at(r, c), want.at(r, c), accTol * std::max(1.0f, std::abs(want.at(r, c))))
          << "row " << r << " channel " << c;
}

TEST(CsvImport, SiUnitsWithSecondsNeedNoConversion) {
  test::TempDir dir;
  auto header = names("", {"a", "g", "m"});
  header.insert(header.begin(), "time");
  writeCsv(dir / "si.csv", header, {&reference().devices[0]}, {1, 1, 1},
           [](std::size_t r) { return std::to_string(r * 0.01); });
  const auto result = importCsv(dir / "si.csv");
  ASSERT_EQ(result.session.devices.size(), 1u);
  EXPECT_EQ(result.session.devices[0].name, "imu");
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100);
  expectSamplesNear(result.session.devices[0], reference().devices[0]);
  for (const char* code : {"unit_acc", "unit_gyro", "unit_mag"}) {
    const Finding* finding = findCode(result.report, code);
    ASSERT_TRUE(finding) << code;
    EXPECT_NE(finding->message.find("no conversion"), std::string::npos) << finding->message;
  }
}

TEST(CsvImport, DetectsGDegreesAndMilliGaussAndReportsEachConversion) {
  test::TempDir dir;
  auto header = names("", {"acc_", "gyro_", "mag_"});
  header.insert(header.begin(), "timestamp_ms");
  const double g = 1 / 9.80665, dps = 180 / std::numbers::pi, mG = 10;
  writeCsv(dir / "g.csv", header, {&reference().devices[1]}, {g, dps, mG},
           [](std::size_t r) { return std::to_string(1700000000000 + r * 10); });
  const auto result = importCsv(dir / "g.csv");
  expectSamplesNear(result.session.devices[0], reference().devices[1], 2e-4);
  EXPECT_NE(findCode(result.report, "unit_acc")->message.find("g -> m/s^2"), std::string::npos);
  EXPECT_NE(findCode(result.report, "unit_gyro")->message.find("deg/s -> rad/s"),
            std::string::npos);
  EXPECT_NE(findCode(result.report, "unit_mag")->message.find("mG -> uT"), std::string::npos);
  EXPECT_EQ(result.session.startTime.substr(0, 10), "2023-11-14");  // epoch ms 1.7e12
  EXPECT_EQ(result.session.metadata.at("unit_decisions").size(), 3u);
}

TEST(CsvImport, TwoDevicesByPrefixWithNanosecondJitteredTime) {
  test::TempDir dir;
  auto header = names("collar_", {"a", "g", "m"});
  const auto harness = names("harness_", {"accel", "gyr", "mag"});
  header.insert(header.end(), harness.begin(), harness.end());
  header.insert(header.begin(), "t");
  // 100 Hz with +-2 ms jitter, in ns since an arbitrary origin.
  writeCsv(dir / "two.csv", header, {&reference().devices[0], &reference().devices[1]}, {1, 1, 1},
           [](std::size_t r) {
             const long long jitter = static_cast<long long>((r * 7919) % 5) - 2;
             return std::to_string(5000000000LL + static_cast<long long>(r) * 10000000LL +
                                   jitter * 1000000LL);
           });
  const auto result = importCsv(dir / "two.csv");
  ASSERT_EQ(result.session.devices.size(), 2u);
  EXPECT_EQ(result.session.devices[0].name, "collar");
  EXPECT_EQ(result.session.devices[1].name, "harness");
  EXPECT_DOUBLE_EQ(result.session.sampleRateHz, 100);
  ASSERT_EQ(result.session.time_s.size(), 12000u);
  EXPECT_NEAR(result.session.time_s[100], 1.0, 0.005);
  EXPECT_NE(findCode(result.report, "time_inferred")->message.find("in ns"), std::string::npos);
  expectSamplesNear(result.session.devices[1], reference().devices[1]);
}

TEST(CsvImport, HeaderUnitHintsAreTrustedAndContradictionsWarned) {
  test::TempDir dir;
  auto header = names("", {"a", "g", "m"}, "_g");
  for (int i = 3; i < 6; ++i)
    header[static_cast<std::size_t>(i)] = std::string("g") + "xyz"[i - 3] + "[dps]";
  for (int i = 6; i < 9; ++i)
    header[static_cast<std::size_t>(i)] = std::string("m") + "xyz"[i - 6] + " (uT)";
  header.insert(header.begin(), "time_s");
  writeCsv(dir / "h.csv", header, {&reference().devices[0]},
           {1 / 9.80665, 180 / std::numbers::pi, 1},
           [](std::size_t r) { return std::to_string(r / 100.0); });
  const auto result = importCsv(dir / "h.csv");
  expectSamplesNear(result.session.devices[0], reference().devices[0], 2e-4);
  EXPECT_NE(findCode(result.report, "unit_gyro")->message.find("from the column header"),
            std::string::npos);
  // A header claiming m/s^2 over data in g is kept (the header is trusted) but warned about.
  header[1] = "ax_ms2", header[2] = "ay_ms2", header[3] = "az_ms2";
  writeCsv(dir / "lie.csv", header, {&reference().devices[0]},
           {1 / 9.80665, 180 / std::numbers::pi, 1},
           [](std::size_t r) { return std::to_string(r / 100.0); });
  const auto lie = importCsv(dir / "lie.csv");
  EXPECT_EQ(findCode(lie.report, "unit_acc")->severity, Severity::Warning);
  EXPECT_NE(findCode(lie.report, "unit_acc")->message.find("looks like g"), std::string::npos);
}

TEST(CsvImport, DetectsMilliGAndNanotesla) {
  test::TempDir dir;
  auto header = names("", {"a", "g", "m"});
  header.insert(header.begin(), "time_us");
  writeCsv(dir / "mg.csv", header, {&reference().devices[0]}, {1000 / 9.80665, 1, 1000},
           [](std::size_t r) { return std::to_string(r * 10000); });
  const auto result = importCsv(dir / "mg.csv");
  expectSamplesNear(result.session.devices[0], reference().devices[0], 2e-4);
  EXPECT_NE(findCode(result.report, "unit_acc")->message.find("mg -> m/s^2"), std::string::npos);
  EXPECT_NE(findCode(result.report, "unit_mag")->message.find("nT -> uT"), std::string::npos);
  EXPECT_NE(findCode(result.report, "unit_gyro")->message.find("rad/s (no conversion)"),
            std::string::npos);
}

TEST(CsvImport, ExplicitUnitsOverrideDetection) {
  test::TempDir dir;
  auto header = names("", {"a", "g", "m"});
  writeCsv(dir / "x.csv", header, {&reference().devices[0]}, {1, 1, 1000}, {});  // mag in nT
  ImportOptions options;
  options.sampleRateHz = 100;
  options.units = UnitOverrides::parse("mag=nT");
  const auto result = importCsv(dir / "x.csv", options);
  expectSamplesNear(result.session.devices[0], reference().devices[0]);
  EXPECT_NE(findCode(result.report, "unit_mag")->message.find("as given"), std::string::npos);
  EXPECT_TRUE(result.session.time_s.empty());
  EXPECT_THROW(UnitOverrides::parse("acc=furlongs"), Error);
  EXPECT_THROW(UnitOverrides::parse("speed=g"), Error);
  EXPECT_THROW(UnitOverrides::parse("acc"), Error);
}

TEST(CsvImport, RefusesToGuessAmbiguousUnits) {
  test::TempDir dir;
  // Accelerometer scaled to |a| ~ 4.9 at rest: neither m/s^2 nor g nor mg.
  writeCsv(dir / "odd.csv", names("", {"a", "g", "m"}), {&reference().devices[0]}, {0.5, 1, 1}, {});
  ImportOptions options;
  options.sampleRateHz = 100;
  try {
    importCsv(dir / "odd.csv", options);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("acc unit"), std::string::npos) << error.what();
    EXPECT_NE(error.fix().find("--units acc="), std::string::npos);
  }
  options.units = UnitOverrides::parse("acc=m/s^2");
  EXPECT_NO_THROW(importCsv(dir / "odd.csv", options));
}

TEST(CsvImport, BadInputsNameFileLineAndFix) {
  test::TempDir dir;
  auto expectError = [&](const std::string& text, const std::string& needle,
                         ImportOptions options = {}) {
    std::ofstream(dir / "bad.csv") << text;
    try {
      importCsv(dir / "bad.csv", options);
      ADD_FAILURE() << "expected an error for: " << text.substr(0, 60);
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
      EXPECT_NE(error.where().find("bad.csv"), std::string::npos);
      EXPECT_FALSE(error.fix().empty());
    }
  };
  expectError("", "empty");
  expectError("time,ax,ay,az\n0,1,2,3\n", "missing: gx gy gz");
  expectError("time,ax,ay,az,gx,gy,gz,mx\n0,1,2,3,4,5,6,7\n",
              "missing: my mz (a partial magnetometer)");
  expectError("1,2,3\n", "not a header");
  expectError("foo,bar\n1,2\n", "no sensor columns");
  expectError("time,ax,ay,az,gx,gy,gz,mx,my,mz\n", "no data rows");
  expectError("time,ax,ay,az,gx,gy,gz,mx,my,mz\n0,1,2,3,4,5,6,7,8,9\n0.01,1,2,x3,4,5,6,7,8,9\n",
              ":3 column 'az'");
  expectError("time,ax,ay,az,gx,gy,gz,mx,my,mz\n0,1,2,3,4,5,6,7,8,9\n0.01,1,2\n", ":3");
  expectError("ax,ay,az,gx,gy,gz,mx,my,mz\n0,0,9.8,0,0,0,20,0,-45\n", "pass --rate");
  expectError("time,ax,acc_x,ay,az,gx,gy,gz,mx,my,mz\n", "same channel");
  expectError("time,ax,ay,az,gx,gy,gz,mx,my,mz\n5,1,2,3,4,5,6,7,8,9\n5,1,2,3,4,5,6,7,8,9\n",
              "never increase");
  expectError("a\n", "no sensor columns");
  std::filesystem::remove(dir / "bad.csv");
  EXPECT_THROW(importCsv(dir / "bad.csv"), Error);
}

TEST(CsvImport, HeaderMappingAcceptsCommonAliases) {
  const auto layout = mapCsvHeader({"Timestamp (ms)", "accelX", "AccY", "acc.z", "gyroscope_x",
                                    "wy", "omega_z", "Mag X", "magnetometer_y", "b_z", "temp"},
                                   "t.csv");
  EXPECT_EQ(layout.timeColumn, 0);
  EXPECT_DOUBLE_EQ(layout.timeScaleHint, 1e-3);
  std::vector<int> channels;
  for (const auto& column : layout.columns) channels.push_back(column.channel);
  EXPECT_EQ(channels, (std::vector<int>{-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -1}));
  ASSERT_EQ(layout.devices.size(), 1u);
  const auto prefixed = mapCsvHeader({"collar_acc_x_g", "harness_gx_dps"}, "t.csv");
  EXPECT_EQ(prefixed.columns[0].device, "collar");
  EXPECT_EQ(prefixed.columns[0].unitHint, "g");
  EXPECT_EQ(prefixed.columns[1].device, "harness");
  EXPECT_EQ(prefixed.columns[1].channel, 3);
  EXPECT_EQ(prefixed.columns[1].unitHint, "deg/s");
}

TEST(UnitConversion, CanonicalNamesAndScales) {
  using G = SensorGroup;
  EXPECT_EQ(canonicalUnit(G::Accelerometer, "m/s²"), "m/s^2");
  EXPECT_EQ(canonicalUnit(G::Accelerometer, "G"), "g");
  EXPECT_EQ(canonicalUnit(G::Accelerometer, "mg"), "mg");
  EXPECT_EQ(canonicalUnit(G::Gyroscope, "dps"), "deg/s");
  EXPECT_EQ(canonicalUnit(G::Gyroscope, "°/s"), "deg/s");
  EXPECT_EQ(canonicalUnit(G::Magnetometer, "µT"), "uT");
  EXPECT_EQ(canonicalUnit(G::Magnetometer, "mG"), "mG");
  EXPECT_EQ(canonicalUnit(G::Magnetometer, "gauss"), "G");
  EXPECT_FALSE(canonicalUnit(G::Gyroscope, "uT"));
  EXPECT_DOUBLE_EQ(scaleToContract(G::Accelerometer, "g"), 9.80665);
  EXPECT_DOUBLE_EQ(scaleToContract(G::Gyroscope, "deg/s"), std::numbers::pi / 180);
  EXPECT_DOUBLE_EQ(scaleToContract(G::Magnetometer, "mG"), 0.1);
  EXPECT_DOUBLE_EQ(scaleToContract(G::Magnetometer, "nT"), 0.001);
}

TEST(JsonWindowImport, PipelineFixturesImportAndDegreeGyroIsDetected) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto dir = test::pipelineFixturesDir();
  // static: at rest, gyro ~0.3-2 => deg/s (a still sensor reads ~0 rad/s).
  for (const char* name : {"static_imu_sample.json", "realistic_imu_sample.json"}) {
    const auto result = importJsonWindow(dir / name);
    ASSERT_EQ(result.session.devices.size(), 1u) << name;
    EXPECT_GE(result.session.sampleCount(), 100u);
    const Finding* gyro = findCode(result.report, "unit_gyro");
    ASSERT_TRUE(gyro);
    EXPECT_EQ(gyro->severity, Severity::Warning) << gyro->message;
    EXPECT_NE(gyro->message.find("deg/s -> rad/s"), std::string::npos) << gyro->message;
    // Cross-check the conversion against the raw JSON (independent of the importer).
    std::ifstream in(dir / name);
    const auto raw = nlohmann::json::parse(in).at("x");
    EXPECT_NEAR(result.session.devices[0].at(7, 4),
                raw[7][4].get<double>() * std::numbers::pi / 180, 1e-5);
    EXPECT_NEAR(result.session.devices[0].at(7, 2), raw[7][2].get<double>(), 1e-5);
  }
  // random: the data cannot confirm any unit, so the API's promise is kept, with a warning.
  const auto random = importJsonWindow(dir / "random_imu_sample.json");
  EXPECT_NE(findCode(random.report, "unit_acc")->message.find("no conversion"), std::string::npos);
  EXPECT_EQ(findCode(random.report, "unit_acc")->severity, Severity::Warning);
}

TEST(JsonWindowImport, RejectsMalformedRequests) {
  test::TempDir dir;
  auto expectError = [&](const std::string& text, const std::string& needle) {
    std::ofstream(dir / "w.json") << text;
    try {
      importJsonWindow(dir / "w.json");
      ADD_FAILURE() << text;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
  };
  expectError("{\"x\": [[1,2,3]]}", "/x/0");
  expectError("{\"y\": []}", "no \"x\"");
  expectError("{\"x\": [[1,2,3,4,5,6,7,8,\"a\"]]}", "/x/0/8");
  expectError("{\"x\": [[1,2,3", "not valid JSON");
  expectError("{\"x\": []}", "non-empty");
}

TEST(LabelCsv, ReadsIntervalsAndRejectsBadRows) {
  test::TempDir dir;
  std::ofstream(dir / "l.csv") << "start,end,label\n0,2.5,stand\n2.5,10,walk\n10,11,stand\n";
  const LabelTrack track = readLabelCsv(dir / "l.csv");
  EXPECT_EQ(track.classes, (std::vector<std::string>{"stand", "walk"}));
  ASSERT_EQ(track.labels.size(), 3u);
  EXPECT_DOUBLE_EQ(track.labels[1].end_s, 10);
  writeLabelCsv(track.labels, dir / "copy.csv");
  EXPECT_EQ(readLabelCsv(dir / "copy.csv").labels.size(), 3u);
  std::ofstream(dir / "bad.csv") << "start,end,label\n0,2.5,stand\n3,1,walk\n";
  try {
    readLabelCsv(dir / "bad.csv");
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(error.where().find("bad.csv:3"), std::string::npos) << error.what();
  }
  std::ofstream(dir / "bad2.csv") << "from,to,what\n0,1,x\n";
  EXPECT_THROW(readLabelCsv(dir / "bad2.csv"), Error);
  std::ofstream(dir / "bad3.csv") << "start,end,label\nzero,1,x\n";
  EXPECT_THROW(readLabelCsv(dir / "bad3.csv"), Error);
}

}  // namespace
}  // namespace imuwb
