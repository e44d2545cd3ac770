// 6-axis sessions end to end: `generate --no-magnetometer` writes [N,6] devices h5py reads as
// such, `info` says which devices lack a magnetometer, `resample` keeps six columns (equal to
// scipy.signal.resample_poly), and run/check refuse a 9-channel model with one clear message.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "CliFixture.hpp"

namespace imuwb {
namespace {

class SixAxisCli : public test::CliFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::havePythonPeers()) << "python3 with numpy, h5py and scipy is required";
    const auto made = imuwb("generate --duration 60s --rate 200 --no-magnetometer --seed 5 --out " +
                            path("six200.h5"));
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }
  std::string nineChannelModel() {
    return test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
  }
  // Exit 2 and a message naming the device, the missing channels and the fix.
  void expectNoMagnetometerError(const std::string& what, const test::ProcessResult& run) {
    SCOPED_TRACE(what);
    EXPECT_EQ(run.exitCode, 2) << run.output << run.errors;
    EXPECT_NE(run.errors.find("six100.h5 device 'collar'"), std::string::npos) << run.errors;
    EXPECT_NE(run.errors.find("has no magnetometer (mx my mz), which the model's input needs"),
              std::string::npos)
        << run.errors;
    EXPECT_NE(run.errors.find("6 input channels"), std::string::npos) << run.errors;
  }
};

TEST_F(SixAxisCli, GeneratedDevicesHaveSixColumnsThatH5pyReads) {
  const auto read = python(
      "import h5py,sys,json; f=h5py.File(sys.argv[1]); d=f['devices/harness/imu']; "
      "print(json.dumps({'shape': list(d.shape), 'channels': [str(c) for c in "
      "d.attrs['channels']], 'finite': bool(__import__('numpy').isfinite(d[()]).all())}))",
      {(dir / "six200.h5").string()});
  ASSERT_EQ(read.exitCode, 0) << read.errors;
  const auto seen = nlohmann::json::parse(read.output);
  EXPECT_EQ(seen.at("shape"), (std::vector<int>{12000, 6}));
  EXPECT_EQ(seen.at("channels"), (std::vector<std::string>{"ax", "ay", "az", "gx", "gy", "gz"}));
  EXPECT_TRUE(seen.at("finite").get<bool>());

  const auto info = imuwb("info --json " + path("six200.h5"));
  ASSERT_EQ(info.exitCode, 0) << info.errors;
  const auto json = nlohmann::json::parse(info.output);
  EXPECT_EQ(json.at("device_channels").at("collar"), 6);
  EXPECT_EQ(json.at("device_channels").at("harness"), 6);
  bool noted = false;
  for (const auto& finding : json.at("findings"))
    noted |= finding.at("code") == "no_magnetometer" && finding.at("severity") == "info";
  EXPECT_TRUE(noted) << info.output;
  const auto text = imuwb("info " + path("six200.h5"));
  EXPECT_NE(text.output.find("collar: ax ay az [m/s^2]  gx gy gz [rad/s]  (no magnetometer)"),
            std::string::npos)
      << text.output;
}

TEST_F(SixAxisCli, ResampleKeepsSixColumnsAndMatchesScipy) {
  const auto resampled =
      imuwb("resample " + path("six200.h5") + " --rate 100 --out " + path("six100.h5"));
  ASSERT_EQ(resampled.exitCode, 0) << resampled.errors;
  const auto compared = python(
      "import h5py,sys,numpy as np,scipy.signal as s\n"
      "a=h5py.File(sys.argv[1]); b=h5py.File(sys.argv[2]); worst=0\n"
      "for d in ('collar','harness'):\n"
      "  x=a['devices/'+d+'/imu'][()].astype(np.float64); y=b['devices/'+d+'/imu'][()]\n"
      "  assert y.shape[1]==6, y.shape\n"
      "  want=s.resample_poly(x,1,2,axis=0)\n"
      "  assert want.shape==y.shape, (want.shape, y.shape)\n"
      "  worst=max(worst, float((np.abs(y-want).max(axis=0)/np.abs(want).max(axis=0)).max()))\n"
      "print(worst)",
      {(dir / "six200.h5").string(), (dir / "six100.h5").string()});
  ASSERT_EQ(compared.exitCode, 0) << compared.errors;
  EXPECT_LT(std::stod(compared.output), 1e-4) << compared.output;
}

TEST_F(SixAxisCli, RunAndCheckRefuseANineChannelModel) {
  ASSERT_EQ(
      imuwb("resample " + path("six200.h5") + " --rate 100 --out " + path("six100.h5")).exitCode,
      0);
  expectNoMagnetometerError("run", imuwb("run --model " + nineChannelModel() + " --session " +
                                         path("six100.h5") + " --out " + path("o.h5")));
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5"));
  expectNoMagnetometerError(
      "check", imuwb("check " + nineChannelModel() + " --session " + path("six100.h5")));
  expectNoMagnetometerError("calib-export",
                            imuwb("calib-export --model " + nineChannelModel() + " --session " +
                                  path("six100.h5") + " --out " + path("c.npy")));
  EXPECT_FALSE(std::filesystem::exists(dir / "c.npy"));
}

}  // namespace
}  // namespace imuwb
