// Windowing, normalization and layouts, exact against an independent numpy implementation
// (tests/peers/window_peer.py) reading the same session file with h5py.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "io/Npy.hpp"
#include "pipeline/BatchBuilder.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/Windower.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

// Two devices, 6000 rows, a 0.7 s time gap after row 2100, a NaN in the harness at row 4321, an
// Inf in the collar at row 5000,
// labels covering part of the session (some windows unlabelled).
Session makeSession() {
  Session session;
  session.sampleRateHz = 100;
  std::mt19937 random(5);
  std::normal_distribution<float> normal(0, 1);
  const std::size_t rows = 6000;
  for (const char* name : {"collar", "harness"}) {
    Device device;
    device.name = name;
    device.samples.resize(rows * kChannelCount);
    for (std::size_t r = 0; r < rows; ++r)
      for (int c = 0; c < kChannelCount; ++c)
        device.samples[r * kChannelCount + c] =
            (c == 2 ? 9.81f : 0.0f) + (c >= 6 ? 20.0f : 1.0f) * normal(random);
    session.devices.push_back(device);
  }
  session.devices[1].samples[4321 * kChannelCount + 4] = std::numeric_limits<float>::quiet_NaN();
  session.devices[0].samples[5000 * kChannelCount + 7] = std::numeric_limits<float>::infinity();
  for (std::size_t r = 0; r < rows; ++r)
    session.time_s.push_back(r / 100.0 + (r > 2100 ? 0.7 : 0.0));
  session.classes = {"stand", "walk", "trot"};
  session.labels = {
      {0.0, 12.34, "walk"}, {12.34, 20.0, "stand"}, {20.0, 33.3, "trot"}, {40.0, 55.55, "walk"}};
  return session;
}

struct Case {
  std::string layout;
  std::vector<std::int64_t> shape;
  std::vector<std::string> devices;
  std::vector<std::string> channelOrder;
  int stride;
  std::string labelRule;
  std::string appliedBy;
};

void runCase(const std::filesystem::path& sessionPath, const std::filesystem::path& dir,
             const Case& c) {
  nlohmann::json manifestJson = {{"format", "imuwb-manifest"},
                                 {"format_version", 1},
                                 {"name", "peer"},
                                 {"input",
                                  {{"name", "x"},
                                   {"layout", c.layout},
                                   {"shape", c.shape},
                                   {"channel_order", c.channelOrder}}},
                                 {"normalization",
                                  {{"applied_by", c.appliedBy},
                                   {"mean", {0.1, -0.2, 9.7, 0.01, 0.02, -0.03, 19.5, -1.25, 3.0}},
                                   {"std", {1.1, 0.9, 1.3, 0.7, 1.7, 0.3, 21.0, 19.0, 17.5}},
                                   {"channel_order", c.channelOrder}}},
                                 {"outputs", {{{"name", "y"}, {"role", "latent"}, {"size", 4}}}}};
  if (c.layout == "NCHW_devices" || c.layout == "NHWC_devices")
    manifestJson["input"]["devices"] = c.devices;
  const Manifest manifest = parseManifest(manifestJson, "peer.json");

  FileSource source(sessionPath);
  WindowerOptions options;
  options.windowLength = manifest.input.windowLength;
  options.stride = c.stride;
  options.devices = c.devices;
  options.labelRule = c.labelRule == "centre" ? LabelRule::CentreSample : LabelRule::Majority;
  options.blockWindows = 7;  // small blocks: block boundaries must not change anything
  Windower windower(source, options);
  BatchBuilder builder(manifest);
  std::vector<float> values;
  std::vector<std::int64_t> starts, labels;
  std::vector<std::int64_t> shape;
  WindowBlock block;
  Batch batch;
  while (windower.next(block)) {
    if (block.size() == 0) continue;
    builder.build(block, 0, block.size(), batch);
    values.insert(values.end(), batch.values.begin(), batch.values.end());
    shape = batch.shape;
    for (const auto& w : block.windows) {
      starts.push_back(static_cast<std::int64_t>(w.startRow));
      labels.push_back(w.label);
    }
  }
  shape[0] = static_cast<std::int64_t>(starts.size());
  std::filesystem::create_directories(dir);
  io::writeNpy(dir / "batch.npy", io::NpyDType::Float32, shape, values.data());
  io::writeNpy(dir / "start.npy", io::NpyDType::Int64, {static_cast<std::int64_t>(starts.size())},
               starts.data());
  io::writeNpy(dir / "label.npy", io::NpyDType::Int64, {static_cast<std::int64_t>(labels.size())},
               labels.data());
  std::ofstream(dir / "skipped.json") << nlohmann::json{
      {"gap", windower.skipped().gapWindows},
      {"nan", windower.skipped().nanWindows}}.dump();
  nlohmann::json config = {{"layout", c.layout},
                           {"shape", c.shape},
                           {"devices", windower.deviceIndices().size() == 1 && c.devices.empty()
                                           ? std::vector<std::string>{"collar"}
                                           : c.devices},
                           {"channel_order", c.channelOrder},
                           {"mean", manifestJson["normalization"]["mean"]},
                           {"std", manifestJson["normalization"]["std"]},
                           {"applied_by", c.appliedBy},
                           {"stride", c.stride},
                           {"label_rule", c.labelRule},
                           {"window_length", manifest.input.windowLength}};
  std::ofstream(dir / "config.json") << config.dump();
  const auto result = test::runCommand(
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/window_peer.py").string()) + " " +
      test::shellQuote(sessionPath.string()) + " " + test::shellQuote(dir.string()));
  EXPECT_EQ(result.exitCode, 0) << c.layout << "\n" << result.output << result.errors;
  EXPECT_NE(result.output.find("OK"), std::string::npos) << result.output;
  EXPECT_GT(windower.skipped().gapWindows, 0u);
  EXPECT_GT(windower.skipped().nanWindows, 0u);
}

TEST(WindowerPeer, WindowsNormalizationAndLayoutsMatchNumpyExactly) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto sessionPath = dir / "session.h5";
  saveSession(makeSession(), sessionPath);
  const std::vector<std::string> contract = {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"};
  const std::vector<std::string> permuted = {"gx", "gy", "gz", "ax", "ay", "az", "mz", "my", "mx"};
  runCase(sessionPath, dir / "nchw",
          {"NCHW_devices", {1, 9, 2, 100}, {"harness", "collar"}, permuted, 50, "centre", "host"});
  runCase(sessionPath, dir / "ntc", {"NTC", {1, 100, 9}, {}, contract, 37, "majority", "host"});
  runCase(sessionPath, dir / "folded",
          {"NCHW_time_folded", {1, 9, 2, 50}, {"harness"}, contract, 50, "centre", "host"});
  runCase(
      sessionPath, dir / "nhwc",
      {"NHWC_devices", {1, 2, 100, 9}, {"collar", "harness"}, permuted, 25, "majority", "model"});
}

TEST(Windower, RejectsUnknownDevicesAndBadStrides) {
  const Session session = makeSession();
  InMemorySource source(session);
  WindowerOptions options;
  options.devices = {"phone"};
  try {
    Windower windower(source, options);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("collar, harness"), std::string::npos) << error.what();
  }
  options.devices = {"collar"};
  options.stride = 0;
  EXPECT_THROW(Windower(source, options), Error);
}

TEST(Windower, ReportsSkippedWindowsWithTheirTimes) {
  const Session session = makeSession();
  InMemorySource source(session);
  WindowerOptions options;
  options.devices = {"collar", "harness"};
  Windower windower(source, options);
  WindowBlock block;
  std::size_t accepted = 0;
  while (windower.next(block)) accepted += block.size();
  const auto& skipped = windower.skipped();
  EXPECT_EQ(accepted + skipped.skipped(), windower.candidateCount());
  // Stride 50, length 100: windows starting at 2050 and 2100 contain the step 2100 -> 2101.
  EXPECT_EQ(skipped.gapWindows, 2u);
  ASSERT_FALSE(skipped.firstGapTimes_s.empty());
  EXPECT_DOUBLE_EQ(skipped.firstGapTimes_s[0], 20.5);
  // Row 4321 lies in the windows starting at 4250 and 4300; row 5000 in 4950 and 5000.
  EXPECT_EQ(skipped.nanWindows, 4u);
  EXPECT_NE(skipped.summary().find("straddle time gaps"), std::string::npos);
}

}  // namespace
}  // namespace imuwb
