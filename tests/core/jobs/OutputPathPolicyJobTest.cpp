// The output-path policy lives in the jobs, so the GUI gets the same protection as the CLI: each
// job that writes refuses an output that is one of its inputs (also through a symlink or a hard
// link) or another of its outputs, and an existing output without force, before any work. The
// inputs are copies in a temp folder, so a broken check can only damage the copies; each test
// asserts they keep their bytes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "jobs/CalibExportJob.hpp"
#include "jobs/DriftJob.hpp"
#include "jobs/GenerateJob.hpp"
#include "jobs/ImportJob.hpp"
#include "jobs/ParityJob.hpp"
#include "jobs/RunJob.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

namespace fs = std::filesystem;

class JobOutputPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(test::sourceDir() / "samples/models/dog_behavior_conv2d", dir / "model",
             fs::copy_options::recursive);
    fs::copy_file(test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5", dir / "s.h5");
    std::ofstream(dir / "calib.npy") << "stands in for a calibration set: refusals read nothing";
    std::ofstream(dir / "existing.out") << "an earlier result";
    fs::create_directory(dir / "links");
    fs::create_symlink(dir / "s.h5", dir / "links/soft.h5");
    fs::create_hard_link(dir / "s.h5", dir / "links/hard.h5");
    fs::create_hard_link(dir / "model/model.onnx", dir / "links/hard.onnx");
    fs::create_symlink(dir / "calib.npy", dir / "links/soft.npy");
    for (const auto& name :
         {"model/model.onnx", "model/manifest.json", "s.h5", "calib.npy", "existing.out"})
      hashes[name] = sha256File(dir / name);
    bundle = loadModelBundle(dir / "model");
  }
  // The job refuses with an error naming the output and the clash, and nothing changed.
  template <class Job>
  void expectRefused(Job job, const fs::path& output, const std::string& clash) {
    try {
      job();
      ADD_FAILURE() << "not refused: " << output;
    } catch (const Error& error) {
      EXPECT_EQ(error.where(), output.string()) << error.what();
      EXPECT_NE(std::string(error.what()).find(clash), std::string::npos) << error.what();
    }
    for (const auto& [name, hash] : hashes)
      EXPECT_EQ(sha256File(dir / name), hash) << name << " was modified";
  }

  test::TempDir dir;
  std::map<std::string, std::string> hashes;
  ModelBundle bundle;
};

TEST_F(JobOutputPaths, RunRefusesItsInputsAndExistingOutputs) {
  RunJobOptions options;
  options.session = dir / "s.h5";
  options.run.maxWindows = 4;
  options.force = true;
  auto run = [&] { runRunJob(bundle, options); };
  options.run.outPath = dir / "links/soft.h5";
  expectRefused(run, dir / "links/soft.h5", "--session");
  options.run.outPath = dir / "links/hard.h5";
  expectRefused(run, dir / "links/hard.h5", "--session");
  options.run.outPath = dir / "o.h5";
  options.run.csvPath = dir / "links/hard.onnx";
  expectRefused(run, dir / "links/hard.onnx", "--model");
  options.run.csvPath = dir / "o.h5";
  expectRefused(run, dir / "o.h5", "are the same file");
  options.run.csvPath.clear();
  options.calibration = dir / "calib.npy";
  options.run.outPath = dir / "links/soft.npy";
  expectRefused(run, dir / "links/soft.npy", "--calib");
  options.calibration.clear();
  options.force = false;
  options.run.outPath = dir / "existing.out";
  expectRefused(run, dir / "existing.out", "already exists");
  EXPECT_FALSE(fs::exists(dir / "o.h5"));
}

TEST_F(JobOutputPaths, ParityRefusesItsInputsAndExistingOutputs) {
  ParityJobOptions options;
  options.compare.sessions = {dir / "s.h5"};
  options.int8.calibration = dir / "calib.npy";
  options.force = true;
  auto parity = [&] { runParityJob(bundle, options); };
  options.reports.json = dir / "links/hard.onnx";
  expectRefused(parity, dir / "links/hard.onnx", "--model");
  options.reports.json = dir / "r.json";
  options.reports.html = dir / "links/soft.npy";
  expectRefused(parity, dir / "links/soft.npy", "--calib");
  options.reports.html.clear();
  options.reports.junit = dir / "links/hard.h5";
  expectRefused(parity, dir / "links/hard.h5", "--session");
  options.reports.junit.clear();
  options.saveParams = dir / "r.json";
  expectRefused(parity, dir / "r.json", "are the same file");
  options.saveParams.clear();
  options.force = false;
  options.reports.json = dir / "existing.out";
  expectRefused(parity, dir / "existing.out", "already exists");
  EXPECT_FALSE(fs::exists(dir / "r.json"));
}

TEST_F(JobOutputPaths, ParityRefusesWritingOverARecordedSide) {
  ParityJobOptions options;
  options.compare.sessions = {dir / "s.h5"};
  options.a = "cpu";
  options.b = (dir / "existing.out").string() + ":cpu";  // an outputs file and its backend
  options.force = true;
  options.reports.json = dir / "existing.out";
  expectRefused([&] { runParityJob(bundle, options); }, dir / "existing.out", "--b");
}

TEST_F(JobOutputPaths, DriftRefusesItsInputsAndExistingOutputs) {
  DriftJobOptions options;
  options.int8.calibration = dir / "calib.npy";
  options.force = true;
  auto drift = [&] { runDriftJob(bundle, options); };
  options.reports.json = dir / "links/soft.npy";
  expectRefused(drift, dir / "links/soft.npy", "--calib");
  options.reports.json = dir / "d.json";
  options.analysis.saveParams = dir / "links/hard.onnx";
  expectRefused(drift, dir / "links/hard.onnx", "--model");
  options.analysis.saveParams.clear();
  options.analysis.sessions = {dir / "s.h5"};
  options.reports.html = dir / "links/soft.h5";
  expectRefused(drift, dir / "links/soft.h5", "--session");
  options.reports.html.clear();
  options.force = false;
  options.reports.json = dir / "existing.out";
  expectRefused(drift, dir / "existing.out", "already exists");
  EXPECT_FALSE(fs::exists(dir / "d.json"));
}

TEST_F(JobOutputPaths, CalibExportRefusesItsInputsAndExistingOutputs) {
  CalibExportJobOptions options;
  options.sessions = {dir / "s.h5"};
  options.force = true;
  auto calib = [&] { runCalibExportJob(bundle, options); };
  options.out = dir / "links/hard.h5";
  expectRefused(calib, dir / "links/hard.h5", "--session");
  options.out = dir / "links/hard.onnx";
  expectRefused(calib, dir / "links/hard.onnx", "--model");
  // <out>.json is written too: out "model/manifest" would replace the bundle's manifest.json.
  options.out = dir / "model/manifest";
  expectRefused(calib, dir / "model/manifest.json", "--model");
  options.force = false;
  options.out = dir / "existing.out";
  expectRefused(calib, dir / "existing.out", "already exists");
  EXPECT_FALSE(fs::exists(dir / "model/manifest"));
}

TEST_F(JobOutputPaths, ImportAndGenerateRefuseTheirInputsAndExistingOutputs) {
  ImportJobOptions import;
  import.input = dir / "s.h5";
  import.output = dir / "links/soft.h5";
  import.force = true;
  expectRefused([&] { runImportJob(import); }, dir / "links/soft.h5", "input recording");
  import.output = dir / "existing.out";
  import.force = false;
  expectRefused([&] { runImportJob(import); }, dir / "existing.out", "already exists");
  GenerateJobOptions generate;
  generate.output = dir / "existing.out";
  expectRefused([&] { runGenerateJob(generate); }, dir / "existing.out", "already exists");
}

}  // namespace
}  // namespace imuwb::jobs
