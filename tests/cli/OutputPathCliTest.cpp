// The output-path policy end to end: every command that writes refuses an output that is one of
// its inputs (exit 2, the input byte-identical afterwards), refuses two outputs on one file, and
// refuses to replace an existing output without --force. The model, session and other inputs
// are copies in a temp folder, so a broken check can only ever damage the copies.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/Sha256.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

class OutputPathCli : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(test::sourceDir() / "samples/models/dog_behavior_conv2d", dir / "model",
             fs::copy_options::recursive);
    fs::copy_file(test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5", dir / "s.h5");
    fs::copy_file(test::sourceDir() / "samples/sessions/harness_90s_g_dps.csv", dir / "rec.csv");
    fs::copy_file(test::sourceDir() / "samples/sessions/harness_90s_labels.csv",
                  dir / "labels.csv");
    // Stands in for a calibration set: refusals happen before any input is read.
    std::ofstream(dir / "calib.npy") << "calibration windows";
    for (const auto& name :
         {"model/model.onnx", "model/manifest.json", "s.h5", "rec.csv", "labels.csv", "calib.npy"})
      hashes[name] = sha256File(dir / name);
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  // Every input still has the bytes it had before the test.
  void expectInputsUntouched() {
    for (const auto& [name, hash] : hashes)
      EXPECT_EQ(sha256File(dir / name), hash) << name << " was modified";
  }
  // Exit 2 with an error naming the output and the clash, and nothing changed.
  void expectRefused(const test::ProcessResult& run, const std::string& output,
                     const std::string& clash) {
    EXPECT_EQ(run.exitCode, 2) << run.output << run.errors;
    EXPECT_NE(run.errors.find("error: " + output), std::string::npos) << run.errors;
    EXPECT_NE(run.errors.find(clash), std::string::npos) << run.errors;
    expectInputsUntouched();
  }
  std::string runPrefix() {
    return "run --model " + path("model") + " --session " + path("s.h5") + " --max-windows 20 ";
  }
  std::string parityPrefix() {
    return "parity --model " + path("model") + " --session " + path("s.h5") + " --calib " +
           path("calib.npy") + " --max-windows 8 ";
  }
  std::string driftPrefix() {
    return "drift --model " + path("model") + " --calib " + path("calib.npy") + " --windows 8 ";
  }

  test::TempDir dir;
  std::map<std::string, std::string> hashes;
};

TEST_F(OutputPathCli, RunRefusesOutOnItsSessionEvenWithForce) {
  expectRefused(imuwb(runPrefix() + "--out " + path("s.h5")), (dir / "s.h5").string(),
                "is the same file as the input --session");
  expectRefused(imuwb(runPrefix() + "--force --out " + path("s.h5")), (dir / "s.h5").string(),
                "is the same file as the input --session");
}

TEST_F(OutputPathCli, RunRefusesSymlinkAndHardLinkToItsSession) {
  fs::create_directory(dir / "links");
  fs::create_symlink(dir / "s.h5", dir / "links/soft.h5");
  fs::create_hard_link(dir / "s.h5", dir / "links/hard.h5");
  expectRefused(imuwb(runPrefix() + "--force --out " + path("links/soft.h5")),
                (dir / "links/soft.h5").string(), "--session");
  expectRefused(imuwb(runPrefix() + "--force --out " + path("links/hard.h5")),
                (dir / "links/hard.h5").string(), "--session");
  expectRefused(imuwb(runPrefix() + "--force --out " + path("links/../s.h5")),
                (dir / "links/../s.h5").string(), "--session");
  EXPECT_TRUE(fs::is_symlink(dir / "links/soft.h5"));
}

TEST_F(OutputPathCli, RunRefusesCsvOnTheModelFiles) {
  expectRefused(
      imuwb(runPrefix() + "--out " + path("o.h5") + " --force --csv " + path("model/model.onnx")),
      (dir / "model/model.onnx").string(), "--model");
  expectRefused(imuwb(runPrefix() + "--out " + path("model/manifest.json") + " --force"),
                (dir / "model/manifest.json").string(), "--model");
  EXPECT_FALSE(fs::exists(dir / "o.h5"));
}

TEST_F(OutputPathCli, RunRefusesOutAndCsvOnOneFile) {
  const auto run = imuwb(runPrefix() + "--out " + path("x") + " --csv " + path("x"));
  expectRefused(run, (dir / "x").string(), "are the same file");
  EXPECT_FALSE(fs::exists(dir / "x"));
}

TEST_F(OutputPathCli, RunReplacesAnExistingOutputOnlyWithForce) {
  std::ofstream(dir / "o.h5") << "previous outputs";
  const auto refused = imuwb(runPrefix() + "--out " + path("o.h5"));
  expectRefused(refused, (dir / "o.h5").string(), "already exists");
  EXPECT_NE(refused.errors.find("--force"), std::string::npos) << refused.errors;
  std::ifstream previous(dir / "o.h5");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(previous), {}), "previous outputs");

  const auto forced = imuwb(runPrefix() + "--force --out " + path("o.h5"));
  ASSERT_EQ(forced.exitCode, 0) << forced.errors;
  std::ifstream replaced(dir / "o.h5", std::ios::binary);
  std::string signature(8, '\0');
  replaced.read(signature.data(), 8);
  EXPECT_EQ(signature, std::string("\x89HDF\r\n\x1a\n", 8)) << "not an HDF5 file";
  expectInputsUntouched();
}

TEST_F(OutputPathCli, CalibExportRefusesOutOnItsInputs) {
  const std::string prefix =
      "calib-export --model " + path("model") + " --session " + path("s.h5") + " --force --out ";
  expectRefused(imuwb(prefix + path("s.h5")), (dir / "s.h5").string(), "--session");
  expectRefused(imuwb(prefix + path("model/model.onnx")), (dir / "model/model.onnx").string(),
                "--model");
  // <out>.json is written too: --out model/manifest would replace the bundle's manifest.json.
  expectRefused(imuwb(prefix + path("model/manifest")), (dir / "model/manifest.json").string(),
                "--model");
  EXPECT_FALSE(fs::exists(dir / "model/manifest"));
}

TEST_F(OutputPathCli, CalibExportNeedsForceForAnExistingSet) {
  std::ofstream(dir / "c.npy") << "old set";
  hashes["c.npy"] = sha256File(dir / "c.npy");
  expectRefused(imuwb("calib-export --model " + path("model") + " --session " + path("s.h5") +
                      " --out " + path("c.npy")),
                (dir / "c.npy").string(), "already exists");
}

TEST_F(OutputPathCli, ParityRefusesEveryReportOnAnInput) {
  expectRefused(imuwb(parityPrefix() + "--force --report " + path("model/model.onnx")),
                (dir / "model/model.onnx").string(), "--model");
  expectRefused(imuwb(parityPrefix() + "--force --report " + path("r.json") + " --html " +
                      path("model/manifest.json")),
                (dir / "model/manifest.json").string(), "--model");
  expectRefused(imuwb(parityPrefix() + "--force --report " + path("r.json") + " --junit " +
                      path("calib.npy")),
                (dir / "calib.npy").string(), "--calib");
  expectRefused(imuwb(parityPrefix() + "--force --report " + path("r.json") + " --save-params " +
                      path("s.h5")),
                (dir / "s.h5").string(), "--session");
  expectRefused(imuwb(parityPrefix() + "--report " + path("r.json") + " --html " + path("r.json")),
                (dir / "r.json").string(), "are the same file");
  EXPECT_FALSE(fs::exists(dir / "r.json"));
}

TEST_F(OutputPathCli, ParityNeedsForceForAnExistingReport) {
  std::ofstream(dir / "r.json") << "{}";
  hashes["r.json"] = sha256File(dir / "r.json");
  expectRefused(imuwb(parityPrefix() + "--report " + path("r.json")), (dir / "r.json").string(),
                "already exists");
}

TEST_F(OutputPathCli, DriftRefusesReportsOnItsInputsAndExistingOnes) {
  expectRefused(imuwb(driftPrefix() + "--force --report " + path("calib.npy")),
                (dir / "calib.npy").string(), "--calib");
  expectRefused(imuwb(driftPrefix() + "--force --report " + path("d.json") + " --save-params " +
                      path("model/model.onnx")),
                (dir / "model/model.onnx").string(), "--model");
  std::ofstream(dir / "d.json") << "{}";
  hashes["d.json"] = sha256File(dir / "d.json");
  expectRefused(imuwb(driftPrefix() + "--report " + path("d.json")), (dir / "d.json").string(),
                "already exists");
}

TEST_F(OutputPathCli, ImportRefusesOutOnTheRecordingOrTheLabels) {
  expectRefused(imuwb("import " + path("rec.csv") + " --labels " + path("labels.csv") +
                      " --force --out " + path("labels.csv")),
                (dir / "labels.csv").string(), "--labels");
  expectRefused(imuwb("import " + path("rec.csv") + " --force --out " + path("rec.csv")),
                (dir / "rec.csv").string(), "input recording");
}

TEST_F(OutputPathCli, ImportAndGenerateNeedForceForAnExistingSession) {
  std::ofstream(dir / "new.h5") << "someone's session";
  hashes["new.h5"] = sha256File(dir / "new.h5");
  expectRefused(imuwb("import " + path("rec.csv") + " --out " + path("new.h5")),
                (dir / "new.h5").string(), "already exists");
  expectRefused(imuwb("generate --duration 10s --out " + path("new.h5")), (dir / "new.h5").string(),
                "already exists");
  hashes.erase("new.h5");
  const auto forced = imuwb("generate --duration 10s --force --out " + path("new.h5"));
  EXPECT_EQ(forced.exitCode, 0) << forced.errors;
  expectInputsUntouched();
}

TEST_F(OutputPathCli, RunModelRefusesSavingOverAnInputInTheFolder) {
  // An input that sits where --save-outputs would put the model's 'latent' output.
  fs::create_directory(dir / "out");
  fs::copy_file(dir / "model/reference/inputs_nchw.npy", dir / "out/latent.npy");
  hashes["out/latent.npy"] = sha256File(dir / "out/latent.npy");
  const auto run = imuwb("run-model " + path("model/model.onnx") + " --input " +
                         path("out/latent.npy") + " --force --save-outputs " + path("out"));
  expectRefused(run, (dir / "out/latent.npy").string(), "--input");
  EXPECT_FALSE(fs::exists(dir / "out/summary.json"));
  EXPECT_FALSE(fs::exists(dir / "out/behavior_logits.npy"));
}

TEST_F(OutputPathCli, RunModelNeedsForceToReplaceSavedOutputs) {
  const std::string command = "run-model " + path("model/model.onnx") + " --input " +
                              path("model/reference/inputs_nchw.npy") + " --save-outputs " +
                              path("out");
  ASSERT_EQ(imuwb(command).exitCode, 0);
  hashes["out/summary.json"] = sha256File(dir / "out/summary.json");
  expectRefused(imuwb(command), (dir / "out/summary.json").string(), "already exists");
  const auto forced = imuwb(command + " --force");
  EXPECT_EQ(forced.exitCode, 0) << forced.errors;
}

}  // namespace
}  // namespace imuwb
