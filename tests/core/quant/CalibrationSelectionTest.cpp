// Calibration-set selection against an independent numpy/h5py recomputation
// (tests/peers/calib_select_peer.py): by range and by class the exported window set is exactly the
// set numpy selects (compared as sorted byte strings), with the same exclusion counts; balanced
// sampling gives the same count per class, every window a candidate; the manifest's percentiles
// are numpy.percentile's (linear) of the set and of the raw windows; sources' SHA-256 are
// hashlib's. Malformed ranges, unknown devices and classes, ranges outside the session are errors.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationManifest.hpp"
#include "quant/CalibrationSelection.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

class CalibrationSelectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bundle = loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
  }

  CalibrationExportOptions options(const std::string& out) {
    CalibrationExportOptions o;
    o.sessions = {session};
    o.out = dir / out;
    o.seed = 5;
    return o;
  }

  // Runs the peer on the exported set with the same selection.
  nlohmann::json peer(const CalibrationExportOptions& o, const CalibrationExportResult& result) {
    const auto manifest = result.manifest;
    nlohmann::json ranges = nlohmann::json::array();
    for (const auto& r : o.selection.ranges)
      ranges.push_back(
          {{"device", r.device}, {"start_s", r.startSeconds}, {"end_s", r.endSeconds}});
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& s : manifest["sources"]) devices.push_back(s["devices"]);
    std::vector<std::string> sessions;
    for (const auto& s : o.sessions) sessions.push_back(s.string());
    const nlohmann::json config = {{"npy", o.out.string()},
                                   {"sessions", sessions},
                                   {"devices", devices},
                                   {"stride", o.stride},
                                   {"window_length", manifest["window_length"]},
                                   {"channel_order", manifest["channel_order"]},
                                   {"normalize", bundle.manifest.normalization.present},
                                   {"mean", bundle.manifest.normalization.mean},
                                   {"std", bundle.manifest.normalization.std},
                                   {"ranges", ranges},
                                   {"classes", o.selection.classes},
                                   {"label_filter", o.selection.labelFilter()}};
    const auto configPath = dir / (o.out.filename().string() + ".peer.json");
    std::ofstream(configPath) << config.dump();
    const auto run = test::runCommand(
        test::shellQuote(test::pythonPath()) + " " +
        test::shellQuote((test::sourceDir() / "tests/peers/calib_select_peer.py").string()) + " " +
        test::shellQuote(configPath.string()));
    EXPECT_EQ(run.exitCode, 0) << run.errors;
    return nlohmann::json::parse(run.output);
  }

  static void expectCounts(const SelectionCounts& c, const nlohmann::json& p) {
    EXPECT_EQ(c.windows, p["windows"]);
    EXPECT_EQ(c.candidates, p["candidates"]);
    EXPECT_EQ(c.outOfRange, p["out_of_range"]);
    EXPECT_EQ(c.unlabelled, p["unlabelled"]);
    EXPECT_EQ(c.straddling, p["straddling"]);
    EXPECT_EQ(c.otherClass, p["other_class"]);
  }

  static void expectPercentiles(const nlohmann::json& channels, const nlohmann::json& p) {
    ASSERT_EQ(channels.size(), p["percentiles"].size());
    for (std::size_t c = 0; c < channels.size(); ++c)
      for (std::size_t k = 0; k < kManifestPercentiles.size(); ++k) {
        const double ours = channels[c]["percentiles"][k], theirs = p["percentiles"][c][k];
        const double oursRaw = channels[c]["raw_percentiles"][k],
                     theirsRaw = p["raw_percentiles"][c][k];
        EXPECT_NEAR(ours, theirs, 1e-12 * (1 + std::abs(theirs))) << c << " " << k;
        EXPECT_NEAR(oursRaw, theirsRaw, 1e-12 * (1 + std::abs(theirsRaw))) << c << " " << k;
      }
  }

  std::filesystem::path session =
      test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";
  ModelBundle bundle;
  test::TempDir dir;
};

TEST_F(CalibrationSelectionTest, RangesAndClassesSelectExactlyTheNumpyWindows) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  auto o = options("ranges_classes.npy");
  o.windows = 100000;  // take every candidate: the exported set is the selection
  o.selection.ranges = {{"collar", 60, 240}, {"harness", 300.5, 420}};
  o.selection.classes = {"walk", "trot", "stand", "sit", "lie_down"};
  const auto result = exportCalibrationSet(bundle, o);
  ASSERT_TRUE(result.written);
  const auto p = peer(o, result);
  expectCounts(result.selection, p["counts"]);
  EXPECT_GT(result.selection.outOfRange, 0u);
  EXPECT_GT(result.selection.straddling, 0u);
  EXPECT_GT(result.selection.otherClass, 0u);
  EXPECT_EQ(result.exported, result.selection.candidates);
  EXPECT_TRUE(p["equal_to_candidates"].get<bool>());
  EXPECT_EQ(p["duplicates"], 0);
  EXPECT_EQ(nlohmann::json(result.classHistogram), p["histogram"]);
  expectPercentiles(result.manifest["channels"], p);
  EXPECT_EQ(result.manifest["values"], "normalized");
  EXPECT_EQ(result.manifest["sources"][0]["sha256"], p["sha256"][session.string()]);
  EXPECT_EQ(result.manifest["selection"]["ranges"][1]["start_s"], 300.5);
  EXPECT_EQ(result.manifest["format_version"], kCalibrationManifestVersion);
}

TEST_F(CalibrationSelectionTest, RangesAloneKeepEveryLabelAndMatchNumpy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  auto o = options("ranges.npy");
  o.windows = 100000;
  o.stride = 37;
  o.selection.ranges = {{"collar", 10, 70}, {"collar", 500, 600}};
  const auto result = exportCalibrationSet(bundle, o);
  const auto p = peer(o, result);
  expectCounts(result.selection, p["counts"]);
  EXPECT_EQ(result.selection.straddling + result.selection.unlabelled, 0u);
  EXPECT_TRUE(p["equal_to_candidates"].get<bool>());
  EXPECT_EQ(nlohmann::json(result.classHistogram), p["histogram"]);
}

TEST_F(CalibrationSelectionTest, UnlabelledTimeIsExcludedAndCountedUnderAClassFilter) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  // A copy whose intervals 3 and 10 end 2 s after they start: the rest of each is unlabelled.
  const auto gappy = dir / "gappy.h5";
  const auto made = test::runCommand(
      test::shellQuote(test::pythonPath()) + " -c " +
      test::shellQuote("import shutil,sys,h5py; shutil.copy(sys.argv[1], sys.argv[2]); "
                       "f=h5py.File(sys.argv[2],'r+'); s=f['labels/start_s']; e=f['labels/end_s'];"
                       " e[3]=s[3]+2.0; e[10]=s[10]+2.0; f.close()") +
      " " + test::shellQuote(session.string()) + " " + test::shellQuote(gappy.string()));
  ASSERT_EQ(made.exitCode, 0) << made.errors;
  auto o = options("gappy.npy");
  o.sessions = {gappy};
  o.windows = 100000;
  o.selection.classes = {"walk", "trot", "stand"};
  const auto result = exportCalibrationSet(bundle, o);
  const auto p = peer(o, result);
  expectCounts(result.selection, p["counts"]);
  EXPECT_GT(result.selection.unlabelled, 0u);
  EXPECT_TRUE(p["equal_to_candidates"].get<bool>());
  EXPECT_EQ(nlohmann::json(result.classHistogram), p["histogram"]);
}

TEST_F(CalibrationSelectionTest, BalancedSamplingTakesTheSameCountPerClass) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  auto o = options("balanced.npy");
  o.windows = 600;
  o.selection.balance = CalibrationBalance::Classes;
  const auto result = exportCalibrationSet(bundle, o);
  const auto p = peer(o, result);
  expectCounts(result.selection, p["counts"]);
  EXPECT_EQ(p["members"], result.exported);
  EXPECT_EQ(p["duplicates"], 0);
  EXPECT_EQ(nlohmann::json(result.classHistogram), p["histogram"]);
  // perClass = min(windows / classes, the rarest class's candidates), from numpy's histogram.
  std::size_t rarest = SIZE_MAX;
  std::string rarestName;
  for (const auto& [name, count] : p["candidate_histogram"].items())
    if (count.get<std::size_t>() < rarest) rarest = count, rarestName = name;
  const std::size_t classes = p["candidate_histogram"].size();
  const std::size_t expected = std::min<std::size_t>(o.windows / classes, rarest);
  EXPECT_EQ(result.perClass, expected);
  for (const auto& [name, count] : result.classHistogram) EXPECT_EQ(count, expected) << name;
  if (expected < o.windows / classes) {
    ASSERT_FALSE(result.limitingClasses.empty());
    EXPECT_EQ(result.limitingClasses.front(), rarestName);
    bool reported = false;
    for (const auto& f : result.findings) reported |= f.code == "calib_balance_limited";
    EXPECT_TRUE(reported);
  }
  expectPercentiles(result.manifest["channels"], p);
}

TEST_F(CalibrationSelectionTest, LinearPercentilesFollowNumpyOnSmallCases) {
  // numpy.percentile([1, 2, 3, 4], [0.1, 1, 50, 99, 99.9]) with the default linear method.
  const auto p = linearPercentiles({4, 1, 3, 2}, kManifestPercentiles);
  EXPECT_DOUBLE_EQ(p[0], 1.003);
  EXPECT_DOUBLE_EQ(p[1], 1.03);
  EXPECT_DOUBLE_EQ(p[2], 2.5);
  EXPECT_DOUBLE_EQ(p[3], 3.97);
  EXPECT_DOUBLE_EQ(p[4], 3.997);
  EXPECT_EQ(linearPercentiles({7}, {0.1, 99.9}), (std::vector<double>{7, 7}));
}

TEST_F(CalibrationSelectionTest, ParsesRangesInSecondsAndClockTimes) {
  const auto a = parseCalibrationRange("collar:60-120.5");
  EXPECT_EQ(a.device, "collar");
  EXPECT_EQ(a.startSeconds, 60);
  EXPECT_EQ(a.endSeconds, 120.5);
  const auto b = parseCalibrationRange("harness:1:30-2:00");
  EXPECT_EQ(b.startSeconds, 90);
  EXPECT_EQ(b.endSeconds, 120);
  const auto c = parseCalibrationRange("collar:1:02:03.5-2:00:00");
  EXPECT_EQ(c.startSeconds, 3723.5);
  EXPECT_EQ(c.endSeconds, 7200);
  for (const char* bad : {"collar", ":1-2", "collar:1", "collar:a-2", "collar:1-2-3", "collar:5-5",
                          "collar:9-3", "collar:1:75-2:00", "collar:-1-5", "collar:1.5:00-2:00"}) {
    try {
      parseCalibrationRange(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(e.where().find("--range"), std::string::npos) << bad << ": " << e.what();
    }
  }
  EXPECT_THROW(calibrationBalanceNamed("equal"), Error);
}

TEST_F(CalibrationSelectionTest, RefusesUnknownDevicesClassesAndRangesOutsideTheSession) {
  const auto expectError = [&](CalibrationSelection selection, const std::string& flag,
                               const std::string& named) {
    auto o = options("bad.npy");
    o.selection = std::move(selection);
    try {
      exportCalibrationSet(bundle, o);
      ADD_FAILURE() << flag << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(e.where().find(flag), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.npy"));
  };
  expectError({{{"belt", 0, 10}}, {}, CalibrationBalance::None}, "--range", "collar, harness");
  expectError({{{"collar", 700, 800}}, {}, CalibrationBalance::None}, "--range", "outside");
  expectError({{{"collar", 20, 10}}, {}, CalibrationBalance::None}, "--range", "before the end");
  expectError({{}, {"walk", "fly"}, CalibrationBalance::None}, "--classes", "turn_left");
  // A range reaching past the end is used for its part inside, with a warning.
  auto o = options("clipped.npy");
  o.windows = 64;
  o.selection.ranges = {{"collar", 550, 900}};
  const auto clipped = exportCalibrationSet(bundle, o);
  bool warned = false;
  for (const auto& f : clipped.findings) warned |= f.code == "calib_range_clipped";
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace imuwb::quant
