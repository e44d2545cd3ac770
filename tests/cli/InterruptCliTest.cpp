// Ctrl-C (SIGINT) and SIGTERM stop a running imuwb job cleanly: exit 128 + signal, one line on
// stderr saying so, and nothing left in the output folder (no output, no hidden .tmp- file).
// The child is signalled only once its temporary file exists, i.e. while it is mid-write; the
// deadlines below are generous bounds so a broken build cannot hang the suite, not timings.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "support/ChildProcess.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::vector<std::string> entries(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool hasTempFileFor(const fs::path& folder, const std::string& target) {
  for (const auto& name : entries(folder))
    if (name.rfind("." + target + ".tmp", 0) == 0) return true;
  return false;
}

// Waits until the child is writing target (its temp file exists); false if it ended first or
// the deadline passed.
bool waitUntilWriting(test::ChildProcess& child, const fs::path& folder,
                      const std::string& target) {
  return test::waitUntil([&] { return hasTempFileFor(folder, target) || !child.running(); },
                         120s) &&
         child.running() && hasTempFileFor(folder, target);
}

std::string describe(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

TEST(InterruptCli, CtrlCDuringGenerateExits130AndLeavesNothing) {
  test::TempDir dir;
  test::ChildProcess child(test::cliPath(),
                           {"generate", "--duration", "24h", "--out", (dir / "day.h5").string()});
  ASSERT_TRUE(waitUntilWriting(child, dir.path(), "day.h5"))
      << "generate never started writing day.h5; stderr: " << child.errors();
  child.sendSignal(SIGINT);
  const auto status = child.waitForExit(120s);
  ASSERT_TRUE(status) << "imuwb generate did not stop after SIGINT";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 130)
      << describe(*status) << "; stderr: " << child.errors();
  const std::string errors = child.errors();
  EXPECT_NE(errors.find("imuwb generate: interrupted"), std::string::npos) << errors;
  EXPECT_NE(errors.find("SIGINT"), std::string::npos) << errors;
  EXPECT_NE(errors.find((dir / "day.h5").string() + " was not written"), std::string::npos)
      << errors;
  EXPECT_EQ(errors.find("error:"), std::string::npos) << "a stop is not an error: " << errors;
  EXPECT_TRUE(child.output().empty()) << "no success line after a stop: " << child.output();
  EXPECT_TRUE(entries(dir.path()).empty())
      << "left behind: " << testing::PrintToString(entries(dir.path()));
}

TEST(InterruptCli, SigtermDuringGenerateWithJsonReportsCancelled) {
  test::TempDir dir;
  test::ChildProcess child(test::cliPath(), {"generate", "--json", "--duration", "24h", "--out",
                                             (dir / "day.h5").string()});
  ASSERT_TRUE(waitUntilWriting(child, dir.path(), "day.h5"))
      << "generate never started writing day.h5; stderr: " << child.errors();
  child.sendSignal(SIGTERM);
  const auto status = child.waitForExit(120s);
  ASSERT_TRUE(status) << "imuwb generate did not stop after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 128 + SIGTERM)
      << describe(*status) << "; stderr: " << child.errors();
  const auto document = nlohmann::json::parse(child.output());
  EXPECT_EQ(document.at("cancelled").at("command"), "generate") << document.dump();
  EXPECT_EQ(document.at("cancelled").at("signal"), "SIGTERM") << document.dump();
  EXPECT_EQ(document.at("cancelled").at("output"), (dir / "day.h5").string()) << document.dump();
  EXPECT_NE(child.errors().find("interrupted by SIGTERM"), std::string::npos) << child.errors();
  EXPECT_TRUE(entries(dir.path()).empty())
      << "left behind: " << testing::PrintToString(entries(dir.path()));
}

TEST(InterruptCli, SigtermDuringRunRemovesOutputsAndCsvTemps) {
  const auto model = test::sourceDir() / "samples/models/dog_behavior_conv2d";
  ASSERT_TRUE(fs::exists(model / "manifest.json")) << model << " ships with the repo";
  test::TempDir dir;
  const auto session = dir / "s.h5";
  const auto generated = test::runCommand(test::shellQuote(test::cliPath().string()) +
                                          " generate --duration 24h --seed 3 --out " +
                                          test::shellQuote(session.string()));
  ASSERT_EQ(generated.exitCode, 0) << generated.errors;
  test::ChildProcess child(
      test::cliPath(), {"run", "--model", model.string(), "--session", session.string(), "--out",
                        (dir / "out.h5").string(), "--csv", (dir / "out.csv").string()});
  ASSERT_TRUE(waitUntilWriting(child, dir.path(), "out.h5"))
      << "run never started writing out.h5; stderr: " << child.errors();
  child.sendSignal(SIGTERM);
  const auto status = child.waitForExit(120s);
  ASSERT_TRUE(status) << "imuwb run did not stop after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 128 + SIGTERM)
      << describe(*status) << "; stderr: " << child.errors();
  EXPECT_NE(child.errors().find("imuwb run: interrupted"), std::string::npos) << child.errors();
  EXPECT_NE(child.errors().find("out.h5 was not written"), std::string::npos) << child.errors();
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"s.h5"});
}

TEST(InterruptCli, UninterruptedGenerateExits0AndLeavesExactlyTheOutput) {
  test::TempDir dir;
  test::ChildProcess child(test::cliPath(),
                           {"generate", "--duration", "10m", "--out", (dir / "day.h5").string()});
  const auto status = child.waitForExit(120s);
  ASSERT_TRUE(status) << "imuwb generate did not finish";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << describe(*status) << "; stderr: " << child.errors();
  EXPECT_NE(child.output().find("wrote "), std::string::npos) << child.output();
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"day.h5"});
}

// Like nohup or a background job of a script: a SIGINT the parent ignores stays ignored, so
// the job runs to completion (sh's `trap "" INT` sets SIG_IGN, which exec keeps).
TEST(InterruptCli, IgnoredSigintStaysIgnored) {
  test::TempDir dir;
  test::ChildProcess child(
      "/bin/sh", {"-c", "trap '' INT; exec \"$0\" \"$@\"", test::cliPath().string(), "generate",
                  "--duration", "24h", "--out", (dir / "day.h5").string()});
  ASSERT_TRUE(waitUntilWriting(child, dir.path(), "day.h5"))
      << "generate never started writing day.h5; stderr: " << child.errors();
  child.sendSignal(SIGINT);
  const auto status = child.waitForExit(300s);
  ASSERT_TRUE(status) << "imuwb generate did not finish";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << describe(*status) << "; stderr: " << child.errors();
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{"day.h5"});
}

// The signal-waiting thread must neither keep a finished process alive nor crash it at exit.
TEST(InterruptCli, ShortCommandsExitPromptlyAndNormallyEveryTime) {
  for (int i = 0; i < 20; ++i) {
    test::ChildProcess child(test::cliPath(), {"version"});
    const auto status = child.waitForExit(60s);
    ASSERT_TRUE(status) << "imuwb version still running (run " << i << ")";
    ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
        << describe(*status) << " on run " << i << "; stderr: " << child.errors();
  }
}

// A second signal while the job is still stopping quits at once (_exit, no unwinding), but the
// temporary file being written is unlinked on the way out. SIGINT then SIGTERM are sent back to
// back: both are pending before the job can finish stopping, and sigwait takes SIGINT first.
TEST(InterruptCli, SecondSignalQuitsAtOnceAndStillRemovesTheTemporaryFile) {
  test::TempDir dir;
  test::ChildProcess child(test::cliPath(),
                           {"generate", "--duration", "24h", "--out", (dir / "day.h5").string()});
  ASSERT_TRUE(waitUntilWriting(child, dir.path(), "day.h5"))
      << "generate never started writing day.h5; stderr: " << child.errors();
  child.sendSignal(SIGINT);
  child.sendSignal(SIGTERM);
  const auto status = child.waitForExit(120s);
  ASSERT_TRUE(status) << "imuwb generate did not quit after two signals";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 128 + SIGTERM)
      << describe(*status) << "; stderr: " << child.errors();
  EXPECT_NE(child.errors().find("second interrupt, quitting at once; temporary files removed: 1"),
            std::string::npos)
      << child.errors();
  EXPECT_TRUE(entries(dir.path()).empty())
      << "left behind: " << testing::PrintToString(entries(dir.path()));
}

}  // namespace
}  // namespace imuwb
