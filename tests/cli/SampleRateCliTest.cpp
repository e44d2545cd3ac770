// The sample-rate rule holds in every command that cuts windows: a model trained at 50 Hz fed a
// 100 Hz session is an input error (exit 2) naming the session, both rates and the fix, in
// parity, drift, calib-export and check alike (the window feed checks it once for all of them).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class SampleRateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto sample = test::sourceDir() / "samples/models/dog_behavior_conv2d";
    ASSERT_TRUE(std::filesystem::exists(sample / "manifest.json")) << "the sample model ships";
    ASSERT_TRUE(test::havePythonPeers()) << "python3 with numpy is required (bootstrap)";
    // The sample model, declared as trained at 50 Hz.
    std::filesystem::create_directories(dir / "model50");
    std::filesystem::copy_file(sample / "model.onnx", dir / "model50/model.onnx");
    std::ifstream in(sample / "manifest.json");
    auto manifest = nlohmann::json::parse(in);
    manifest["input"]["sample_rate_hz"] = 50.0;
    std::ofstream(dir / "model50/manifest.json") << manifest.dump(2);
    const auto made = test::runCommand(
        test::shellQuote(test::pythonPath()) + " -c " +
        test::shellQuote(
            "import numpy as np,sys; r=np.random.default_rng(1); "
            "np.save(sys.argv[1], r.standard_normal((16,9,2,100)).astype(np.float32))") +
        " " + path("calib.npy"));
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  std::string model() { return path("model50"); }
  std::string session() {
    return test::shellQuote(
        (test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5").string());
  }
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  // Exit 2 and one message that says where, what and how to fix it.
  void expectRateError(const std::string& what, const test::ProcessResult& run) {
    SCOPED_TRACE(what);
    EXPECT_EQ(run.exitCode, 2) << run.output << run.errors;
    EXPECT_NE(run.errors.find("dog_10min_collar_harness.h5: sample_rate_hz"), std::string::npos)
        << run.errors;
    EXPECT_NE(run.errors.find("the session is sampled at 100 Hz but the model expects 50 Hz"),
              std::string::npos)
        << run.errors;
    EXPECT_NE(run.errors.find("manifest.json: input.sample_rate_hz"), std::string::npos)
        << run.errors;
    EXPECT_NE(run.errors.find("resample the recording to 50 Hz"), std::string::npos) << run.errors;
  }
  test::TempDir dir;
};

TEST_F(SampleRateCli, ParityRefusesASessionAtAnotherRate) {
  expectRateError("parity", imuwb("parity --model " + model() + " --session " + session() +
                                  " --a cpu --b cpu --report " + path("p.json")));
  EXPECT_FALSE(std::filesystem::exists(dir / "p.json"));
}

TEST_F(SampleRateCli, DriftRefusesASessionAtAnotherRate) {
  expectRateError(
      "drift", imuwb("drift --model " + model() + " --calib " + path("calib.npy") + " --session " +
                     session() + " --windows 4 --report " + path("d.json")));
  EXPECT_FALSE(std::filesystem::exists(dir / "d.json"));
}

TEST_F(SampleRateCli, CalibExportRefusesASessionAtAnotherRate) {
  expectRateError("calib-export", imuwb("calib-export --model " + model() + " --session " +
                                        session() + " --out " + path("c.npy")));
  EXPECT_FALSE(std::filesystem::exists(dir / "c.npy"));
}

TEST_F(SampleRateCli, CheckRefusesASessionAtAnotherRateWithOrWithoutSampleRuns) {
  expectRateError("check", imuwb("check " + model() + " --session " + session()));
  expectRateError("check --no-run", imuwb("check " + model() + " --no-run --session " + session()));
  // The same model without a session still checks (the rate is a property of data).
  const auto alone = imuwb("check " + model());
  EXPECT_EQ(alone.exitCode, 0) << alone.output << alone.errors;
}

TEST_F(SampleRateCli, RunRefusesASessionAtAnotherRate) {
  expectRateError("run", imuwb("run --model " + model() + " --session " + session() + " --out " +
                               path("o.h5")));
}

}  // namespace
}  // namespace imuwb
