// The ONNX backend node-test conformance run (ctest `conformance.onnx_node`).
//
//   conformance_node_tests --data DIR --expected FILE [--update] [--filter TEXT] [--verbose]
//
// Runs every test directory under DIR (Debian's libonnx-testdata) through the engine, each in a
// forked child so a crash is a result (WRONG), not the end of the run. Every test ends as pass,
// refused (a clear imuwb::Error, with its reason category) or WRONG (a mismatch, a crash, another
// exception). The outcome is compared with the checked-in expectations FILE:
//   - any WRONG fails;
//   - a test expected to pass that is refused now fails;
//   - a test that now passes, or is refused for another reason, or is new, fails too, asking
//     for `--update`, which rewrites FILE from this run (never with a WRONG in it).
// A missing or empty DIR fails: bootstrap installs the data.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/NodeTestCase.hpp"

namespace fs = std::filesystem;
using namespace imuwb::test::conformance;

namespace {

constexpr int kSecondsPerTest = 60;

struct Args {
  fs::path data, expected;
  bool update = false, verbose = false;
  std::string filter;
};

std::string oneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  return text;
}

// Runs one test in a child process; a signal or a silent exit is a crash.
CaseResult runIsolated(const fs::path& dir) {
  int fds[2];
  if (pipe(fds) != 0) return {Outcome::Wrong, "harness", "pipe failed"};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    alarm(kSecondsPerTest);
    const CaseResult r = runNodeTest(dir);
    const std::string line = std::string(outcomeName(r.outcome)) + "\t" + oneLine(r.category) +
                             "\t" + oneLine(r.message) + "\n";
    (void)!write(fds[1], line.data(), line.size());
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    return {Outcome::Wrong, "crash",
            std::string("killed by signal ") + strsignal(WTERMSIG(status)) +
                (WTERMSIG(status) == SIGALRM ? " (timeout)" : "")};
  const auto tab1 = text.find('\t'), tab2 = text.find('\t', tab1 + 1);
  if (tab1 == std::string::npos || tab2 == std::string::npos)
    return {Outcome::Wrong, "crash", "the child exited without a result"};
  const std::string outcome = text.substr(0, tab1);
  CaseResult r;
  r.outcome = outcome == "pass" ? Outcome::Pass
                                : (outcome == "refused" ? Outcome::Refused : Outcome::Wrong);
  r.category = text.substr(tab1 + 1, tab2 - tab1 - 1);
  r.message = text.substr(tab2 + 1);
  if (!r.message.empty() && r.message.back() == '\n') r.message.pop_back();
  return r;
}

// name -> "pass" or "refused CATEGORY".
std::map<std::string, std::string> readExpected(const fs::path& file) {
  std::map<std::string, std::string> expected;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    if (space == std::string::npos) continue;
    expected[line.substr(0, space)] = line.substr(space + 1);
  }
  return expected;
}

std::string expectationOf(const CaseResult& r) {
  return r.outcome == Outcome::Pass ? "pass" : "refused " + r.category;
}

bool parseArgs(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data" && i + 1 < argc)
      args.data = argv[++i];
    else if (a == "--expected" && i + 1 < argc)
      args.expected = argv[++i];
    else if (a == "--filter" && i + 1 < argc)
      args.filter = argv[++i];
    else if (a == "--update")
      args.update = true;
    else if (a == "--verbose")
      args.verbose = true;
    else
      return false;
  }
  return !args.data.empty() && !args.expected.empty();
}

void writeExpected(const fs::path& file, const std::map<std::string, CaseResult>& results) {
  std::ofstream out(file);
  out << "# ONNX backend node tests (libonnx-testdata) through the engine: pass, or refused\n"
         "# with the reason category. Checked by ctest conformance.onnx_node; regenerate with\n"
         "# scripts/update-conformance.sh after a change that makes a test pass.\n";
  for (const auto& [name, r] : results)
    if (r.outcome != Outcome::Wrong) out << name << ' ' << expectationOf(r) << '\n';
}

void printSummary(const std::map<std::string, CaseResult>& results) {
  std::map<Outcome, int> counts;
  std::map<std::string, int> categories;
  for (const auto& [name, r] : results) {
    ++counts[r.outcome];
    if (r.outcome != Outcome::Refused) continue;
    const auto colon = r.category.find(':');
    ++categories[r.category.substr(0, colon)];
  }
  std::printf("conformance: %zu node tests: %d pass, %d refused, %d WRONG\n", results.size(),
              counts[Outcome::Pass], counts[Outcome::Refused], counts[Outcome::Wrong]);
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [category, n] : categories) sorted.push_back({-n, category});
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [n, category] : sorted) std::printf("  refused %4d %s\n", -n, category.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parseArgs(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: %s --data DIR --expected FILE [--update] [--filter TEXT] [--verbose]\n",
                 argv[0]);
    return 2;
  }
  std::vector<fs::path> dirs;
  if (fs::is_directory(args.data))
    for (const auto& entry : fs::directory_iterator(args.data))
      if (fs::exists(entry.path() / "model.onnx") &&
          entry.path().filename().string().find(args.filter) != std::string::npos)
        dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty()) {
    std::fprintf(stderr,
                 "FAIL: no ONNX node tests under '%s'; install Debian's libonnx-testdata "
                 "(scripts/bootstrap.sh installs it)\n",
                 args.data.c_str());
    return 1;
  }
  std::map<std::string, CaseResult> results;
  for (const auto& dir : dirs) {
    const CaseResult r = runIsolated(dir);
    const std::string name = dir.filename().string();
    if (args.verbose || r.outcome == Outcome::Wrong)
      std::printf("%-60s %-8s %s %s\n", name.c_str(), outcomeName(r.outcome), r.category.c_str(),
                  r.message.c_str());
    results[name] = r;
  }
  printSummary(results);
  int failures = 0;
  for (const auto& [name, r] : results) failures += r.outcome == Outcome::Wrong;
  if (args.update) {
    writeExpected(args.expected, results);
    std::printf("wrote %s\n", args.expected.c_str());
    return failures ? 1 : 0;
  }
  const auto expected = readExpected(args.expected);
  int stale = 0;
  for (const auto& [name, r] : results) {
    if (r.outcome == Outcome::Wrong) continue;
    const auto it = expected.find(name);
    const std::string now = expectationOf(r);
    if (it == expected.end()) {
      std::printf("NEW      %s: %s (not in the expectations file)\n", name.c_str(), now.c_str());
      ++stale;
    } else if (it->second != now) {
      const bool regression = it->second == "pass";
      std::printf("%s %s: expected '%s', now '%s'%s\n", regression ? "REGRESSED" : "CHANGED  ",
                  name.c_str(), it->second.c_str(), now.c_str(),
                  regression ? (" -- " + r.message).c_str() : "");
      ++(regression ? failures : stale);
    }
  }
  if (args.filter.empty())
    for (const auto& [name, what] : expected)
      if (!results.count(name)) {
        std::printf("MISSING  %s: listed as '%s' but not in the data\n", name.c_str(),
                    what.c_str());
        ++stale;
      }
  if (stale)
    std::printf(
        "%d test(s) changed for the better or moved: check them, then run "
        "scripts/update-conformance.sh (--update) to rewrite %s\n",
        stale, args.expected.c_str());
  if (failures) std::printf("%d failure(s): WRONG results or regressions\n", failures);
  return failures + stale ? 1 : 0;
}
