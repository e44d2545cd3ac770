#pragma once
// The one way every batch command (run, parity, drift, evaluate, calib-export --check) turns
// what the user named into session files: any mix of --session entries (a file, a glob such as
// "data/*/night-*.h5", or a folder, searched recursively for *.h5) and --sessions lists (one
// entry per line, the same three forms, '#' starts a comment; relative entries are relative to
// the list's folder). The result is lexically normalised, without duplicates, and sorted by
// path, so every shard of a batch sees the same order.
#include <filesystem>
#include <string>
#include <vector>

namespace imuwb::batch {

struct SessionInputSpec {
  std::vector<std::string> sessions;         // --session (repeatable)
  std::vector<std::filesystem::path> lists;  // --sessions (repeatable)
};

// Sorted: the batch order (sorted by path). AsGiven: entries in the order named, each glob or
// folder's matches sorted in its place (a single command keeps the user's session order).
enum class InputOrder { Sorted, AsGiven };

// Throws imuwb::Error for a glob that matches nothing or a list that cannot be read.
// Duplicates are dropped (the first kept).
std::vector<std::filesystem::path> expandSessionInputs(const SessionInputSpec& spec,
                                                       InputOrder order = InputOrder::Sorted);

// True when entry holds a glob character (*, ? or [).
bool isGlobPattern(const std::string& entry);

}  // namespace imuwb::batch
