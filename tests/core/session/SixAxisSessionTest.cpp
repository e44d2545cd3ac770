// 6-axis devices (no magnetometer) are first-class: [N,6] in memory and on disk, no zeros or NaN
// standing in for mx my mz, read by h5py as written, and validated without field checks.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "SessionTestData.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::string runPeer(const std::string& script, const std::string& arguments) {
  const auto command = test::shellQuote(test::pythonPath()) + " " +
                       test::shellQuote((test::sourceDir() / "tests/peers" / script).string()) +
                       " " + arguments;
  const auto result = test::runCommand(command);
  EXPECT_EQ(result.exitCode, 0) << result.errors;
  return result.output;
}

// The first six channels of a 9-channel device.
std::vector<float> firstSix(const Device& device) {
  std::vector<float> six;
  for (std::size_t r = 0; r < device.sampleCount(); ++r)
    for (int c = 0; c < kSixAxisChannelCount; ++c) six.push_back(device.at(r, c));
  return six;
}

std::size_t countCode(const std::vector<Finding>& findings, const std::string& code) {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [&](const Finding& f) { return f.code == code; }));
}

GeneratorOptions shortRecording(bool magnetometer) {
  GeneratorOptions options;
  options.durationSeconds = 60;
  options.seed = 7;
  options.magnetometer = magnetometer;
  return options;
}

TEST(SixAxisSession, GeneratorWithoutMagnetometerHoldsTheSameSixChannels) {
  const Session nine = generateSession(shortRecording(true));
  const Session six = generateSession(shortRecording(false));
  ASSERT_EQ(six.devices.size(), 2u);
  for (std::size_t d = 0; d < 2; ++d) {
    EXPECT_EQ(six.devices[d].channels, 6);
    EXPECT_FALSE(six.devices[d].hasMagnetometer());
    EXPECT_EQ(six.devices[d].sampleCount(), nine.devices[d].sampleCount());
    EXPECT_EQ(six.devices[d].samples.size(), nine.devices[d].sampleCount() * 6);
    EXPECT_EQ(six.devices[d].samples, firstSix(nine.devices[d])) << six.devices[d].name;
  }
}

TEST(SixAxisSession, SavedAsSixColumnsAndLoadedBack) {
  test::TempDir dir;
  Session session = generateSession(shortRecording(false));
  session.devices[1] = test::restingDevice("harness", session.sampleCount());  // mixed: 6 + 9
  saveSession(session, dir / "mixed.h5");
  const SessionReader reader = SessionReader::open(dir / "mixed.h5");
  EXPECT_EQ(reader.header().deviceChannels, (std::vector<int>{6, 9}));
  const auto rows = reader.readRows(0, 100, 50);
  ASSERT_EQ(rows.size(), 50u * 6);
  EXPECT_TRUE(std::equal(rows.begin(), rows.end(), session.devices[0].samples.begin() + 100 * 6));
  const Session loaded = loadSession(dir / "mixed.h5");
  EXPECT_EQ(loaded.devices[0].channels, 6);
  EXPECT_EQ(loaded.devices[1].channels, 9);
  EXPECT_EQ(loaded.devices[0].samples, session.devices[0].samples);
  EXPECT_EQ(loaded.devices[1].samples, session.devices[1].samples);
}

TEST(SixAxisSession, StreamedFileMatchesTheInMemorySession) {
  // The streaming writer (generate to file) and the parallel chunk decoder at width 6.
  test::TempDir dir;
  auto options = shortRecording(false);
  options.durationSeconds = 1500;  // 150000 rows: several 65536-row chunks
  generateSessionFile(options, dir / "six.h5");
  const Session expected = generateSession(options);
  const SessionReader reader = SessionReader::open(dir / "six.h5");
  EXPECT_EQ(reader.header().deviceChannels, (std::vector<int>{6, 6}));
  const auto whole = reader.readRows(1, 0, reader.header().sampleCount);
  EXPECT_EQ(whole, expected.devices[1].samples);
  const auto unaligned = reader.readRows(1, 1234, 140000);
  EXPECT_TRUE(std::equal(unaligned.begin(), unaligned.end(),
                         expected.devices[1].samples.begin() + 1234 * 6));
}

TEST(SixAxisSession, H5pyReadsSixColumnsNamedAxToGz) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const Session session = generateSession(shortRecording(false));
  saveSession(session, dir / "six.h5");
  const auto seen = nlohmann::json::parse(
      runPeer("h5py_read_session.py", test::shellQuote((dir / "six.h5").string())));
  for (const auto& device : session.devices) {
    const auto& d = seen.at("devices").at(device.name);
    EXPECT_EQ(d.at("shape"), (std::vector<std::size_t>{device.sampleCount(), 6}));
    EXPECT_EQ(d.at("channels"), (std::vector<std::string>{"ax", "ay", "az", "gx", "gy", "gz"}));
    EXPECT_EQ(d.at("units"),
              (std::vector<std::string>{"m/s^2", "m/s^2", "m/s^2", "rad/s", "rad/s", "rad/s"}));
    EXPECT_EQ(d.at("sha256"),
              sha256Hex(device.samples.data(), device.samples.size() * sizeof(float)));
  }
}

TEST(SixAxisSession, CoreReadsASixAxisDeviceH5pyWrote) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto file = dir / "peer.h5";
  runPeer("h5py_write_session.py", test::shellQuote(file.string()) + " --six-axis");
  const Session session = loadSession(file);
  ASSERT_EQ(session.devices.size(), 2u);
  EXPECT_EQ(session.devices[0].channels, 9);  // collar
  EXPECT_EQ(session.devices[1].channels, 6);  // harness: contiguous [N,6]
  for (const auto& device : session.devices) {
    std::ifstream in(dir / ("peer.h5." + device.name + ".f32"), std::ios::binary);
    std::vector<float> raw(device.samples.size());
    in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size() * 4));
    EXPECT_EQ(device.samples, raw) << device.name;
  }
}

TEST(SixAxisSession, ValidationSaysNoMagnetometerOnceAndSkipsFieldChecks) {
  Session session = test::restingSession(3000, {"collar"});
  for (auto& device : session.devices) {
    device.samples = firstSix(device);
    device.channels = 6;
  }
  const auto findings = validateSession(session);
  EXPECT_EQ(countCode(findings, "no_magnetometer"), 1u);
  EXPECT_EQ(countCode(findings, "mag_unit_hint"), 0u);
  EXPECT_EQ(countCode(findings, "channel_count"), 0u);
  for (const auto& finding : findings) EXPECT_NE(finding.severity, Severity::Error) << finding.code;
  // The streaming file path agrees with the in-memory one.
  test::TempDir dir;
  saveSession(session, dir / "six.h5");
  const auto fromFile = validateSessionFile(SessionReader::open(dir / "six.h5"));
  EXPECT_EQ(countCode(fromFile, "no_magnetometer"), 1u);
  EXPECT_EQ(fromFile.size(), findings.size());
}

TEST(SixAxisSession, SaveRefusesABufferThatIsNotWholeRows) {
  test::TempDir dir;
  Session session = test::restingSession(100, {"collar"});
  session.devices[0].channels = 6;  // 900 values are 150 six-channel rows: fine
  session.devices[0].samples.resize(905);
  const std::string message = test::errorText([&] { saveSession(session, dir / "bad.h5"); });
  EXPECT_NE(message.find("6-channel rows"), std::string::npos) << message;
  session.devices[0].channels = 7;
  const std::string seven = test::errorText([&] { saveSession(session, dir / "bad.h5"); });
  EXPECT_NE(seven.find("7 channels"), std::string::npos) << seven;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.h5"));
}

}  // namespace
}  // namespace imuwb
