// The path a new user takes with a real logger's file: a raw 200 Hz 6-axis CSV (EuRoC-style
// '#' header with units in brackets, nanosecond timestamps, gyro before accelerometer, no
// magnetometer) goes through `import`, `check` (which fails on the rate and says --resample),
// `resample` and `run` with a 6-channel model. Every number is checked against numpy/scipy:
// the resampled signal against scipy.signal.resample_poly, the model outputs against numpy
// windowing + z-score + the model's own matrix.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "CliFixture.hpp"
#include "core/model/OnnxTestModels.hpp"

namespace imuwb {
namespace {

constexpr const char* kModelText = R"(<ir_version: 7, opset_import: ["" : 11]>
six (float[1,100,6] imu_window) => (float[1,4] y) {
  f = Flatten (imu_window)
  y = MatMul (f, W)
})";

// numpy's version of the whole model path for session rows r (ax..gz first): windows of 100
// at stride 50, the manifest's z-score in float32, Flatten and the MatMul with the weights
// writeOnnxModel stores (0.01 * (i % 7 - 3)). Defines n (windows) and y ([n, 4]).
constexpr const char* kNumpyModel =
    "r=r[:, :6]; n=(len(r)-100)//50+1\n"
    "x=np.stack([r[k*50:k*50+100] for k in range(n)]).astype(np.float32)\n"
    "x=(x-np.array([0.1,0,9.7,0,0,0],np.float32))/np.array([0.6,0.4,0.3,0.2,0.15,0.08],"
    "np.float32)\n"
    "W=(0.01*((np.arange(2400)%7)-3)).astype(np.float32).reshape(600,4)\n"
    "y=x.reshape(n,600).astype(np.float64)@W.astype(np.float64)\n";

class RawRecordingToRun : public test::CliFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::havePythonPeers()) << "python3 with numpy, h5py and scipy is required";
    // 60 s at 200 Hz, as a drone IMU logs it: posture changes, a 3 Hz gait, sensor noise.
    const auto made = python(
        "import numpy as np,sys\n"
        "r=np.random.default_rng(13); n=12000; t=np.arange(n)/200.0\n"
        "acc=np.stack([0.8*np.sin(2*np.pi*0.1*t), 0.5*np.sin(2*np.pi*3*t), "
        "9.7+0.4*np.sin(2*np.pi*3*t+1)],1)+r.normal(0,0.05,(n,3))\n"
        "gyro=np.stack([0.3*np.sin(2*np.pi*1.5*t), 0.2*np.cos(2*np.pi*0.7*t), "
        "0.1*np.sin(2*np.pi*2.5*t)],1)+r.normal(0,0.01,(n,3))\n"
        "ns=1403636579758555392+np.arange(n)*5000000\n"
        "with open(sys.argv[1],'w') as f:\n"
        "  f.write('#timestamp [ns],w_RS_S_x [rad s^-1],w_RS_S_y [rad s^-1],w_RS_S_z [rad s^-1],"
        "a_RS_S_x [m s^-2],a_RS_S_y [m s^-2],a_RS_S_z [m s^-2]\\n')\n"
        "  for i in range(n):\n"
        "    f.write('%d,' % ns[i] + ','.join('%.9g' % v for v in np.r_[gyro[i], acc[i]]) + "
        "'\\n')\n",
        {(dir / "raw.csv").string()});
    ASSERT_EQ(made.exitCode, 0) << made.errors;
    // A 6-channel model: no magnetometer, trained at 100 Hz on one device.
    std::filesystem::create_directories(dir / "model6");
    test::writeOnnxModel(dir / "model6/model.onnx", kModelText, {{"W", {600, 4}}});
    const nlohmann::json manifest = {
        {"format", "imuwb-manifest"},
        {"format_version", 1},
        {"name", "six_axis_probe"},
        {"onnx", "model.onnx"},
        {"input",
         {{"name", "imu_window"},
          {"layout", "NTC"},
          {"shape", {1, 100, 6}},
          {"channel_order", {"ax", "ay", "az", "gx", "gy", "gz"}},
          {"sample_rate_hz", 100.0}}},
        {"normalization",
         {{"applied_by", "host"},
          {"mean", {0.1, 0.0, 9.7, 0.0, 0.0, 0.0}},
          {"std", {0.6, 0.4, 0.3, 0.2, 0.15, 0.08}}}},
        {"outputs", {{{"name", "y"}, {"role", "latent"}, {"size", 4}}}}};
    std::ofstream(dir / "model6/manifest.json") << manifest.dump(2);
  }
};

TEST_F(RawRecordingToRun, ImportCheckResampleRunMatchesNumpyAndScipy) {
  const auto imported = imuwb("import " + path("raw.csv") + " --out " + path("raw.h5"));
  ASSERT_EQ(imported.exitCode, 0) << imported.output << imported.errors;
  EXPECT_NE(imported.errors.find("a 6-axis device"), std::string::npos) << imported.errors;
  const auto info = nlohmann::json::parse(imuwb("info --json " + path("raw.h5")).output);
  EXPECT_EQ(info.at("sample_rate_hz"), 200.0);
  EXPECT_EQ(info.at("device_channels").at("imu"), 6);
  EXPECT_EQ(info.at("sample_count"), 12000);

  // check: the rate is wrong, and the message says how to fix it.
  const auto checked = imuwb("check " + path("model6") + " --session " + path("raw.h5"));
  EXPECT_EQ(checked.exitCode, 2) << checked.output << checked.errors;
  EXPECT_NE(checked.errors.find("the session is sampled at 200 Hz but the model expects 100 Hz"),
            std::string::npos)
      << checked.errors;
  EXPECT_NE(checked.errors.find("--resample"), std::string::npos) << checked.errors;

  const auto resampled =
      imuwb("resample " + path("raw.h5") + " --rate 100 --out " + path("r100.h5"));
  ASSERT_EQ(resampled.exitCode, 0) << resampled.errors;
  const auto checkedAgain = imuwb("check " + path("model6") + " --session " + path("r100.h5"));
  EXPECT_NE(checkedAgain.exitCode, 2) << checkedAgain.output << checkedAgain.errors;

  const auto run = imuwb("run --model " + path("model6") + " --session " + path("r100.h5") +
                         " --out " + path("out.h5"));
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  // --resample on the raw file gives the same windows as the resampled file.
  const auto onTheFly = imuwb("run --model " + path("model6") + " --session " + path("raw.h5") +
                              " --resample --out " + path("fly.h5"));
  ASSERT_EQ(onTheFly.exitCode, 0) << onTheFly.output << onTheFly.errors;

  const auto compared = python(
      "import h5py,sys,numpy as np,scipy.signal as s,json\n"
      "d=sys.argv[1]; raw=h5py.File(d+'/raw.h5')['devices/imu/imu'][()].astype(np.float64)\n"
      "r=h5py.File(d+'/r100.h5')['devices/imu/imu'][()]\n"
      "want=s.resample_poly(raw,1,2,axis=0)\n"
      "resample_err=float((np.abs(r-want).max(0)/np.abs(want).max(0)).max())\n" +
          std::string(kNumpyModel) +
          "out=h5py.File(d+'/out.h5'); got=out['backends/cpu/y'][()]\n"
          "fly=h5py.File(d+'/fly.h5')['backends/cpu/y'][()]\n"
          "print(json.dumps({'resample_err':resample_err,'windows':n,'got':len(got),"
          "'y_err':float(np.abs(got-y).max()/np.abs(y).max()),"
          "'fly_err':float(np.abs(fly-got).max()/np.abs(y).max()),"
          "'starts':out['windows/start_index'][()].tolist()==[k*50 for k in range(n)],"
          "'resampling':json.loads(h5py.File(d+'/fly.h5').attrs['resampling']),"
          "'plain_has_none':'resampling' not in out.attrs}))",
      {dir.path().string()});
  ASSERT_EQ(compared.exitCode, 0) << compared.errors;
  const auto result = nlohmann::json::parse(compared.output);
  EXPECT_LT(result.at("resample_err").get<double>(), 1e-4) << compared.output;
  EXPECT_EQ(result.at("got"), result.at("windows")) << compared.output;
  EXPECT_EQ(result.at("windows"), (6000 - 100) / 50 + 1);
  EXPECT_LT(result.at("y_err").get<double>(), 1e-4) << compared.output;
  EXPECT_LT(result.at("fly_err").get<double>(), 1e-6) << compared.output;
  EXPECT_TRUE(result.at("starts").get<bool>()) << compared.output;
  // The outputs of the --resample run say how they were resampled; the plain run's do not.
  const auto& resampling = result.at("resampling");
  EXPECT_EQ(resampling.at("source_rate_hz"), 200.0);
  EXPECT_EQ(resampling.at("target_rate_hz"), 100.0);
  EXPECT_EQ(resampling.at("up"), 1);
  EXPECT_EQ(resampling.at("down"), 2);
  EXPECT_TRUE(result.at("plain_has_none").get<bool>());
}

TEST_F(RawRecordingToRun, TheSixChannelModelRunsOnANineAxisSessionToo) {
  // A model that does not need the magnetometer takes ax..gz from a 9-axis device.
  ASSERT_EQ(imuwb("generate --duration 30s --devices imu --out " + path("nine.h5")).exitCode, 0);
  const auto run = imuwb("run --model " + path("model6") + " --session " + path("nine.h5") +
                         " --out " + path("o9.h5"));
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  const auto compared = python(
      "import h5py,sys,numpy as np\n"
      "d=sys.argv[1]; r=h5py.File(d+'/nine.h5')['devices/imu/imu'][()]\n" +
          std::string(kNumpyModel) +
          "got=h5py.File(d+'/o9.h5')['backends/cpu/y'][()]\n"
          "print(float(np.abs(got-y).max()/np.abs(y).max()) if got.shape==y.shape else 1e9)",
      {dir.path().string()});
  ASSERT_EQ(compared.exitCode, 0) << compared.errors;
  EXPECT_LT(std::stod(compared.output), 1e-4) << compared.output;
}

}  // namespace
}  // namespace imuwb
