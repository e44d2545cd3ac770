// A bare .onnx (no manifest beside it) works wherever a manifest is not needed (issue 10):
// parity and drift on .npy tensors, and check, which warns that preprocessing cannot be checked
// and says which role it took each output to have. Our FP32 engine's outputs on the bare model
// are compared against ONNX Runtime (tests/peers/ort_run.js) through parity's recorded side.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/CliFixture.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class BareOnnxCli : public test::CliFixture {
 protected:
  void SetUp() override {
    const auto sample = test::sourceDir() / "samples/models/dog_behavior_conv2d/model.onnx";
    ASSERT_TRUE(std::filesystem::exists(sample)) << "the sample model ships with the repo";
    ASSERT_TRUE(test::havePythonPeers()) << "python3 with numpy is required (bootstrap)";
    // The sample model alone in a folder: outputs latent, motif_scores, behavior_logits.
    std::filesystem::create_directories(dir / "bare");
    std::filesystem::copy_file(sample, dir / "bare/model.onnx");
    model = path("bare/model.onnx");
    writeRandomNpys(5, {{"calib.npy", "(96,9,2,100)"}, {"inputs.npy", "(24,9,2,100)"}});
  }
  std::string model;
};

TEST_F(BareOnnxCli, ParityOfOurEngineAgainstOnnxRuntimeOnNpyInputs) {
  ASSERT_TRUE(test::haveOrtPeer()) << "onnxruntime-node is required (scripts/setup-peers.sh)";
  // ONNX Runtime's outputs for the same windows, as a recorded NPY folder (one [N, D] per name).
  const auto ort = test::runCommand(
      "IMUWB_PEERS_DIR=" + test::shellQuote(test::peersDir().string()) + " " +
      test::shellQuote(test::nodePath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/ort_run.js").string()) + " " + model +
      " " + path("ort") + " imu_window=" + (dir / "inputs.npy").string());
  ASSERT_EQ(ort.exitCode, 0) << ort.output << ort.errors;
  const auto folder = python(
      "import json,os,sys,numpy as np; d=sys.argv[1]; os.makedirs(d+'/ref');"
      "names=json.load(open(d+'/ort/outputs.json'))['names'];"
      "[np.save(d+'/ref/'+n+'.npy', np.load(d+'/ort/out_%d.npy'%i).reshape(24,-1)) "
      " for i,n in enumerate(names)]; print(len(names))",
      {dir.path().string()});
  ASSERT_EQ(folder.output, "3\n") << folder.errors;

  const auto run =
      imuwb("parity --model " + model + " --inputs " + path("inputs.npy") + " --reference " +
            path("ref") + " --b cpu --min-cosine 0.99999" + " --report " + path("r.json"));
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  const auto doc = json("r.json");
  EXPECT_EQ(doc["windows"], 24);
  ASSERT_EQ(doc["outputs"].size(), 3u);
  std::map<std::string, std::string> roles;
  for (const auto& o : doc["outputs"]) {
    roles[o["output"]] = o["role"];
    EXPECT_GE(o["metrics"]["cosine_min"].get<double>(), 0.99999) << o.dump();
    EXPECT_LT(o["metrics"]["max_abs"].get<double>(), 1e-3) << o.dump();
  }
  // Roles come from the names (no manifest to say otherwise).
  EXPECT_EQ(roles["latent"], "latent");
  EXPECT_EQ(roles["motif_scores"], "motif_scores");
  EXPECT_EQ(roles["behavior_logits"], "logits");
}

TEST_F(BareOnnxCli, ParityCpuVsInt8AndDriftRunOnABareModel) {
  const auto parity = imuwb("parity --model " + model + " --inputs " + path("inputs.npy") +
                            " --a cpu --b int8 --calib " + path("calib.npy") +
                            " --layer-windows 8 --report " + path("p.json"));
  EXPECT_NE(parity.exitCode, 2) << parity.output << parity.errors;
  const auto p = json("p.json");
  EXPECT_EQ(p["windows"], 24);
  EXPECT_EQ(p["b"]["precision"], "int8");
  ASSERT_EQ(p["outputs"].size(), 3u);
  for (const auto& o : p["outputs"])
    EXPECT_GT(o["metrics"]["cosine_mean"].get<double>(), 0.9) << o.dump();
  EXPECT_FALSE(p["layers"].is_null());

  const auto drift = imuwb("drift --model " + model + " --calib " + path("calib.npy") +
                           " --windows 8 --no-only-layer --report " + path("d.json"));
  EXPECT_NE(drift.exitCode, 2) << drift.output << drift.errors;
  const auto d = json("d.json");
  EXPECT_EQ(d["kind"], "drift");
  EXPECT_GT(d["layers"]["layers"].size(), 3u);
}

TEST_F(BareOnnxCli, ABareModelCannotWindowASession) {
  const auto session = test::shellQuote(
      (test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5").string());
  const auto run = imuwb("parity --model " + model + " --session " + session +
                         " --a cpu --b cpu --report " + path("r.json"));
  EXPECT_EQ(run.exitCode, 2) << run.output << run.errors;
  EXPECT_NE(run.errors.find("has no manifest"), std::string::npos) << run.errors;
  EXPECT_NE(run.errors.find("--inputs"), std::string::npos) << run.errors;
}

TEST_F(BareOnnxCli, CheckPassesWithAPreprocessingWarningAndInferredRoles) {
  const auto table = imuwb("check " + model);
  EXPECT_EQ(table.exitCode, 0) << table.output << table.errors;
  EXPECT_NE(table.output.find("cannot check preprocessing without a manifest"), std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("'motif_scores' is taken as motif_scores (inferred from name)"),
            std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("'behavior_logits' is taken as logits (inferred from name)"),
            std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("PASS"), std::string::npos);

  const auto run = imuwb("--json check " + model);
  EXPECT_EQ(run.exitCode, 0) << run.output << run.errors;
  const auto report = nlohmann::json::parse(run.output);
  EXPECT_TRUE(report["passed"].get<bool>());
  bool warned = false;
  std::map<std::string, std::string> ranges;  // output -> its range finding's message
  for (const auto& f : report["findings"]) {
    if (f["code"] == "missing_normalization_contract") warned = f["severity"] == "warning";
    if (f["code"] == "output_range_ok" || f["code"] == "output_out_of_range")
      ranges[f["subject"]] = f["message"];
  }
  EXPECT_TRUE(warned);
  // The range checks name the role they judged by, and where it came from.
  EXPECT_NE(ranges["motif_scores"].find("(motif_scores, inferred from name)"), std::string::npos)
      << ranges["motif_scores"];
  EXPECT_NE(ranges["latent"].find("(latent, inferred from name)"), std::string::npos)
      << ranges["latent"];
}

}  // namespace
}  // namespace imuwb
