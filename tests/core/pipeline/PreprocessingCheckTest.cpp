// The preprocessing check: recordings whose units, axes or normalization differ from what the
// model was trained on are caught; a matching recording passes.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "common/Error.hpp"
#include "pipeline/PreprocessingCheck.hpp"
#include "pipeline/SampleSource.hpp"
#include "session/SessionGenerator.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

bool hasCode(const std::vector<Finding>& findings, const std::string& code, Severity severity) {
  for (const auto& finding : findings)
    if (finding.code == code && finding.severity == severity) return true;
  return false;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string text;
  for (const auto& f : findings)
    text += std::string(severityName(f.severity)) + " " + f.code + ": " + f.message + "\n";
  return text;
}

// One generated collar recording (contract units) and a manifest whose mean/std are that
// recording's own per-channel statistics, computed here in double precision.
struct Fixture {
  std::vector<float> rows;
  Manifest manifest;
  Fixture() {
    GeneratorOptions options;
    options.durationSeconds = 300;
    options.devices = {"collar"};
    options.seed = 3;
    rows = generateSession(options).devices[0].samples;
    const std::size_t n = rows.size() / 9;
    manifest.normalization.present = true;
    manifest.normalization.mean.resize(9);
    manifest.normalization.std.resize(9);
    for (int c = 0; c < 9; ++c) {
      double sum = 0, squares = 0;
      for (std::size_t r = 0; r < n; ++r)
        sum += rows[r * 9 + c], squares += double(rows[r * 9 + c]) * rows[r * 9 + c];
      const double mean = sum / n;
      manifest.normalization.mean[c] = static_cast<float>(mean);
      manifest.normalization.std[c] = static_cast<float>(std::sqrt(squares / n - mean * mean));
      manifest.input.channelOrder[c] = std::string(kChannelNames[c]);
    }
  }
  std::vector<Finding> check(const std::vector<float>& data) const {
    PreprocessingOptions options;
    return comparePreprocessing(
        manifest, collectDeviceStats(manifest, data.data(), data.size() / 9, "collar", options),
        options);
  }
};

TEST(PreprocessingCheck, AMatchingRecordingHasNoErrors) {
  Fixture fixture;
  const auto findings = fixture.check(fixture.rows);
  EXPECT_FALSE(hasErrors(findings)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesAccelerometerInG) {
  Fixture fixture;
  auto data = fixture.rows;
  for (std::size_t i = 0; i < data.size(); i += 9)
    for (int c = 0; c < 3; ++c) data[i + c] /= 9.80665f;
  const auto findings = fixture.check(data);
  EXPECT_TRUE(hasCode(findings, "unit_acc_g", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesGyroInDegreesPerSecond) {
  Fixture fixture;
  auto data = fixture.rows;
  for (std::size_t i = 0; i < data.size(); i += 9)
    for (int c = 3; c < 6; ++c) data[i + c] *= 57.29578f;
  const auto findings = fixture.check(data);
  EXPECT_TRUE(hasCode(findings, "unit_gyro_degrees", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesMagnetometerInMilligauss) {
  Fixture fixture;
  auto data = fixture.rows;
  for (std::size_t i = 0; i < data.size(); i += 9)
    for (int c = 6; c < 9; ++c) data[i + c] *= 10.0f;
  const auto findings = fixture.check(data);
  EXPECT_TRUE(hasCode(findings, "unit_mag_milligauss", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesGravityOnTheWrongAxis) {
  Fixture fixture;
  auto data = fixture.rows;
  for (std::size_t i = 0; i < data.size(); i += 9)
    std::swap(data[i + 0], data[i + 2]);  // ax <-> az
  const auto findings = fixture.check(data);
  EXPECT_TRUE(hasCode(findings, "gravity_axis", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesAMissingAxis) {
  Fixture fixture;
  auto data = fixture.rows;
  for (std::size_t i = 0; i < data.size(); i += 9) data[i + 4] = 0.0f;  // gy never recorded
  const auto findings = fixture.check(data);
  EXPECT_TRUE(hasCode(findings, "channel_missing", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesDoubleNormalization) {
  Fixture fixture;
  auto data = fixture.rows;
  for (std::size_t i = 0; i < data.size(); i += 9)
    for (int c = 0; c < 9; ++c)
      data[i + c] = (data[i + c] - fixture.manifest.normalization.mean[c]) /
                    fixture.manifest.normalization.std[c];
  const auto findings = fixture.check(data);
  EXPECT_TRUE(hasCode(findings, "double_normalization", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, ReportsTheFractionThatClipsAtTheDeviceInputRange) {
  Fixture fixture;
  fixture.manifest.inputRange = std::array<double, 2>{0.0, 1.0};  // the broken HEF: [0, 1]
  const auto findings = fixture.check(fixture.rows);
  // z-scored data is negative about half the time: far more than 10% clips.
  EXPECT_TRUE(hasCode(findings, "clipping", Severity::Error)) << describe(findings);
}

TEST(PreprocessingCheck, CatchesTheDegreesPerSecondGyroInThePipelineSample) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  // Parse the sidecar request body directly: raw values exactly as the pipeline sent them.
  std::ifstream stream(test::pipelineFixturesDir() / "realistic_imu_sample.json");
  const auto document = nlohmann::json::parse(stream);
  std::vector<float> rows;
  for (const auto& row : document["x"])
    for (const auto& value : row) rows.push_back(value.get<float>());
  const Manifest manifest = loadManifest(test::pipelineFixturesDir() / "model_config.json");
  PreprocessingOptions options;
  const auto stats = collectDeviceStats(manifest, rows.data(), rows.size() / 9, "sidecar", options);
  const auto findings = comparePreprocessing(manifest, stats, options);
  EXPECT_TRUE(hasCode(findings, "unit_gyro_degrees", Severity::Error)) << describe(findings);
  EXPECT_FALSE(hasCode(findings, "unit_acc_g", Severity::Error)) << describe(findings);
}

TEST(SidecarRequest, ReadsRowsAsSentAndRejectsMalformedBodies) {
  test::TempDir dir;
  std::ofstream(dir / "ok.json") << R"({"x": [[1,2,3,4,5,6,7,8,9], [9,8,7,6,5,4,3,2,1]]})";
  const auto session = readSidecarRequest(dir / "ok.json");
  ASSERT_EQ(session.sampleCount(), 2u);
  EXPECT_FLOAT_EQ(session.devices[0].at(0, 3), 4.0f);  // no unit conversion
  EXPECT_FLOAT_EQ(session.devices[0].at(1, 0), 9.0f);
  std::ofstream(dir / "short.json") << R"({"x": [[1,2,3,4,5,6,7,8,9], [1,2,3]]})";
  std::ofstream(dir / "nox.json") << R"({"imu_window": []})";
  std::ofstream(dir / "text.json") << R"({"x": [[1,2,3,4,5,6,7,8,"a"]]})";
  std::ofstream(dir / "empty.json") << R"({"x": []})";
  for (const char* name : {"short.json", "nox.json", "text.json", "empty.json", "absent.json"})
    EXPECT_THROW(readSidecarRequest(dir / name), Error) << name;
}

}  // namespace
}  // namespace imuwb
