// The window feed: its batches are exactly what an independent numpy windowing
// (tests/peers/window_peer.py, reading the same file with h5py) cuts, and its contract checks
// (sample rate, devices, channels) fire once, with the file, the place and the fix.
#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <random>

#include "common/Error.hpp"
#include "core/pipeline/WindowPeer.hpp"
#include "pipeline/WindowFeed.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

const std::vector<std::string> kContract = {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"};
const std::vector<std::string> kPermuted = {"gx", "gy", "gz", "ax", "ay", "az", "mz", "my", "mx"};

// Two devices, 4000 rows at 100 Hz, a 0.5 s gap after row 1500, a NaN in the harness at row
// 3210, an Inf in the collar at row 2600, labels over part of the session.
Session makeSession(double rateHz = 100) {
  test::SyntheticSessionSpec spec;
  spec.rateHz = rateHz;
  spec.labels = {{0.0, 9.87, "walk"}, {9.87, 16.0, "stand"}, {22.0, 38.5, "trot"}};
  return test::makeSyntheticSession(spec);
}

nlohmann::json manifestJson(const std::string& layout, const std::vector<std::int64_t>& shape,
                            const std::vector<std::string>& devices,
                            const std::vector<std::string>& channelOrder, double rateHz = 100) {
  return test::peerManifestJson("feed", layout, shape, devices, channelOrder, "host", rateHz);
}

ModelBundle bundleFrom(const nlohmann::json& json) {
  ModelBundle bundle;
  bundle.manifestPath = "feed.json";
  bundle.manifest = parseManifest(json, bundle.manifestPath);
  return bundle;
}

struct PeerCase {
  std::string name;
  nlohmann::json manifest;
  FeedLayout feedLayout = FeedLayout::Model;
  std::string peerLayout;  // what the peer lays out: the manifest's, or NHWC_devices
  int stride = 50;
  LabelRule rule = LabelRule::CentreSample;
  std::size_t batchWindows = 256;
  std::vector<std::size_t> limits;  // next() limits to cycle through (empty = default)
};

// Runs the feed over the file, writes what it cut, and asks the numpy peer to recut it.
void expectPeerAgrees(const std::filesystem::path& sessionPath, const std::filesystem::path& dir,
                      const PeerCase& c) {
  SCOPED_TRACE(c.name);
  const ModelBundle bundle = bundleFrom(c.manifest);
  FileSource source(sessionPath);
  WindowFeedOptions options;
  options.stride = c.stride;
  options.labelRule = c.rule;
  options.layout = c.feedLayout;
  options.batchWindows = c.batchWindows;
  WindowFeed feed(bundle, source, options);
  test::WindowCut cut;
  FeedBatch fed;
  std::size_t call = 0;
  while (feed.next(fed, c.limits.empty() ? 0 : c.limits[call++ % c.limits.size()])) {
    ASSERT_EQ(fed.batch.windowCount(), fed.size());
    cut.values.insert(cut.values.end(), fed.batch.values.begin(), fed.batch.values.end());
    cut.shape = fed.batch.shape;
    for (const auto& w : fed.windows) {
      cut.starts.push_back(static_cast<std::int64_t>(w.startRow));
      cut.labels.push_back(w.label);
      // Window times come from the session's clock: no window straddles the gap.
      EXPECT_NEAR(w.endTime_s - w.startTime_s, bundle.manifest.input.windowLength / 100.0, 1e-9);
    }
  }
  ASSERT_FALSE(cut.starts.empty());
  cut.shape[0] = static_cast<std::int64_t>(cut.starts.size());
  EXPECT_EQ(feed.accepted(), cut.starts.size());
  cut.gapWindows = feed.skippedTotal().gapWindows;
  cut.nanWindows = feed.skippedTotal().nanWindows;
  std::vector<std::int64_t> peerShape = c.manifest["input"]["shape"];
  if (c.peerLayout == "NHWC_devices" && c.manifest["input"]["layout"] == "NCHW_devices")
    peerShape = {1, peerShape[2], peerShape[3], peerShape[1]};
  nlohmann::json config = {
      {"layout", c.peerLayout},
      {"shape", peerShape},
      {"devices", feed.devices()},
      {"channel_order", c.manifest["input"]["channel_order"]},
      {"mean", c.manifest["normalization"]["mean"]},
      {"std", c.manifest["normalization"]["std"]},
      {"applied_by", "host"},
      {"stride", c.stride},
      {"label_rule", c.rule == LabelRule::CentreSample ? "centre" : "majority"},
      {"window_length", bundle.manifest.input.windowLength}};
  test::expectWindowPeerAgrees(sessionPath, dir, cut, config);
  // The skipped-window report is a finding with the first skipped time.
  const auto findings = feed.findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "windows_skipped");
  EXPECT_EQ(findings[0].severity, Severity::Warning);
}

TEST(WindowFeed, BatchesEqualTheNumpyPeerForEveryLayout) {
  ASSERT_TRUE(test::havePythonPeers()) << "python3 with numpy+h5py is required (bootstrap)";
  test::TempDir dir;
  const auto sessionPath = dir / "session.h5";
  saveSession(makeSession(), sessionPath);
  const auto nchw = manifestJson("NCHW_devices", {1, 9, 2, 100}, {"harness", "collar"}, kPermuted);
  expectPeerAgrees(sessionPath, dir / "nchw", {"nchw", nchw, FeedLayout::Model, "NCHW_devices"});
  // The same model fed in Hailo's canonical layout (calibration sets) is the peer's NHWC.
  expectPeerAgrees(sessionPath, dir / "canonical",
                   {"canonical", nchw, FeedLayout::CanonicalNhwc, "NHWC_devices", 25});
  expectPeerAgrees(sessionPath, dir / "ntc",
                   {"ntc",
                    manifestJson("NTC", {1, 100, 9}, {}, kContract),
                    FeedLayout::Model,
                    "NTC",
                    37,
                    LabelRule::Majority,
                    5,
                    {3, 1, 0, 7}});
  expectPeerAgrees(sessionPath, dir / "folded",
                   {"folded", manifestJson("NCHW_time_folded", {1, 9, 2, 50}, {}, kContract),
                    FeedLayout::Model, "NCHW_time_folded", 50, LabelRule::CentreSample, 4});
}

std::string errorText(const Error& error) {
  return error.where() + " | " + error.problem() + " | " + error.fix();
}

TEST(WindowFeed, ASessionAtAnotherRateIsRefusedWithFilePlaceAndFix) {
  test::TempDir dir;
  const auto sessionPath = dir / "fast.h5";
  saveSession(makeSession(100), sessionPath);
  FileSource source(sessionPath);
  const ModelBundle bundle =
      bundleFrom(manifestJson("NTC", {1, 100, 9}, {}, kContract, /*rateHz=*/50));
  try {
    WindowFeed feed(bundle, source, {});
    FAIL() << "a 100 Hz session fed a 50 Hz model";
  } catch (const Error& error) {
    const std::string text = errorText(error);
    EXPECT_NE(error.where().find(sessionPath.string()), std::string::npos) << text;
    EXPECT_NE(error.where().find("sample_rate_hz"), std::string::npos) << text;
    EXPECT_NE(error.problem().find("sampled at 100 Hz"), std::string::npos) << text;
    EXPECT_NE(error.problem().find("expects 50 Hz"), std::string::npos) << text;
    EXPECT_NE(error.problem().find("feed.json: input.sample_rate_hz"), std::string::npos) << text;
    EXPECT_NE(error.fix().find("resample"), std::string::npos) << text;
  }
}

TEST(WindowFeed, OneDeviceRuleForNamedMissingAndChosenDevices) {
  const Session session = makeSession();
  InMemorySource source(session);
  const auto named = manifestJson("NCHW_devices", {1, 9, 2, 100}, {"phone", "collar"}, kContract);
  const ModelBundle bundle = bundleFrom(named);

  // The model's devices are not all in the session: refused, naming what the session has.
  try {
    WindowFeed feed(bundle, source, {});
    FAIL() << "missing device accepted";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("'phone'"), std::string::npos) << errorText(error);
    EXPECT_NE(error.problem().find("collar, harness"), std::string::npos) << errorText(error);
    EXPECT_NE(error.fix().find("--devices"), std::string::npos) << errorText(error);
  }
  // ... unless the caller asks for the fallback: session order, and a finding says so.
  WindowFeedOptions fallback;
  fallback.fallbackToSessionOrder = true;
  WindowFeed fell(bundle, source, fallback);
  EXPECT_EQ(fell.devices(), (std::vector<std::string>{"collar", "harness"}));
  EXPECT_NE(fell.deviceNote().find("phone, collar"), std::string::npos) << fell.deviceNote();
  const auto findings = fell.findings();
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].code, "devices_fallback");

  // An explicit choice is used as given, and must exist.
  WindowFeedOptions chosen;
  chosen.devices = {"harness", "collar"};
  EXPECT_EQ(WindowFeed(bundle, source, chosen).devices(), chosen.devices);
  chosen.devices = {"harness", "phone"};
  EXPECT_THROW(WindowFeed(bundle, source, chosen), Error);
  chosen.devices = {"harness"};  // one device for a two-device H axis
  EXPECT_THROW(WindowFeed(bundle, source, chosen), Error);

  // A single-device model without names takes the first device, silently.
  WindowFeed single(bundleFrom(manifestJson("NTC", {1, 100, 9}, {}, kContract)), source, {});
  EXPECT_EQ(single.devices(), (std::vector<std::string>{"collar"}));
  EXPECT_TRUE(single.deviceNote().empty());
}

TEST(WindowFeed, ABareModelOrOneWithoutNineChannelsIsRefused) {
  const Session session = makeSession();
  InMemorySource source(session);
  ModelBundle bare = bundleFrom(manifestJson("NTC", {1, 100, 9}, {}, kContract));
  bare.onnxPath = "bare.onnx";
  bare.manifestInferred = true;  // no manifest on disk: no normalization, rate or devices
  try {
    WindowFeed feed(bare, source, {});
    FAIL() << "bare model windowed";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), "bare.onnx") << errorText(error);
    EXPECT_NE(error.problem().find("no manifest"), std::string::npos) << errorText(error);
    EXPECT_NE(error.fix().find(".npy"), std::string::npos) << errorText(error);
  }
  // A manifest edited in memory to a 6-axis input (the parser itself refuses one).
  ModelBundle sixAxis = bundleFrom(manifestJson("NTC", {1, 100, 9}, {}, kContract));
  sixAxis.manifest.input.shape = {1, 100, 6};
  try {
    WindowFeed feed(sixAxis, source, {});
    FAIL() << "6-channel model accepted";
  } catch (const Error& error) {
    EXPECT_NE(error.where().find("feed.json: input.shape"), std::string::npos) << errorText(error);
    EXPECT_NE(error.problem().find("[1,100,6]"), std::string::npos) << errorText(error);
  }
}

TEST(WindowFeed, SeveralSessionsJoinEndToEndAndMaxWindowsCountsAcceptedWindows) {
  const Session first = makeSession();
  Session second = makeSession();
  second.sourcePath = "second.h5";
  InMemorySource a(first), b(second);
  const ModelBundle bundle = bundleFrom(manifestJson("NTC", {1, 100, 9}, {}, kContract));
  WindowFeedOptions options;
  options.batchWindows = 16;
  WindowFeed feed(bundle, {&a, &b}, options);
  EXPECT_EQ(feed.candidateCount(), 2u * ((4000 - 100) / 50 + 1));
  std::size_t windows[2] = {0, 0};
  double firstOffsetOfB = -1;
  FeedBatch fed;
  while (feed.next(fed)) {
    ASSERT_LE(fed.size(), 16u);
    windows[fed.source] += fed.size();
    if (fed.source == 1 && firstOffsetOfB < 0) firstOffsetOfB = fed.sourceOffset_s;
  }
  EXPECT_DOUBLE_EQ(feed.progress(), 1.0);
  EXPECT_EQ(windows[0], windows[1]);
  EXPECT_EQ(windows[0] + feed.skipped(0).skipped(), feed.candidateCount() / 2);
  EXPECT_DOUBLE_EQ(firstOffsetOfB, 40.0);  // 4000 rows at 100 Hz
  EXPECT_EQ(feed.findings().size(), 2u);   // one skipped-window report per session

  // maxWindows caps accepted windows across sessions, whatever the skips.
  options.maxWindows = windows[0] + 3;
  WindowFeed capped(bundle, {&a, &b}, options);
  std::size_t total = 0, fromB = 0;
  while (capped.next(fed)) {
    total += fed.size();
    if (fed.source == 1) fromB += fed.size();
  }
  EXPECT_EQ(total, windows[0] + 3);
  EXPECT_EQ(fromB, 3u);
}

TEST(WindowFeed, AScanGivesWindowsWithoutSamples) {
  const Session session = makeSession();
  InMemorySource source(session);
  const ModelBundle bundle = bundleFrom(manifestJson("NTC", {1, 100, 9}, {}, kContract));
  WindowFeedOptions options;
  options.buildBatches = false;
  WindowFeed feed(bundle, source, options);
  FeedBatch fed;
  std::size_t labelled = 0, total = 0;
  while (feed.next(fed)) {
    EXPECT_TRUE(fed.batch.values.empty());
    total += fed.size();
    for (const auto& w : fed.windows) labelled += w.label >= 0;
  }
  EXPECT_EQ(total, feed.accepted());
  EXPECT_GT(labelled, 0u);
  EXPECT_LT(labelled, total);  // part of the session is unlabelled
}

}  // namespace
}  // namespace imuwb
