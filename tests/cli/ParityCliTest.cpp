// End-to-end `imuwb parity`: every exit code path, the reports it writes (schema-validated
// JSON, well-formed JUnit parsed by Python, self-contained HTML), recorded references, and the
// [0,1] input-range incident. Uses the team's real TCN encoder from the pipeline fixtures.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/CliFixture.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class ParityCli : public test::CliFixture {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PIPELINE_FIXTURES();
    IMUWB_REQUIRE_PYTHON_PEERS();
    model = (test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx").string();
    // z-scored windows: calibration set and comparison inputs (NTC [N,100,9]).
    writeRandomNpys(
        1,
        {{"calib.npy", "(128,100,9)"}, {"inputs.npy", "(40,100,9)"}, {"bad_shape.npy", "(4,7)"}});
  }

  std::string base() {
    return "parity --model " + test::shellQuote(model) + " --inputs " + path("inputs.npy") +
           " --calib " + path("calib.npy") + " --report " + path("r.json");
  }

  nlohmann::json report() { return json("r.json"); }

  std::string model;
};

TEST_F(ParityCli, CpuVsInt8PassesAndWritesValidReports) {
  const auto run = imuwb(base() + " --html " + path("r.html") + " --junit " + path("r.xml") +
                         " --layer-windows 16");
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  const auto doc = report();
  EXPECT_TRUE(doc["passed"].get<bool>());
  EXPECT_EQ(doc["windows"], 40);
  EXPECT_EQ(doc["a"]["precision"], "fp32");
  EXPECT_EQ(doc["b"]["precision"], "int8");
  ASSERT_EQ(doc["outputs"].size(), 1u);
  EXPECT_EQ(doc["outputs"][0]["output"], "latent_embeddings");
  EXPECT_GE(doc["outputs"][0]["metrics"]["cosine_mean"].get<double>(), 0.95);
  // Per-layer noise maps to the encoder's ONNX node names.
  ASSERT_FALSE(doc["layers"].is_null());
  bool conv_named = false;
  for (const auto& l : doc["layers"]["layers"])
    conv_named |= l["node"].get<std::string>().find("/tcn_encoder/") == 0;
  EXPECT_TRUE(conv_named);

  const auto schema = test::runCommand(
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/validate_report.py").string()) + " " +
      test::shellQuote((test::sourceDir() / "docs/parity-report.schema.json").string()) + " " +
      path("r.json"));
  EXPECT_EQ(schema.exitCode, 0) << schema.output;
  const auto junit = python(
      "import sys,xml.etree.ElementTree as E; s=E.parse(sys.argv[1]).getroot().find('testsuite');"
      "print(s.get('tests'), s.get('failures'), s.find('testcase').get('classname'))",
      {(dir / "r.xml").string()});
  // The output check plus the input-clipping case (measured, passing).
  EXPECT_EQ(junit.output, "2 0 parity.latent_embeddings\n") << junit.errors;
  std::ifstream html(dir / "r.html");
  const std::string text((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("<svg"), std::string::npos);
  EXPECT_EQ(text.find("<script"), std::string::npos);
}

TEST_F(ParityCli, ZeroOneInputRangeIsCaughtAsInputClipping) {
  const auto run = imuwb(base() + " --no-layers --input-range 0,1 --junit " + path("r.xml"));
  EXPECT_EQ(run.exitCode, 1) << run.output << run.errors;
  const auto doc = report();
  EXPECT_FALSE(doc["passed"].get<bool>());
  ASSERT_FALSE(doc["input_clipping"].is_null());
  // Standard normal data against [0,1]: about 66 % clip.
  EXPECT_NEAR(doc["input_clipping"]["clipped_fraction"].get<double>(), 0.657, 0.03);
  bool finding = false;
  for (const auto& f : doc["findings"]) finding |= f["code"] == "input_clipping";
  EXPECT_TRUE(finding);
  const auto junit = python(
      "import sys,xml.etree.ElementTree as E; s=E.parse(sys.argv[1]).getroot().find('testsuite');"
      "print(s.get('failures'))",
      {(dir / "r.xml").string()});
  EXPECT_EQ(junit.output, "1\n");
}

TEST_F(ParityCli, FailedToleranceExitsOne) {
  const auto run = imuwb(base() + " --no-layers --min-cosine latent_embeddings=0.999999");
  EXPECT_EQ(run.exitCode, 1) << run.output << run.errors;
  const auto doc = report();
  EXPECT_EQ(doc["outputs"][0]["tolerance"]["source"], "flag");
  EXPECT_FALSE(doc["outputs"][0]["checks"][0]["passed"].get<bool>());
}

TEST_F(ParityCli, RecordedReferenceFolderComparesLikeABackend) {
  const auto saved = imuwb("run-model " + test::shellQuote(model) + " --input " +
                           path("inputs.npy") + " --save-outputs " + path("ref"));
  ASSERT_EQ(saved.exitCode, 0) << saved.errors;
  // Our FP32 engine against its own recording: identical, FP32 tolerance from the contract.
  const auto run =
      imuwb("parity --model " + test::shellQuote(model) + " --inputs " + path("inputs.npy") +
            " --reference " + path("ref") + " --b cpu --report " + path("r.json"));
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  const auto doc = report();
  EXPECT_EQ(doc["a"]["kind"], "recorded");
  EXPECT_NEAR(doc["outputs"][0]["metrics"]["cosine_min"].get<double>(), 1.0, 1e-6);
  EXPECT_DOUBLE_EQ(doc["outputs"][0]["tolerance"]["min_cosine"].get<double>(), 0.99);
  // A recording shorter than the inputs is an input error.
  const auto cut = python(
      "import numpy as np,sys; p=sys.argv[1]+'/ref/latent_embeddings.npy'; "
      "np.save(p, np.load(p)[:10])",
      {dir.path().string()});
  ASSERT_EQ(cut.exitCode, 0) << cut.errors;
  const auto short_run =
      imuwb("parity --model " + test::shellQuote(model) + " --inputs " + path("inputs.npy") +
            " --reference " + path("ref") + " --b cpu --report " + path("r2.json"));
  EXPECT_EQ(short_run.exitCode, 2) << short_run.output;
  EXPECT_NE(short_run.errors.find("10 windows"), std::string::npos) << short_run.errors;
}

TEST_F(ParityCli, UsageAndInputErrorsExitTwo) {
  const std::string m = " --model " + test::shellQuote(model);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"missing --report", "parity" + m + " --inputs " + path("inputs.npy")},
      {"no windows source",
       "parity" + m + " --calib " + path("calib.npy") + " --report " + path("x.json")},
      {"int8 without calibration",
       "parity" + m + " --inputs " + path("inputs.npy") + " --report " + path("x.json")},
      {"unknown output in --min-cosine", base() + " --min-cosine nosuch=0.9"},
      {"bad --min-cosine value", base() + " --min-cosine latent_embeddings=high"},
      {"bad input range", base() + " --input-range 1,0"},
      {"unknown backend", base() + " --b tpu"},
      {"missing model", "parity --model /no/such.onnx --inputs " + path("inputs.npy") +
                            " --report " + path("x.json")},
      {"inputs of the wrong shape", "parity" + m + " --inputs " + path("bad_shape.npy") +
                                        " --calib " + path("calib.npy") + " --report " +
                                        path("x.json")},
      {"missing recording", base() + " --reference /no/such/folder"},
      {"both --session and --inputs", base() + " --session " + path("none.h5")},
  };
  for (const auto& [what, arguments] : cases) {
    const auto run = imuwb(arguments);
    EXPECT_EQ(run.exitCode, 2) << what << "\n" << run.output << run.errors;
  }
}

}  // namespace
}  // namespace imuwb
