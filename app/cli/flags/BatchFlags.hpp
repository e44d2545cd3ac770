#pragma once
// The batch flags run, parity, drift, evaluate and calib-export --check share (docs/scale.md):
// more inputs (--sessions lists; --session takes globs and folders too), and the batch mode
// (--out-dir, --shard, --root, --resume, --progress-json) that runs each recording on its own
// into per-recording results for `imuwb report merge`.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace imuwb::cli {

struct BatchFlags {
  std::vector<std::string> lists;  // --sessions FILE (repeatable)
  std::string outDir, shard, root;
  bool resume = false, progressJson = false;
  bool active() const { return !outDir.empty(); }
};

// Adds the flags and makes the named options optional (a batch needs no --report or --out; the
// single command checks them itself through requireUnlessBatch).
void addBatchFlags(CLI::App& command, BatchFlags& flags,
                   const std::vector<std::string>& optionalInBatch);

// --session entries and --sessions lists, expanded (globs, folders) in the order given.
// Throws imuwb::Error (a glob matching nothing, an unreadable list).
std::vector<std::filesystem::path> sessionInputs(const std::vector<std::string>& sessions,
                                                 const BatchFlags& flags);

// Throws imuwb::Error "<flag> is required" when value is empty outside batch mode, and refuses
// batch-only flags (--shard, --resume...) without --out-dir.
void requireUnlessBatch(const BatchFlags& flags, const std::string& value, const std::string& flag);
void checkBatchFlags(const BatchFlags& flags);
// Throws imuwb::Error when a single-run flag (a report, --out) is given in batch mode.
void refuseInBatch(const BatchFlags& flags, bool given, const std::string& flag);

}  // namespace imuwb::cli
