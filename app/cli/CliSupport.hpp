#pragma once
// Shared plumbing for the imuwb subcommands: exit codes, error printing, the TTY progress bar.
#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"

namespace imuwb::cli {

enum ExitCode : int { kOk = 0, kFindings = 1, kUsageOrIo = 2 };

struct CliState {
  int exitCode = kOk;
  bool json = false;  // global --json: machine-readable stdout, errors as JSON too
};

// Runs body, turning imuwb::Error and other exceptions into a clear message and exit code 2.
// body returns the exit code for the normal path.
void runGuarded(CliState& state, const std::function<int()>& body);

// Prints a JSON document to stdout (pretty, newline-terminated).
void printJson(const nlohmann::json& document);

// A JobControl whose progress draws a bar on stderr when stderr is a terminal (silent otherwise).
JobControl terminalProgress(std::string label);

// Parses durations like "90", "90s", "10m", "1.5h", "24h" into seconds; throws imuwb::Error.
double parseDurationSeconds(const std::string& text);

// Splits a comma-separated flag value ("left,right") into its parts; "" gives no parts, empty
// parts are kept ("a,,b" gives three) so the caller's validation sees them.
std::vector<std::string> splitCommaList(const std::string& text);

// Prints findings as "  [severity] message" with the fix on an indented line (parity, drift).
void printFindingLines(const std::vector<Finding>& findings);

}  // namespace imuwb::cli
