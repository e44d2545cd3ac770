// `imuwb resample` end to end on a sample session: the output's rate and duration as `info`
// reads them, labels unchanged, provenance recorded, and plain h5py + scipy agreeing with the
// samples; the output-path policy and absurd rates refused with a fix.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class ResampleCli : public ::testing::Test {
 protected:
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  nlohmann::json info(const std::string& file) {
    const auto run = imuwb("--json info " + file);
    EXPECT_EQ(run.exitCode, 0) << run.errors;
    return nlohmann::json::parse(run.output);
  }
  const std::string sample =
      test::shellQuote((test::sourceDir() / "samples/sessions/dog_2min_collar.h5").string());
  test::TempDir dir;
};

TEST_F(ResampleCli, HundredToFiftyKeepsDurationAndLabelsAndH5pyAgrees) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  const auto run = imuwb("resample " + sample + " --rate 50 --out " + path("s50.h5"));
  ASSERT_EQ(run.exitCode, 0) << run.errors;
  EXPECT_NE(run.output.find("up 1 / down 2"), std::string::npos) << run.output;
  const auto before = info(sample), after = info(path("s50.h5"));
  EXPECT_EQ(after.at("sample_rate_hz"), 50.0);
  EXPECT_NEAR(after.at("duration_s").get<double>(), before.at("duration_s").get<double>(),
              1.0 / 50);
  EXPECT_EQ(after.at("sample_count").get<std::size_t>() * 2,
            before.at("sample_count").get<std::size_t>());
  EXPECT_EQ(after.at("labels"), before.at("labels"));
  EXPECT_EQ(after.at("classes"), before.at("classes"));
  const auto& provenance = after.at("metadata").at("resampling");
  EXPECT_EQ(provenance.at("source_rate_hz"), 100.0);
  EXPECT_EQ(provenance.at("target_rate_hz"), 50.0);
  EXPECT_EQ(provenance.at("filter"), "kaiser beta 5, half_len 20");
  EXPECT_EQ(provenance.at("source_sha256").get<std::string>().size(), 64u);
  EXPECT_NE(provenance.at("tool").get<std::string>().find("imuwb"), std::string::npos);

  // Plain h5py reads the output, and scipy's resample_poly of the source's samples matches it.
  const std::string code =
      "import sys, json, h5py, numpy as np, scipy.signal as s\n"
      "src = h5py.File(sys.argv[1], 'r'); out = h5py.File(sys.argv[2], 'r')\n"
      "worst = 0.0\n"
      "for name in src['devices']:\n"
      "    x = src['devices'][name]['imu'][()].astype(np.float64)\n"
      "    y = out['devices'][name]['imu'][()]\n"
      "    ref = s.resample_poly(x, 1, 2, axis=0)\n"
      "    assert y.dtype == np.float32 and y.shape == ref.shape, (y.shape, ref.shape)\n"
      "    peak = np.abs(ref).max(axis=0)\n"
      "    worst = max(worst, float((np.abs(y - ref).max(axis=0) / peak).max()))\n"
      "print(json.dumps({'rate': float(out.attrs['sample_rate_hz']), 'worst': worst}))\n";
  const auto peer = test::runCommand(test::shellQuote(test::pythonPath()) + " -c " +
                                     test::shellQuote(code) + " " + sample + " " + path("s50.h5"));
  ASSERT_EQ(peer.exitCode, 0) << peer.errors;
  const auto seen = nlohmann::json::parse(peer.output);
  EXPECT_EQ(seen.at("rate"), 50.0);
  EXPECT_LT(seen.at("worst").get<double>(), 1e-4);
}

TEST_F(ResampleCli, RefusesItsInputAndAnExistingOutputWithoutForce) {
  const auto ontoInput = imuwb("resample " + sample + " --rate 50 --out " + sample);
  EXPECT_NE(ontoInput.exitCode, 0);
  EXPECT_NE(ontoInput.errors.find("--out"), std::string::npos) << ontoInput.errors;
  ASSERT_EQ(imuwb("resample " + sample + " --rate 50 --out " + path("a.h5")).exitCode, 0);
  const auto again = imuwb("resample " + sample + " --rate 50 --out " + path("a.h5"));
  EXPECT_NE(again.exitCode, 0);
  EXPECT_NE(again.errors.find("--force"), std::string::npos) << again.errors;
  EXPECT_EQ(imuwb("resample " + sample + " --rate 28 --out " + path("a.h5") + " --force").exitCode,
            0);
  EXPECT_EQ(info(path("a.h5")).at("sample_rate_hz"), 28.0);
}

TEST_F(ResampleCli, AnAbsurdRateIsRefusedNamingBothRatesAndAFix) {
  const auto run = imuwb("resample " + sample + " --rate 99.99 --out " + path("x.h5"));
  EXPECT_NE(run.exitCode, 0);
  EXPECT_NE(run.errors.find("100 Hz -> 99.99 Hz"), std::string::npos) << run.errors;
  EXPECT_NE(run.errors.find("choose a target rate"), std::string::npos) << run.errors;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.h5"));
}

// --resample on run: a 50 Hz session runs on the 100 Hz sample model, with the same outputs as a
// run on the session resampled to a file first (on the fly and on disk are one filter).
TEST_F(ResampleCli, RunWithResampleEqualsRunOnAResampledFile) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  const std::string model =
      test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
  const std::string twoDevices = test::shellQuote(
      (test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5").string());
  ASSERT_EQ(imuwb("resample " + twoDevices + " --rate 50 --out " + path("s50.h5")).exitCode, 0);
  const std::string run = "run --model " + model + " --max-windows 300 --session ";
  const auto refused = imuwb(run + path("s50.h5") + " --out " + path("refused.h5"));
  EXPECT_EQ(refused.exitCode, 2) << refused.errors;
  EXPECT_NE(refused.errors.find("sampled at 50 Hz but the model expects 100 Hz"), std::string::npos)
      << refused.errors;
  const auto onTheFly = imuwb(run + path("s50.h5") + " --resample --out " + path("fly.h5"));
  ASSERT_EQ(onTheFly.exitCode, 0) << onTheFly.errors;
  ASSERT_EQ(imuwb("resample " + path("s50.h5") + " --rate 100 --out " + path("s100.h5")).exitCode,
            0);
  const auto onDisk = imuwb(run + path("s100.h5") + " --out " + path("disk.h5"));
  ASSERT_EQ(onDisk.exitCode, 0) << onDisk.errors;
  const std::string code =
      "import sys, h5py, numpy as np\n"
      "a = h5py.File(sys.argv[1], 'r'); b = h5py.File(sys.argv[2], 'r'); names = []\n"
      "a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)\n"
      "for n in names:\n"
      "    x, y = a[n][()], b[n][()]\n"
      "    assert x.shape == y.shape and (x.dtype.kind not in 'fiu' or np.array_equal(x, y)), n\n"
      "print(len(names), a[names[0]].shape[0])\n";
  const auto compared =
      test::runCommand(test::shellQuote(test::pythonPath()) + " -c " + test::shellQuote(code) +
                       " " + path("fly.h5") + " " + path("disk.h5"));
  EXPECT_EQ(compared.exitCode, 0) << compared.errors;
  EXPECT_NE(compared.output.find(" 300"), std::string::npos) << compared.output;
}

// --resample on calib-export, parity, drift and check: the 50 Hz session gives the calibration set
// (bytes), the window count and the check report a file resampled to 100 Hz gives; without it they
// refuse.
TEST_F(ResampleCli, CalibExportParityDriftAndCheckResampleOnTheFly) {
  const std::string model =
      test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
  const std::string twoDevices = test::shellQuote(
      (test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5").string());
  ASSERT_EQ(imuwb("resample " + twoDevices + " --rate 50 --out " + path("s50.h5")).exitCode, 0);
  ASSERT_EQ(imuwb("resample " + path("s50.h5") + " --rate 100 --out " + path("s100.h5")).exitCode,
            0);
  const std::string calib = "calib-export --model " + model + " --windows 64 --seed 5 --session ";
  EXPECT_EQ(imuwb(calib + path("s50.h5") + " --out " + path("refused.npy")).exitCode, 2);
  const auto fly = imuwb(calib + path("s50.h5") + " --resample --out " + path("fly.npy"));
  ASSERT_EQ(fly.exitCode, 0) << fly.errors;
  const auto disk = imuwb(calib + path("s100.h5") + " --out " + path("disk.npy"));
  ASSERT_EQ(disk.exitCode, 0) << disk.errors;
  const auto bytes = [](const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(bytes(dir / "fly.npy"), bytes(dir / "disk.npy"));
  EXPECT_GT(bytes(dir / "fly.npy").size(), 64u * 2 * 100 * 9 * 4);

  const std::string parity = "--json parity --model " + model +
                             " --a cpu --b cpu --no-layers --max-windows 100 --session ";
  EXPECT_EQ(imuwb(parity + path("s50.h5") + " --report " + path("r0.json")).exitCode, 2);
  const auto flyParity = imuwb(parity + path("s50.h5") + " --resample --report " + path("r1.json"));
  ASSERT_EQ(flyParity.exitCode, 0) << flyParity.errors;
  const auto diskParity = imuwb(parity + path("s100.h5") + " --report " + path("r2.json"));
  ASSERT_EQ(diskParity.exitCode, 0) << diskParity.errors;
  const auto a = nlohmann::json::parse(flyParity.output),
             b = nlohmann::json::parse(diskParity.output);
  EXPECT_EQ(a.at("windows"), b.at("windows"));
  EXPECT_EQ(a.at("windows"), 100);

  // drift windows its sessions the same way.
  const std::string drift = "--json drift --model " + model + " --calib " + path("disk.npy") +
                            " --windows 16 --no-only-layer --session ";
  EXPECT_EQ(imuwb(drift + path("s50.h5") + " --report " + path("d0.json")).exitCode, 2);
  const auto flyDrift = imuwb(drift + path("s50.h5") + " --resample --report " + path("d1.json"));
  EXPECT_NE(flyDrift.exitCode, 2) << flyDrift.errors;
  const auto diskDrift = imuwb(drift + path("s100.h5") + " --report " + path("d2.json"));
  EXPECT_EQ(flyDrift.exitCode, diskDrift.exitCode);
  EXPECT_EQ(nlohmann::json::parse(flyDrift.output).at("windows"),
            nlohmann::json::parse(diskDrift.output).at("windows"));

  // check: the rate mismatch is an error whose fix names --resample; with it the check runs.
  const std::string check = "--json check " + model + " --session " + path("s50.h5");
  const auto refused = imuwb(check);
  EXPECT_EQ(refused.exitCode, 2) << refused.output;
  EXPECT_NE(refused.errors.find("--resample, or imuwb resample SESSION --rate 100 --out OUT.h5"),
            std::string::npos)
      << refused.errors;
  const auto checked = imuwb(check + " --resample");
  EXPECT_NE(checked.exitCode, 2) << checked.errors;
  auto fromFly = nlohmann::json::parse(checked.output);
  auto fromDisk = nlohmann::json::parse(
      imuwb("--json check " + model + " --session " + path("s100.h5")).output);
  fromFly.erase("session");  // the file names differ; every statistic and finding is the same
  fromDisk.erase("session");
  EXPECT_EQ(fromFly, fromDisk);
}

}  // namespace
}  // namespace imuwb
