// Peer tests: the core and plain h5py/numpy (following docs/session-format.md) read each
// other's files with values equal to the bit.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Sha256.hpp"
#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::string peer(const std::string& script, const std::filesystem::path& file) {
  const auto command = test::shellQuote(test::pythonPath()) + " " +
                       test::shellQuote((test::sourceDir() / "tests/peers" / script).string()) +
                       " " + test::shellQuote(file.string());
  const auto result = test::runCommand(command);
  EXPECT_EQ(result.exitCode, 0) << result.errors;
  return result.output;
}

template <class T>
std::vector<T> readRaw(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<T> values(std::filesystem::file_size(path) / sizeof(T));
  in.read(reinterpret_cast<char*>(values.data()),
          static_cast<std::streamsize>(values.size() * sizeof(T)));
  return values;
}

TEST(SessionPeer, H5pyReadsWhatTheCoreWrites) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  GeneratorOptions options;
  options.durationSeconds = 700;  // two chunks and a partial one
  options.seed = 99;
  Session session = generateSession(options);
  session.time_s.resize(session.sampleCount());
  for (std::size_t i = 0; i < session.time_s.size(); ++i)
    session.time_s[i] = i * 0.01 + 1e-4 * (i % 3);
  saveSession(session, dir / "core.h5");
  const auto seen = nlohmann::json::parse(peer("h5py_read_session.py", dir / "core.h5"));
  EXPECT_EQ(seen.at("format"), "imuwb-session");
  EXPECT_EQ(seen.at("format_version"), 1);
  EXPECT_EQ(seen.at("sample_rate_hz"), 100.0);
  EXPECT_EQ(seen.at("start_time"), session.startTime);
  EXPECT_EQ(seen.at("metadata"), session.metadata);
  ASSERT_EQ(seen.at("devices").size(), 2u);
  for (const auto& device : session.devices) {
    const auto& d = seen.at("devices").at(device.name);
    EXPECT_EQ(d.at("shape"), (std::vector<std::size_t>{device.sampleCount(), 9}));
    EXPECT_EQ(d.at("sha256"),
              sha256Hex(device.samples.data(), device.samples.size() * sizeof(float)))
        << device.name << ": h5py sees different bytes";
    for (int c = 0; c < 9; ++c) {
      double sum = 0;
      for (std::size_t r = 0; r < device.sampleCount(); ++r) sum += device.at(r, c);
      EXPECT_NEAR(d.at("channel_sums")[static_cast<std::size_t>(c)].get<double>(), sum,
                  1e-6 * (1 + std::abs(sum)));
    }
    EXPECT_EQ(d.at("units")[3], "rad/s");
    EXPECT_EQ(d.at("channels")[8], "mz");
    EXPECT_EQ(d.at("compression"), "gzip");
    EXPECT_TRUE(d.at("shuffle").get<bool>());
  }
  EXPECT_TRUE(seen.at("time").at("explicit").get<bool>());
  EXPECT_EQ(seen.at("time").at("sha256"),
            sha256Hex(session.time_s.data(), session.time_s.size() * sizeof(double)));
  ASSERT_EQ(seen.at("labels").size(), session.labels.size());
  for (std::size_t i = 0; i < session.labels.size(); ++i) {
    EXPECT_EQ(seen.at("labels")[i].at("label"), session.labels[i].label);
    EXPECT_EQ(seen.at("labels")[i].at("start_s").get<double>(), session.labels[i].start_s);
    EXPECT_EQ(seen.at("labels")[i].at("end_s").get<double>(), session.labels[i].end_s);
  }
}

TEST(SessionPeer, CoreReadsWhatH5pyWritesFromTheDoc) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  peer("h5py_write_session.py", dir / "peer.h5");
  const Session session = loadSession(dir / "peer.h5");
  ASSERT_EQ(session.devices.size(), 2u);
  for (const auto& device : session.devices)
    EXPECT_EQ(device.samples, readRaw<float>(dir / ("peer.h5." + device.name + ".f32")))
        << device.name;
  EXPECT_EQ(session.time_s, readRaw<double>(dir / "peer.h5.time.f64"));
  EXPECT_EQ(session.startTime, "2026-11-21T06:00:00Z");
  EXPECT_EQ(session.metadata.at("dog"), "Bello");
  EXPECT_EQ(session.classes, (std::vector<std::string>{"stand", "sit", "walk"}));
  ASSERT_EQ(session.labels.size(), 3u);
  EXPECT_EQ(session.labels[1].label, "walk");
  EXPECT_EQ(session.labels[2].label, "sit");
  EXPECT_DOUBLE_EQ(session.labels[2].end_s, 50.0);
}

}  // namespace
}  // namespace imuwb
