#pragma once
// A program started in the background so a test can act on it while it runs (send it a signal,
// watch its output folder), unlike runCommand which waits for the end.
#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace imuwb::test {

class ChildProcess {
 public:
  // Starts program with arguments (no shell); stdout and stderr go to files in a private
  // temp folder. SIGINT and SIGTERM start with their default action, unblocked, whatever
  // the test runner inherited.
  ChildProcess(const std::filesystem::path& program, const std::vector<std::string>& arguments);
  ~ChildProcess();  // kills (SIGKILL) and reaps a child that is still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();  // false once it has exited (its status is then kept)
  void sendSignal(int signal) const;
  // Waits up to timeout for the child to end; returns its raw wait status, or nullopt if it
  // is still running (the caller decides; the destructor kills it).
  std::optional<int> waitForExit(std::chrono::milliseconds timeout);
  std::string output() const;  // stdout so far
  std::string errors() const;  // stderr so far
  // Resource use of the ended child, from wait4 (nullopt while it runs): its peak resident
  // set in KiB, and the wall time from spawn until it was seen to end.
  std::optional<long> maxRssKiB() const;
  std::optional<std::chrono::milliseconds> wallTime() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  struct rusage usage_ {};
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point ended_;
  std::filesystem::path logDir_;
};

// Polls until predicate() is true or the deadline passes; returns the last predicate value.
// Deadlines here are generous upper bounds so a broken program cannot hang a test, not timing
// assertions.
template <typename Predicate>
bool waitUntil(Predicate predicate, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() >= end) return predicate();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace imuwb::test
