// The coverage check against numpy (tests/peers/calib_coverage_peer.py): on a session with
// injected out-of-range values (and a NaN), per channel the samples, below and above counts are
// numpy's, per session/device/channel the outside counts, span counts and first spans are
// numpy's; the warning names the channels above the threshold; reading in small chunks gives the
// same answer (spans cross chunk boundaries); a set without its manifest is read as raw
// [..., C]; a file that is not an .npy is an error.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationCoverage.hpp"
#include "quant/CalibrationSetExport.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

class CalibrationCoverageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PYTHON_PEERS();
    const auto bundle = loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
    CalibrationExportOptions o;
    o.sessions = {session};
    o.out = dir / "calib.npy";
    o.windows = 1024;
    exportCalibrationSet(bundle, o);
    // A copy with spikes on collar az (two runs, one across row 65536's chunk edge in small
    // chunks too), harness gx below range, and a NaN that must not count.
    const auto made = python(
        "import shutil,sys,h5py; shutil.copy(sys.argv[1], sys.argv[2]); "
        "f=h5py.File(sys.argv[2],'r+'); c=f['devices/collar/imu']; h=f['devices/harness/imu']; "
        "c[1000:1040,2]=500.0; c[20990:21010,2]=-400.0; c[30000,2]=float('nan'); "
        "h[45000:45300,3]=-60.0; f.close()",
        {session.string(), spiked.string()});
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }

  static test::ProcessResult python(const std::string& code, const std::vector<std::string>& args) {
    std::string line = test::shellQuote(test::pythonPath()) + " -c " + test::shellQuote(code);
    for (const auto& a : args) line += " " + test::shellQuote(a);
    return test::runCommand(line);
  }

  nlohmann::json peer(const std::filesystem::path& npy, std::size_t spans,
                      const std::vector<std::filesystem::path>& sessions) {
    std::string args;
    for (const auto& s : sessions) args += " " + test::shellQuote(s.string());
    const auto run = test::runCommand(
        test::shellQuote(test::pythonPath()) + " " +
        test::shellQuote((test::sourceDir() / "tests/peers/calib_coverage_peer.py").string()) +
        " " + test::shellQuote(npy.string()) + " " + std::to_string(spans) + args);
    EXPECT_EQ(run.exitCode, 0) << run.errors;
    return nlohmann::json::parse(run.output);
  }

  static void expectMatches(const CoverageResult& r, const nlohmann::json& p) {
    ASSERT_EQ(r.channels.size(), p["channels"].size());
    for (std::size_t c = 0; c < r.channels.size(); ++c) {
      const auto& theirs = p["channels"][c];
      EXPECT_EQ(r.channels[c].name, theirs["name"]);
      EXPECT_EQ(r.channels[c].min, theirs["min"].get<double>());
      EXPECT_EQ(r.channels[c].max, theirs["max"].get<double>());
      EXPECT_EQ(r.channels[c].samples, theirs["samples"]) << c;
      EXPECT_EQ(r.channels[c].below, theirs["below"]) << c;
      EXPECT_EQ(r.channels[c].above, theirs["above"]) << c;
    }
    ASSERT_EQ(r.details.size(), p["outside"].size());
    for (const auto& theirs : p["outside"]) {
      const OutsideDetail* ours = nullptr;
      for (const auto& d : r.details)
        if (d.session == theirs["session"] && d.device == theirs["device"] &&
            d.channel == theirs["channel"])
          ours = &d;
      ASSERT_NE(ours, nullptr) << theirs.dump();
      EXPECT_EQ(ours->samples, theirs["samples"]);
      EXPECT_EQ(ours->outside, theirs["outside"]);
      EXPECT_EQ(ours->spans, theirs["spans"]);
      ASSERT_EQ(ours->firstSpans.size(), theirs["first_spans"].size());
      for (std::size_t k = 0; k < ours->firstSpans.size(); ++k) {
        EXPECT_NEAR(ours->firstSpans[k].start_s, theirs["first_spans"][k][0].get<double>(), 1e-9);
        EXPECT_NEAR(ours->firstSpans[k].end_s, theirs["first_spans"][k][1].get<double>(), 1e-9);
      }
    }
  }

  std::filesystem::path session =
      test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";
  test::TempDir dir;
  std::filesystem::path spiked = dir / "spiked.h5";
};

TEST_F(CalibrationCoverageTest, CountsAndSpansMatchNumpyAndWarnAboveTheThreshold) {
  CoverageOptions o;
  o.calibrationSet = dir / "calib.npy";
  o.sessions = {session, spiked};
  o.maxOutside = 0.02;
  o.reportSpans = 3;
  const auto result = checkCalibrationCoverage(o);
  EXPECT_EQ(result.values, "normalized");
  EXPECT_EQ(result.layout, "NHWC");
  expectMatches(result, peer(o.calibrationSet, 3, o.sessions));
  // Warned exactly where the fraction is above the threshold, and the finding names the times.
  for (const auto& c : result.channels) {
    const double fraction = static_cast<double>(c.below + c.above) / c.samples;
    EXPECT_EQ(c.warned, fraction > 0.02) << c.name;
    bool named = false;
    for (const auto& f : result.findings)
      named |= f.code == "calib_coverage" && f.subject == c.name;
    EXPECT_EQ(named, c.warned) << c.name;
  }
  // The injected runs are found where they were put (collar az at 10.00-10.40 s).
  bool found = false;
  for (const auto& d : result.details)
    if (d.session == 1 && d.device == "collar" && d.channel == "az")
      for (const auto& span : d.firstSpans)
        found |= std::abs(span.start_s - 10.0) < 1e-9 && std::abs(span.end_s - 10.4) < 1e-9;
  EXPECT_TRUE(found);
}

TEST_F(CalibrationCoverageTest, SmallChunksGiveTheSameAnswer) {
  CoverageOptions o;
  o.calibrationSet = dir / "calib.npy";
  o.sessions = {spiked};
  const auto whole = checkCalibrationCoverage(o);
  o.chunkRows = 7;  // spans cross chunk edges
  const auto chunked = checkCalibrationCoverage(o);
  EXPECT_EQ(coverageJson(whole), coverageJson(chunked));
}

TEST_F(CalibrationCoverageTest, WithoutManifestTheSetIsRawContractOrder) {
  std::filesystem::copy_file(dir / "calib.npy", dir / "bare.npy");
  CoverageOptions o;
  o.calibrationSet = dir / "bare.npy";
  o.sessions = {spiked};
  const auto result = checkCalibrationCoverage(o);
  EXPECT_EQ(result.values, "raw");
  EXPECT_TRUE(result.manifestPath.empty());
  expectMatches(result, peer(o.calibrationSet, o.reportSpans, o.sessions));
}

TEST_F(CalibrationCoverageTest, RefusesFilesThatAreNotSets) {
  CoverageOptions o;
  o.calibrationSet = spiked;  // an HDF5 file
  o.sessions = {session};
  try {
    checkCalibrationCoverage(o);
    ADD_FAILURE() << "an .h5 was read as a set";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("spiked.h5"), std::string::npos) << e.what();
  }
  o.calibrationSet = dir / "calib.npy";
  o.maxOutside = 2;
  EXPECT_THROW(checkCalibrationCoverage(o), Error);
}

}  // namespace
}  // namespace imuwb::quant
