// Calibration set export against independent numpy/h5py/hashlib: the .npy loads as float32 NHWC
// [N,2,100,9], windows recomputed from the raw session with the manifest's mean/std match, the
// manifest's sha256 is the file's, the histogram covers every class present; a single-class
// session is refused with an error finding; the same seed gives the same file.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "model/ModelBundle.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

class CalibrationSetExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bundle = loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
  }

  CalibrationExportOptions options(const std::string& out) {
    CalibrationExportOptions o;
    o.sessions = {session};
    o.out = dir / out;
    o.seed = 7;
    return o;
  }

  static std::string readAll(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  std::filesystem::path session =
      test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";
  ModelBundle bundle;
  test::TempDir dir;
};

TEST_F(CalibrationSetExportTest, MatchesNumpyRecomputationAndHashlib) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  const auto result = exportCalibrationSet(bundle, options("calib.npy"));
  ASSERT_TRUE(result.written);
  EXPECT_FALSE(hasErrors(result.findings));
  EXPECT_EQ(result.exported, 1024u);

  const std::string indices = " 0 1 17 511 1023";
  const auto run = test::runCommand(
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/calib_check.py").string()) + " " +
      test::shellQuote((dir / "calib.npy").string()) + indices);
  ASSERT_EQ(run.exitCode, 0) << run.errors;
  const auto peer = nlohmann::json::parse(run.output);
  EXPECT_EQ(peer["dtype"], "float32");
  EXPECT_EQ(peer["shape"], nlohmann::json::array({1024, 2, 100, 9}));
  EXPECT_EQ(peer["layout"], "NHWC");
  EXPECT_LE(peer["max_abs_diff"].get<double>(), 1e-5);

  const auto manifest = nlohmann::json::parse(readAll(dir / "calib.npy.json"));
  ASSERT_EQ(manifest["sources"].size(), 1u);
  EXPECT_EQ(manifest["sources"][0]["sha256"], peer["sha256"][session.string()]);
  EXPECT_EQ(manifest["model"]["sha256"], bundle.sha256());
  EXPECT_EQ(manifest["seed"], 7);
  std::vector<std::string> histogramClasses;
  for (const auto& [name, count] : manifest["class_histogram"].items()) {
    histogramClasses.push_back(name);
    EXPECT_GT(count.get<int>(), 0) << name;
  }
  EXPECT_EQ(nlohmann::json(histogramClasses), peer["classes_present"]);
  EXPECT_EQ(manifest["channels"].size(), 9u);
}

TEST_F(CalibrationSetExportTest, SingleClassSessionIsAnErrorAndNotWritten) {
  Session one = loadSession(session);
  one.classes = {"walk"};
  one.labels = {{0.0, static_cast<double>(one.sampleCount()) / one.sampleRateHz + 1.0, "walk"}};
  const auto path = dir / "walk_only.h5";
  saveSession(one, path);

  auto o = options("single.npy");
  o.sessions = {path};
  const auto refused = exportCalibrationSet(bundle, o);
  ASSERT_TRUE(hasErrors(refused.findings));
  EXPECT_FALSE(refused.written);
  EXPECT_FALSE(std::filesystem::exists(dir / "single.npy"));
  bool single = false;
  for (const auto& f : refused.findings) single |= f.code == "calib_single_class";
  EXPECT_TRUE(single);

  o.force = true;
  const auto forced = exportCalibrationSet(bundle, o);
  EXPECT_TRUE(forced.written);
  EXPECT_TRUE(std::filesystem::exists(dir / "single.npy"));
}

TEST_F(CalibrationSetExportTest, SameSeedSameFileOtherSeedOtherSelection) {
  const auto first = exportCalibrationSet(bundle, options("a.npy"));
  const auto second = exportCalibrationSet(bundle, options("b.npy"));
  auto other = options("c.npy");
  other.seed = 8;
  exportCalibrationSet(bundle, other);
  EXPECT_EQ(readAll(dir / "a.npy"), readAll(dir / "b.npy"));
  EXPECT_NE(readAll(dir / "a.npy"), readAll(dir / "c.npy"));
  EXPECT_EQ(first.classHistogram, second.classHistogram);
}

TEST_F(CalibrationSetExportTest, FewWindowsWarnsAndRareClassesWarn) {
  auto o = options("small.npy");
  o.windows = 200;
  const auto result = exportCalibrationSet(bundle, o);
  EXPECT_EQ(result.exported, 200u);
  bool fewWarning = false;
  for (const auto& f : result.findings)
    fewWarning |= f.code == "calib_too_few_windows" && f.severity == Severity::Warning;
  EXPECT_TRUE(fewWarning);
  // Stratified: every class present in the session keeps at least one window.
  const auto full = exportCalibrationSet(bundle, options("full.npy"));
  EXPECT_EQ(result.classHistogram.size(), full.classHistogram.size());
  for (const auto& [name, count] : result.classHistogram) {
    if (count * 50 < result.exported) {
      bool warned = false;
      for (const auto& f : result.findings)
        warned |= f.code == "calib_rare_class" && f.subject == name;
      EXPECT_TRUE(warned) << name;
    }
  }
}

TEST_F(CalibrationSetExportTest, ModelLayoutUsesTheManifestShape) {
  auto o = options("model.npy");
  o.layout = CalibrationLayout::Model;
  o.windows = 64;
  const auto result = exportCalibrationSet(bundle, o);
  EXPECT_EQ(result.shape, (std::vector<std::int64_t>{64, 9, 2, 100}));
}

TEST_F(CalibrationSetExportTest, RejectsBadInputWithErrors) {
  auto o = options("x.npy");
  o.sessions = {dir / "missing.h5"};
  EXPECT_THROW(exportCalibrationSet(bundle, o), Error);
  o = options("x.npy");
  o.stride = 0;
  EXPECT_THROW(exportCalibrationSet(bundle, o), Error);
  o = options("x.npy");
  o.devices = {"collar", "nosuchdevice"};
  EXPECT_THROW(exportCalibrationSet(bundle, o), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
}

}  // namespace
}  // namespace imuwb::quant
