// A calibration plan (what calib-export would take, nothing written) against the independent
// numpy/h5py recomputation (tests/peers/calib_select_peer.py) and against the export itself:
// the selection counts and the per-class candidate histogram are numpy's, the chosen windows'
// histogram is the exported set's (which numpy recovers from the .npy's bytes), the count and
// shape are the .npy's, and the findings are the export's. A selection nothing passes is a
// finding in the plan (the export refuses it), and the plan writes no file.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "io/Npy.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationPlan.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

class CalibrationPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bundle = loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
  }

  CalibrationExportOptions options(const std::string& out) {
    CalibrationExportOptions o;
    o.sessions = {session};
    o.out = dir / out;
    o.seed = 11;
    return o;
  }

  // numpy's view of the exported set for the same selection.
  nlohmann::json peer(const CalibrationExportOptions& o, const CalibrationExportResult& result) {
    nlohmann::json ranges = nlohmann::json::array();
    for (const auto& r : o.selection.ranges)
      ranges.push_back(
          {{"device", r.device}, {"start_s", r.startSeconds}, {"end_s", r.endSeconds}});
    nlohmann::json devices = nlohmann::json::array();
    for (const auto& s : result.manifest["sources"]) devices.push_back(s["devices"]);
    const nlohmann::json config = {{"npy", o.out.string()},
                                   {"sessions", {session.string()}},
                                   {"devices", devices},
                                   {"stride", o.stride},
                                   {"window_length", result.manifest["window_length"]},
                                   {"channel_order", result.manifest["channel_order"]},
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

  static std::vector<std::string> codes(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.code + ":" + f.subject);
    return out;
  }

  void expectPlanIsTheExport(const CalibrationExportOptions& o) {
    const auto plan = planCalibrationSet(bundle, o);
    EXPECT_FALSE(std::filesystem::exists(o.out)) << "a plan writes nothing";
    const auto result = exportCalibrationSet(bundle, o);
    ASSERT_TRUE(result.written);
    const auto p = peer(o, result);
    const auto& c = p["counts"];
    EXPECT_EQ(plan.selection.windows, c["windows"]);
    EXPECT_EQ(plan.selection.candidates, c["candidates"]);
    EXPECT_EQ(plan.selection.outOfRange, c["out_of_range"]);
    EXPECT_EQ(plan.selection.unlabelled, c["unlabelled"]);
    EXPECT_EQ(plan.selection.straddling, c["straddling"]);
    EXPECT_EQ(plan.selection.otherClass, c["other_class"]);
    EXPECT_EQ(nlohmann::json(plan.candidateHistogram), p["candidate_histogram"]);
    EXPECT_EQ(plan.available, p["counts"]["candidates"]);
    EXPECT_EQ(plan.exported, p["exported"]);
    EXPECT_EQ(p["members"], p["exported"]);  // every exported window is a numpy candidate
    EXPECT_EQ(nlohmann::json(plan.classHistogram), p["histogram"]);
    EXPECT_EQ(plan.classHistogram, result.classHistogram);
    EXPECT_EQ(plan.shape, result.shape);
    EXPECT_EQ(plan.shape, io::readNpy(o.out).shape);
    EXPECT_EQ(plan.layout, result.manifest["layout"]);
    EXPECT_EQ(plan.perClass, result.perClass);
    EXPECT_EQ(plan.limitingClasses, result.limitingClasses);
    EXPECT_EQ(codes(plan.findings), codes(result.findings));
  }

  std::filesystem::path session =
      test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";
  ModelBundle bundle;
  test::TempDir dir;
};

TEST_F(CalibrationPlanTest, BalancedRangesAndClassesCountAsNumpyAndAsTheExport) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  auto o = options("balanced.npy");
  o.windows = 400;
  o.selection.ranges = {{"collar", 30, 300}, {"harness", 320.5, 560}};
  o.selection.classes = {"walk", "trot", "stand", "lie_down"};
  o.selection.balance = CalibrationBalance::Classes;
  expectPlanIsTheExport(o);
}

TEST_F(CalibrationPlanTest, StratifiedWholeSessionCountsAsNumpy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  auto o = options("stratified.npy");
  o.windows = 500;
  o.stride = 41;
  expectPlanIsTheExport(o);
}

TEST_F(CalibrationPlanTest, TheModelLayoutsShapeIsTheNpys) {
  auto o = options("model.npy");
  o.windows = 64;
  o.layout = CalibrationLayout::Model;
  const auto plan = planCalibrationSet(bundle, o);
  const auto result = exportCalibrationSet(bundle, o);
  ASSERT_TRUE(result.written);
  EXPECT_EQ(plan.shape, io::readNpy(o.out).shape);
  EXPECT_EQ(plan.layout, result.manifest["layout"]);
  EXPECT_NE(plan.layout, "NHWC");
}

TEST_F(CalibrationPlanTest, NothingSelectedIsAFindingInThePlanAndAnErrorInTheExport) {
  auto o = options("empty.npy");
  o.selection.ranges = {{"collar", 10, 10.5}};  // shorter than one window
  const auto plan = planCalibrationSet(bundle, o);
  EXPECT_EQ(plan.available, 0u);
  EXPECT_EQ(plan.exported, 0u);
  EXPECT_GT(plan.selection.outOfRange, 0u);
  ASSERT_FALSE(plan.findings.empty());
  EXPECT_EQ(plan.findings.back().code, "calib_no_candidates");
  EXPECT_EQ(plan.findings.back().severity, Severity::Error);
  EXPECT_EQ(plan.shape.front(), 0);
  EXPECT_THROW(exportCalibrationSet(bundle, o), Error);
  EXPECT_FALSE(std::filesystem::exists(o.out));
}

}  // namespace
}  // namespace imuwb::quant
