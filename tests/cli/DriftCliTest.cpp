// End-to-end `imuwb drift`: exit codes 0/1/2, the report, and the [0,1] input-range incident.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class DriftCli : public ::testing::Test {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PIPELINE_FIXTURES();
    IMUWB_REQUIRE_PYTHON_PEERS();
    model =
        test::shellQuote((test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx").string());
    const auto made = test::runCommand(
        test::shellQuote(test::pythonPath()) + " -c " +
        test::shellQuote("import numpy as np,sys; r=np.random.default_rng(2); "
                         "np.save(sys.argv[1], r.standard_normal((64,100,9)).astype(np.float32)); "
                         "np.save(sys.argv[2], np.full((8,100,9), np.nan, np.float32))") +
        " " + path("calib.npy") + " " + path("nan.npy"));
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  test::TempDir dir;
  std::string model;
};

TEST_F(DriftCli, CleanModelExitsZeroWithLayersRankedByNodeName) {
  const auto run =
      imuwb("drift --model " + model + " --calib " + path("calib.npy") + " --windows 16 --report " +
            path("d.json") + " --save-params " + path("q.json"));
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  std::ifstream in(dir / "d.json");
  const auto doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc["kind"], "drift");
  const auto& layers = doc["layers"]["layers"];
  ASSERT_GT(layers.size(), 5u);
  std::vector<int> ranks;
  for (const auto& l : layers) {
    ranks.push_back(l["rank"].get<int>());
    EXPECT_FALSE(l["node"].get<std::string>().empty());
    EXPECT_FALSE(l["snr_only_this_layer_db"].empty());
  }
  std::sort(ranks.begin(), ranks.end());
  for (std::size_t i = 0; i < ranks.size(); ++i) EXPECT_EQ(ranks[i], static_cast<int>(i + 1));
  std::ifstream params(dir / "q.json");
  EXPECT_EQ(nlohmann::json::parse(params)["format"], "imuwb-quant-params");
}

TEST_F(DriftCli, ZeroOneInputRangeFlagsClippingAndExitsOne) {
  const auto run =
      imuwb("drift --model " + model + " --calib " + path("calib.npy") +
            " --windows 16 --no-only-layer --input-range 0,1 --report " + path("d.json"));
  EXPECT_EQ(run.exitCode, 1) << run.output << run.errors;
  std::ifstream in(dir / "d.json");
  const auto doc = nlohmann::json::parse(in);
  EXPECT_GT(doc["input_clipping"]["clipped_fraction"].get<double>(), 0.5);
  // The input layer itself is flagged, with a clipping fix rather than "16-bit".
  const auto& input = doc["layers"]["layers"][0];
  EXPECT_EQ(input["op"], "input");
  EXPECT_TRUE(input["flagged"].get<bool>());
  EXPECT_NE(input["suggestion"].get<std::string>().find("clip"), std::string::npos);
}

TEST_F(DriftCli, UsageAndInputErrorsExitTwo) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"missing --calib", "drift --model " + model + " --report " + path("d.json")},
      {"NaN calibration",
       "drift --model " + model + " --calib " + path("nan.npy") + " --report " + path("d.json")},
      {"missing calibration file",
       "drift --model " + model + " --calib " + path("nope.npy") + " --report " + path("d.json")},
      {"bad bits", "drift --model " + model + " --calib " + path("calib.npy") +
                       " --bits 40 --report " + path("d.json")},
      {"bad range", "drift --model " + model + " --calib " + path("calib.npy") +
                        " --range kl --report " + path("d.json")},
      {"bad clip override", "drift --model " + model + " --calib " + path("calib.npy") +
                                " --clip conv=5 --report " + path("d.json")},
  };
  for (const auto& [what, arguments] : cases) {
    const auto run = imuwb(arguments);
    EXPECT_EQ(run.exitCode, 2) << what << "\n" << run.output << run.errors;
  }
}

}  // namespace
}  // namespace imuwb
