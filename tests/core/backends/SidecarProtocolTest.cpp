// The edgeinfer backend's request body, written without a JSON tree: Python's json + numpy (an
// independent reader), nlohmann and serve's scanner all read back exactly the floats written.
#include "backends/edgeinfer/SidecarProtocol.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>

#include "backends/edgeinfer/WindowBodyScanner.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::sidecar {
namespace {

constexpr std::size_t kRows = 200;

std::vector<float> windowWithExtremes() {
  std::mt19937 random(21);
  std::normal_distribution<float> noise(0.0f, 5.0f);
  std::uniform_int_distribution<std::uint32_t> bits(0, 0x7f7fffffu);  // any finite positive
  std::vector<float> rows(kRows * kChannelCount);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i % 3 == 0) {
      const std::uint32_t pattern = bits(random);
      std::memcpy(&rows[i], &pattern, sizeof pattern);
      if (i % 2) rows[i] = -rows[i];
    } else {
      rows[i] = noise(random);
    }
  }
  const float extremes[] = {0.0f,
                            -0.0f,
                            std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::min(),
                            std::numeric_limits<float>::max(),
                            -std::numeric_limits<float>::max(),
                            1.0f / 3.0f,
                            499.99997f,
                            1e-7f};
  std::copy(std::begin(extremes), std::end(extremes), rows.begin());
  return rows;
}

TEST(SidecarProtocol, WindowBodyGivesBackEveryFloatToEachReader) {
  const auto rows = windowWithExtremes();
  const auto body = windowBody(rows.data(), kRows, "x");

  std::vector<float> scanned;
  ASSERT_TRUE(scanWindowBody(body, "x", kRows, scanned));
  EXPECT_EQ(0, std::memcmp(scanned.data(), rows.data(), rows.size() * sizeof(float)));

  std::vector<float> parsed;
  const auto document = nlohmann::json::parse(body);
  for (const auto& row : document["x"])
    for (const auto& value : row) parsed.push_back(value.get<float>());
  ASSERT_EQ(parsed.size(), rows.size());
  EXPECT_EQ(0, std::memcmp(parsed.data(), rows.data(), rows.size() * sizeof(float)));

  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  std::ofstream(dir / "body.json") << body;
  const auto python =
      test::runCommand(test::pythonPath() +
                       " -c \"import json,sys,numpy as np; "
                       "a=np.array(json.load(open(sys.argv[1]))['x'],dtype=np.float32); "
                       "open(sys.argv[2],'wb').write(a.tobytes())\" " +
                       (dir / "body.json").string() + " " + (dir / "floats.bin").string());
  ASSERT_EQ(python.exitCode, 0) << python.errors;
  std::ifstream written(dir / "floats.bin", std::ios::binary);
  std::vector<float> numpy(rows.size());
  written.read(reinterpret_cast<char*>(numpy.data()), numpy.size() * sizeof(float));
  ASSERT_EQ(written.gcount(), static_cast<std::streamsize>(numpy.size() * sizeof(float)));
  EXPECT_EQ(0, std::memcmp(numpy.data(), rows.data(), rows.size() * sizeof(float)));
}

TEST(SidecarProtocol, ANonFiniteValueIsWrittenAsNullAndRefusedWithItsPlace) {
  std::vector<float> rows(100 * kChannelCount, 1.0f);
  rows[5 * kChannelCount + 1] = std::numeric_limits<float>::quiet_NaN();
  const auto body = windowBody(rows.data(), 100, "imu_window");
  EXPECT_NE(body.find("null"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(body)["imu_window"][5][1], nullptr);
  const auto parsed = parseWindowBody(body, "imu_window", 100);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.detail[0]["loc"], nlohmann::json({"body", "imu_window", 5}));
}

}  // namespace
}  // namespace imuwb::sidecar
