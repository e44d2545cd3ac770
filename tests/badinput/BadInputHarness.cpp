#include "BadInputHarness.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <set>

#include "support/ChildProcess.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::badinput {

namespace fs = std::filesystem;

namespace {

// Maxima over every case this process ran, printed when the test program ends.
struct Totals {
  std::mutex mutex;
  std::size_t cases = 0;
  long maxRssKiB = 0;
  std::string maxRssCase;
  std::chrono::milliseconds maxWall{0};
  std::string maxWallCase;
};
Totals& totals() {
  static Totals instance;
  return instance;
}

class TotalsPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    auto& t = totals();
    if (t.cases == 0) return;
    std::printf("[badinput] %zu imuwb runs; max RSS %.1f MiB (%s); max wall time %lld ms (%s)\n",
                t.cases, static_cast<double>(t.maxRssKiB) / 1024.0, t.maxRssCase.c_str(),
                static_cast<long long>(t.maxWall.count()), t.maxWallCase.c_str());
  }
};
[[maybe_unused]] const auto* const kPrinter =
    ::testing::AddGlobalTestEnvironment(new TotalsPrinter);

void record(const std::string& name, const Outcome& outcome) {
  auto& t = totals();
  std::lock_guard lock(t.mutex);
  ++t.cases;
  if (outcome.maxRssKiB > t.maxRssKiB) t.maxRssKiB = outcome.maxRssKiB, t.maxRssCase = name;
  if (outcome.wall > t.maxWall) t.maxWall = outcome.wall, t.maxWallCase = name;
}

std::set<fs::path> listing(const fs::path& dir) {
  std::set<fs::path> names;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.insert(it->path());
  return names;
}

}  // namespace

fs::path sampleModelDir() {
  return test::sourceDir() / "samples/models/dog_behavior_conv2d";
}

std::string substitute(std::string text, const fs::path& dir) {
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"{dir}", dir.string()},
        std::pair<std::string, std::string>{"{model}", sampleModelDir().string()}}) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

Outcome runImuwb(const std::vector<std::string>& args) {
  test::ChildProcess child(test::cliPath(), args);
  Outcome outcome;
  auto status = child.waitForExit(kHangGuard);
  if (!status) {
    outcome.hung = true;
    child.sendSignal(SIGKILL);
    status = child.waitForExit(std::chrono::seconds(10));
  }
  if (status) {
    if (WIFEXITED(*status)) outcome.exitCode = WEXITSTATUS(*status);
    if (WIFSIGNALED(*status)) outcome.signal = WTERMSIG(*status);
    outcome.maxRssKiB = child.maxRssKiB().value_or(0);
    outcome.wall = child.wallTime().value_or(std::chrono::milliseconds(0));
  }
  outcome.output = child.output();
  outcome.errors = child.errors();
  return outcome;
}

void expectRejected(const Case& testCase) {
  ASSERT_TRUE(fs::exists(sampleModelDir() / "manifest.json"))
      << sampleModelDir() << " is missing; it ships with the repo";
  ASSERT_TRUE(fs::exists(test::cliPath())) << test::cliPath() << " is not built";
  test::TempDir dir;
  if (testCase.make) {
    ASSERT_NO_FATAL_FAILURE(testCase.make(dir.path()));
  }
  std::vector<std::string> args;
  for (const auto& arg : testCase.args) args.push_back(substitute(arg, dir.path()));
  const auto before = listing(dir.path());

  const Outcome outcome = runImuwb(args);
  record(testCase.name, outcome);
  std::string commandLine = "imuwb";
  for (const auto& arg : args) commandLine += " " + arg;
  std::printf("[badinput] %-40s exit %d  RSS %6.1f MiB  wall %5lld ms\n", testCase.name.c_str(),
              outcome.exitCode, static_cast<double>(outcome.maxRssKiB) / 1024.0,
              static_cast<long long>(outcome.wall.count()));
  const std::string context = "\n  command: " + commandLine + "\n  stderr: " + outcome.errors +
                              "\n  stdout: " + outcome.output.substr(0, 2000);

  ASSERT_FALSE(outcome.hung) << "still running after " << kHangGuard.count() << " s" << context;
  ASSERT_EQ(outcome.signal, 0) << "killed by signal " << outcome.signal << " ("
                               << strsignal(outcome.signal) << ")" << context;
  EXPECT_EQ(outcome.exitCode, testCase.expectedExit) << context;
  EXPECT_LT(outcome.maxRssKiB, kMaxRssKiB)
      << "peak RSS " << outcome.maxRssKiB / 1024 << " MiB" << context;
  // A refusal is an error on stderr; validation findings (exit 1) are the command's report.
  const bool refused = testCase.expectedExit == 2;
  if (refused) {
    EXPECT_NE(outcome.errors.find("error"), std::string::npos) << context;
  }
  const std::string& told = refused ? outcome.errors : outcome.output + outcome.errors;
  for (const auto& mention : testCase.mentions) {
    const auto needle = substitute(mention, dir.path());
    EXPECT_NE(told.find(needle), std::string::npos)
        << "the message does not mention '" << needle << "'" << context;
  }
  // Raw library exceptions are not messages for users.
  for (const char* raw : {"json.exception", "std::bad_alloc", "basic_string", "stoll", "stod"})
    EXPECT_EQ(outcome.errors.find(raw), std::string::npos) << "raw '" << raw << "'" << context;
  // Nothing written: no output, no temp file, nothing at all in the case's folder.
  const auto after = listing(dir.path());
  std::vector<fs::path> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  for (const auto& path : added) ADD_FAILURE() << "left behind: " << path << context;
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

}  // namespace imuwb::badinput
