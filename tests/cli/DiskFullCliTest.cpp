// A disk that fills while imuwb writes: generate, import, run and calib-export must stop with
// exit 2 and an error that says "disk full" (or "I/O error") and names the file, never crash,
// leave nothing in the output folder (no half file, no hidden temporary file), and print nothing
// but that error. The full disk is simulated by tests/support/faults (LD_PRELOAD): writes into the
// output folder fail with ENOSPC once a byte budget is spent, exactly as write(2) does on a full
// file system.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/Sha256.hpp"
#include "support/FolderEntries.hpp"
#include "support/TestEnvironment.hpp"
#include "support/paths/TestPaths.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

using test::folderEntries;

class DiskFullCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::is_regular_file(test::paths::faultsLibrary())) << "fault shim not built";
    fs::create_directory(dir / "full");
    full = fs::canonical(dir / "full");
  }
  // Runs imuwb with writes into full/ failing with errorNumber after budget bytes.
  // syncPasses: fsync succeeds though writes fail (the data was refused at write(2), so there
  // is nothing left to flush): only the writer's own checks can see the failure.
  test::ProcessResult imuwbOnFullDisk(const std::string& arguments, long long budget,
                                      int errorNumber = 28, bool syncPasses = false) {
    const std::string environment =
        "LD_PRELOAD=" + test::shellQuote(test::paths::faultsLibrary()) +
        " IMUWB_FAULT_PATH=" + test::shellQuote(full.string() + "/") +
        " IMUWB_FAULT_BYTES=" + std::to_string(budget) +
        " IMUWB_FAULT_ERRNO=" + std::to_string(errorNumber) +
        (syncPasses ? " IMUWB_FAULT_SYNC=pass" : "") +
        " ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0\" ";
    return test::runCommand(environment + test::shellQuote(test::cliPath().string()) + " " +
                            arguments);
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  std::string sample(const std::string& relative) {
    return test::shellQuote((test::sourceDir() / relative).string());
  }
  // Exit 2 (not a crash), the cause named with the output, and an empty output folder.
  void expectCleanFailure(const test::ProcessResult& run, const std::string& output,
                          const std::string& cause = "disk full") {
    EXPECT_EQ(run.exitCode, 2) << "exit " << run.exitCode << "\n" << run.output << run.errors;
    EXPECT_NE(run.errors.find("error: " + (full / output).string()), std::string::npos)
        << run.errors;
    EXPECT_NE(run.errors.find(cause), std::string::npos) << run.errors;
    EXPECT_EQ(run.errors.find("check that the folder exists"), std::string::npos)
        << "a full disk is not a folder problem: " << run.errors;
    EXPECT_TRUE(folderEntries(full).empty())
        << "left behind: " << testing::PrintToString(folderEntries(full));
    // Only our message: no HDF5 diagnostics or wrapper destructor complaints around it.
    for (const char* noise : {"HDF5-DIAG", "H5Dclose", "~DataSet", "H5Fclose"})
      EXPECT_EQ(run.errors.find(noise), std::string::npos) << noise << " in\n" << run.errors;
  }

  test::TempDir dir;
  fs::path full;
};

TEST_F(DiskFullCli, ShimLeavesWritesWithinTheBudgetAlone) {
  const auto run = imuwbOnFullDisk(
      "generate --duration 30s --out " + test::shellQuote((full / "g.h5").string()), 1LL << 40);
  EXPECT_EQ(run.exitCode, 0) << run.errors;
  EXPECT_EQ(folderEntries(full), std::set<std::string>{"g.h5"});
}

TEST_F(DiskFullCli, GenerateOnAFullDiskSaysSoAndLeavesNothing) {
  for (const long long budget : {0LL, 4096LL, 300000LL}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    expectCleanFailure(
        imuwbOnFullDisk(
            "generate --duration 10m --out " + test::shellQuote((full / "g.h5").string()), budget),
        "g.h5");
  }
}

TEST_F(DiskFullCli, GenerateOnAFailingDeviceNamesAnIoError) {
  expectCleanFailure(
      imuwbOnFullDisk("generate --duration 10m --out " + test::shellQuote((full / "g.h5").string()),
                      100000, 5),
      "g.h5", "I/O error");
}

TEST_F(DiskFullCli, ImportOnAFullDiskSaysSoAndLeavesNothing) {
  for (const long long budget : {0LL, 50000LL}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    expectCleanFailure(
        imuwbOnFullDisk("import " + sample("samples/sessions/harness_90s_g_dps.csv") + " --out " +
                            test::shellQuote((full / "i.h5").string()),
                        budget),
        "i.h5");
  }
}

TEST_F(DiskFullCli, RunOnAFullDiskSaysSoAndLeavesNothing) {
  const std::string prefix =
      "run --model " + sample("samples/models/dog_behavior_conv2d") + " --session " +
      sample("samples/sessions/dog_10min_collar_harness.h5") + " --max-windows 300 --out " +
      test::shellQuote((full / "o.h5").string()) + " --csv ";
  for (const long long budget : {0LL, 20000LL}) {
    SCOPED_TRACE("budget " + std::to_string(budget));
    const auto run = imuwbOnFullDisk(prefix + test::shellQuote((full / "o.csv").string()), budget);
    expectCleanFailure(run, "o.h5");
  }
  // Outputs HDF5 elsewhere, only the CSV on the full disk: the CSV is named.
  const auto csvOnly = imuwbOnFullDisk(
      "run --model " + sample("samples/models/dog_behavior_conv2d") + " --session " +
          sample("samples/sessions/dog_10min_collar_harness.h5") + " --max-windows 300 --out " +
          path("o.h5") + " --csv " + test::shellQuote((full / "o.csv").string()),
      1000);
  expectCleanFailure(csvOnly, "o.csv");
}

TEST_F(DiskFullCli, CalibExportOnAFullDiskSaysSoAndLeavesNothing) {
  const auto run =
      imuwbOnFullDisk("calib-export --model " + sample("samples/models/dog_behavior_conv2d") +
                          " --session " + sample("samples/sessions/dog_10min_collar_harness.h5") +
                          " --windows 64 --out " + test::shellQuote((full / "c.npy").string()),
                      10000);
  expectCleanFailure(run, "c.npy");
}

// A small report is held in the stream's buffer until the stream is closed, so the full disk
// shows only when that last buffer is flushed; and with nothing accepted by the kernel, fsync
// has nothing to report. A writer that checks its stream before closing it would put an empty
// report in place and exit 0.
TEST_F(DiskFullCli, AReportThatFailsWhenItsStreamClosesSaysDiskFullAndLeavesNothing) {
  ASSERT_TRUE(test::havePythonPeers()) << "python3 with numpy is required (bootstrap)";
  const auto made = test::runCommand(
      test::shellQuote(test::pythonPath()) + " -c " +
      test::shellQuote(
          "import numpy as np,sys; r=np.random.default_rng(3); d=sys.argv[1]; "
          "np.save(d+'/calib.npy', r.standard_normal((32,9,2,100)).astype(np.float32)); "
          "np.save(d+'/inputs.npy', r.standard_normal((8,9,2,100)).astype(np.float32))") +
      " " + test::shellQuote(dir.path().string()));
  ASSERT_EQ(made.exitCode, 0) << made.errors;
  const std::string parity =
      "parity --model " + sample("samples/models/dog_behavior_conv2d/model.onnx") + " --inputs " +
      path("inputs.npy") + " --calib " + path("calib.npy") + " --report " + path("r.json");
  const auto run =
      imuwbOnFullDisk(parity + " --junit " + test::shellQuote((full / "r.xml").string()), 0, 28,
                      /*syncPasses=*/true);
  expectCleanFailure(run, "r.xml");
  // The same report on a disk with room: written, and small enough to sit in one buffer.
  const auto roomy =
      imuwbOnFullDisk(parity + " --force --junit " + test::shellQuote((full / "r.xml").string()),
                      1LL << 40, 28, true);
  ASSERT_NE(roomy.exitCode, 2) << roomy.errors;
  ASSERT_TRUE(fs::is_regular_file(full / "r.xml")) << roomy.errors;
  EXPECT_GT(fs::file_size(full / "r.xml"), 0u);
  EXPECT_LT(fs::file_size(full / "r.xml"), 4096u) << "the report must fit in the stream's buffer";
}

}  // namespace
}  // namespace imuwb
