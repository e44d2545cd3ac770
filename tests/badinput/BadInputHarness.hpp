#pragma once
// The bad-input suite: each case runs the real `imuwb` binary on a hostile file the test made,
// and asserts what a user must see: the documented exit code (2 = refused, 1 = validation
// findings), stderr naming the file and the place in it, no file left behind in the case's
// folder, a bounded peak RSS of the child (wait4), and no hang (killed after a generous guard;
// that is a failure, not a timing assertion). Measured RSS and wall time are printed per case
// and the maxima at the end of the run.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace imuwb::badinput {

// Peak RSS per child, from wait4. On Linux a spawned child's ru_maxrss starts from the test
// runner's RSS at the spawn (it survives fork and exec), so the figure is an upper bound.
// Under AddressSanitizer (make test-sanitize) the child pays ASan's memory cost by design:
// redzones around each allocation and shadow memory (together at most about the release
// figure again) plus a quarantine that holds up to 256 MiB of freed blocks (ASan's default
// quarantine_size_mb). The bound there is the release bound plus that overhead, not a skip.
#if defined(__SANITIZE_ADDRESS__)
#define IMUWB_BADINPUT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMUWB_BADINPUT_ASAN 1
#endif
#endif
inline constexpr long kReleaseMaxRssKiB = 200 * 1024;
#ifdef IMUWB_BADINPUT_ASAN
inline constexpr long kMaxRssKiB = 2 * kReleaseMaxRssKiB + 256 * 1024;
#else
inline constexpr long kMaxRssKiB = kReleaseMaxRssKiB;
#endif
inline constexpr std::chrono::seconds kHangGuard{20};  // then SIGKILL and fail

// One case. Strings in args and mentions may hold "{dir}" (the case's private folder) and
// "{model}" (the sample model bundle that ships with the repo); they are substituted.
struct Case {
  std::string name;                                            // gtest-safe: [A-Za-z0-9_]
  std::function<void(const std::filesystem::path& dir)> make;  // writes the hostile input(s)
  std::vector<std::string> args;                               // imuwb arguments
  int expectedExit = 2;
  std::vector<std::string> mentions;  // each must appear in stderr (file, dataset, line...)
};

struct Outcome {
  int exitCode = -1;  // -1 when killed by a signal
  int signal = 0;     // the killing signal, 0 if it exited
  bool hung = false;  // still running at the guard, then killed
  long maxRssKiB = 0;
  std::chrono::milliseconds wall{0};
  std::string output, errors;
};

// Runs imuwb with args (no shell), with the hang guard; records its RSS and time.
Outcome runImuwb(const std::vector<std::string>& args);

// make(dir), then runs the case and asserts everything listed at the top of this file.
void expectRejected(const Case& testCase);

// "{dir}" / "{model}" substitution (exposed for cases that build paths themselves).
std::string substitute(std::string text, const std::filesystem::path& dir);
std::filesystem::path sampleModelDir();

// For INSTANTIATE_TEST_SUITE_P(..., ValuesIn(cases), caseName).
std::string caseName(const ::testing::TestParamInfo<Case>& info);
// gtest prints a failing case by its name, not its bytes.
inline void PrintTo(const Case& testCase, std::ostream* out) {
  *out << testCase.name;
}

}  // namespace imuwb::badinput
