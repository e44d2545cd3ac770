// Windowing, normalization and layouts, exact against an independent numpy implementation
// (tests/peers/window_peer.py) reading the same session file with h5py.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "core/pipeline/WindowPeer.hpp"
#include "pipeline/BatchBuilder.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/Windower.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

// Two devices, 6000 rows, a 0.7 s time gap after row 2100, a NaN in the harness at row 4321, an
// Inf in the collar at row 5000, labels covering part of the session (some windows unlabelled).
Session makeSession() {
  test::SyntheticSessionSpec spec;
  spec.rows = 6000;
  spec.seed = 5;
  spec.gapAfterRow = 2100;
  spec.gap_s = 0.7;
  spec.nanRow = 4321;
  spec.nanChannel = 4;
  spec.infRow = 5000;
  spec.labels = {
      {0.0, 12.34, "walk"}, {12.34, 20.0, "stand"}, {20.0, 33.3, "trot"}, {40.0, 55.55, "walk"}};
  return test::makeSyntheticSession(spec);
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
  const bool devicesLayout = c.layout == "NCHW_devices" || c.layout == "NHWC_devices";
  const auto manifestJson = test::peerManifestJson(
      "peer", c.layout, c.shape, devicesLayout ? c.devices : std::vector<std::string>{},
      c.channelOrder, c.appliedBy);
  const Manifest manifest = parseManifest(manifestJson, "peer.json");

  FileSource source(sessionPath);
  WindowerOptions options;
  options.windowLength = manifest.input.windowLength;
  options.channels = manifest.input.channelCount();
  options.stride = c.stride;
  options.devices = c.devices;
  options.labelRule = c.labelRule == "centre" ? LabelRule::CentreSample : LabelRule::Majority;
  options.blockWindows = 7;  // small blocks: block boundaries must not change anything
  Windower windower(source, options);
  BatchBuilder builder(manifest);
  test::WindowCut cut;
  WindowBlock block;
  Batch batch;
  while (windower.next(block)) {
    if (block.size() == 0) continue;
    builder.build(block, 0, block.size(), batch);
    cut.values.insert(cut.values.end(), batch.values.begin(), batch.values.end());
    cut.shape = batch.shape;
    for (const auto& w : block.windows) {
      cut.starts.push_back(static_cast<std::int64_t>(w.startRow));
      cut.labels.push_back(w.label);
      cut.mixed.push_back(w.mixedLabels ? 1 : 0);
    }
  }
  cut.shape[0] = static_cast<std::int64_t>(cut.starts.size());
  cut.gapWindows = windower.skipped().gapWindows;
  cut.nanWindows = windower.skipped().nanWindows;
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
  test::expectWindowPeerAgrees(sessionPath, dir, cut, config);
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

// Models without a magnetometer take ax..gz in any order, from 9-axis devices (whose mx my mz
// are ignored, an Inf there included) and from 6-axis devices alike.
TEST(WindowerPeer, SixChannelModelsMatchNumpyOnNineAndSixAxisSessions) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  Session nine = makeSession();
  saveSession(nine, dir / "nine.h5");
  Session six = nine;
  for (auto& device : six.devices) {
    std::vector<float> rows;
    for (std::size_t r = 0; r < device.sampleCount(); ++r)
      for (int c = 0; c < 6; ++c) rows.push_back(device.at(r, c));
    device.samples = rows;
    device.channels = 6;
  }
  saveSession(six, dir / "six.h5");
  const std::vector<std::string> reversed = {"gz", "gy", "gx", "az", "ay", "ax"};
  const std::vector<std::string> contract = {"ax", "ay", "az", "gx", "gy", "gz"};
  for (const auto& name : {"nine", "six"}) {
    const auto sessionPath = dir / (std::string(name) + ".h5");
    runCase(
        sessionPath, dir / name / "nchw",
        {"NCHW_devices", {1, 6, 2, 100}, {"collar", "harness"}, reversed, 50, "centre", "host"});
    runCase(sessionPath, dir / name / "ntc",
            {"NTC", {1, 100, 6}, {"harness"}, contract, 40, "majority", "host"});
    runCase(sessionPath, dir / name / "folded",
            {"NCHW_time_folded", {1, 6, 4, 25}, {"harness"}, reversed, 50, "centre", "model"});
  }
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
