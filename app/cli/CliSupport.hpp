#pragma once
// Shared plumbing for the imuwb subcommands: exit codes, error printing, the TTY progress bar.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"

namespace imuwb {
struct ModelBundle;
}

namespace imuwb::cli {

// kInterrupted is 128 + SIGINT (the shell convention); a job stopped by SIGTERM exits 128 + 15.
enum ExitCode : int { kOk = 0, kFindings = 1, kUsageOrIo = 2, kInterrupted = 130 };

// Turns SIGINT (Ctrl-C) and SIGTERM into a stop request that every job sees through its
// JobControl. Construct it first thing in main, before any thread starts: it blocks both
// signals (threads started later inherit the mask) and takes them with sigwait on its own
// thread, because std::stop_source::request_stop is not async-signal-safe and so must not run
// in a signal handler. A second signal while the job is stopping ends the process at once
// (_exit(128 + signal)) so a user is never stuck; the temporary files being written
// (LiveTemporaries) are unlinked first, so even that leaves no hidden .tmp- file.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();  // wakes the waiting thread and joins it
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  std::stop_token token() const { return source_.get_token(); }
  // The signal that asked the job to stop (SIGINT or SIGTERM), 0 while none has arrived.
  int signalNumber() const { return signal_.load(); }

 private:
  void waitForSignals();

  sigset_t stopOn_;    // SIGINT and SIGTERM, minus any the parent set to be ignored (nohup, &)
  sigset_t waitedOn_;  // stopOn_ plus SIGTERM, which the destructor uses to wake the waiter
  std::stop_source source_;
  std::atomic<int> signal_{0};
  std::atomic<bool> closing_{false};
  std::thread waiter_;
};

struct CliState {
  int exitCode = kOk;
  bool json = false;    // global --json: machine-readable stdout, errors as JSON too
  std::string command;  // the subcommand being run ("generate"), for messages
  std::string output;   // the file it is writing, when known, so a stop message can name it
  const StopSignals* signals = nullptr;  // set by main; null means jobs cannot be interrupted
};

// Runs body, turning imuwb::Error and other exceptions into a clear message and exit code 2,
// and a job stopped by Ctrl-C/SIGTERM (imuwb::Cancelled) into a one-line notice and exit code
// 128 + signal (130 for Ctrl-C). body returns the exit code for the normal path.
void runGuarded(CliState& state, const std::function<int()>& body);

// Prints a JSON document to stdout (pretty, newline-terminated).
void printJson(const nlohmann::json& document);

// A JobControl whose progress draws a bar on stderr when stderr is a terminal (silent otherwise).
// It carries no stop token: commands use jobControl below.
JobControl terminalProgress(std::string label);

// The JobControl every command passes to its job: the terminal progress bar (none with --json)
// and the stop token that Ctrl-C/SIGTERM trigger, so an interrupted job stops at its next check
// and its writeAtomically saves remove their temporary files.
JobControl jobControl(const CliState& state, std::string label);
// The same, for a job writing output: remembers it so an interruption names the file.
JobControl jobControl(CliState& state, std::string label, const std::filesystem::path& output);

// Loads a bundle for parity and drift: a bare .onnx is enough for .npy tensors; windowing a
// session still needs its manifest (the window feed says so).
ModelBundle loadBundleAllowingBareOnnx(const std::string& model);

// Declares subcommand `name`: add(command, flags) binds its flags into one Flags, and the
// callback runs body(flags), which returns the exit code, through runGuarded.
template <class Flags, class Add, class Body>
void addFlagsCommand(CLI::App& root, CliState& state, const std::string& name,
                     const std::string& description, Add add, Body body) {
  auto flags = std::make_shared<Flags>();
  auto* command = root.add_subcommand(name, description);
  add(*command, *flags);
  command->callback([&state, flags, body] { runGuarded(state, [&] { return body(*flags); }); });
}

// Parses durations like "90", "90s", "10m", "1.5h", "24h" into seconds; throws imuwb::Error.
double parseDurationSeconds(const std::string& text);

// Splits a comma-separated flag value ("left,right") into its parts; "" gives no parts, empty
// parts are kept ("a,,b" gives three) so the caller's validation sees them.
std::vector<std::string> splitCommaList(const std::string& text);

// Prints findings as "  [severity] message" with the fix on an indented line (parity, drift).
void printFindingLines(const std::vector<Finding>& findings);

}  // namespace imuwb::cli
