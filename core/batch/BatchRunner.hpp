#pragma once
// One shard of a batch: its recordings of the plan, one after the other, each through the
// kind's work (batch/RecordingWork), each ending as a result file (batch/ResultFiles). A
// recording whose work throws imuwb::Error (or any other exception) is written as a failure
// record and the shard goes on; Cancelled stops the shard (a recording cut short leaves no
// result, so --resume runs it again).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "batch/BatchPlan.hpp"
#include "common/JobControl.hpp"

namespace imuwb::batch {

struct BatchOptions {
  std::string kind;
  std::vector<std::filesystem::path> sessions;  // expanded and sorted (batch/SessionInputs)
  std::filesystem::path root;                   // keys are relative to it; empty: as given
  std::filesystem::path outDir;
  ShardSpec shard;
  bool resume = false;  // skip recordings whose result is current
  std::string modelSha256;
  nlohmann::json options;  // the job's options, for the identity
};

struct RecordingTask {
  std::filesystem::path session;
  std::string key;
  std::filesystem::path artefactBase;  // OUT_DIR/<key>: the work adds its own suffixes
};

// Runs one recording; returns the kind's result JSON. Throws imuwb::Error on failure.
using RecordingWork = std::function<nlohmann::json(const RecordingTask&, const JobControl&)>;

// After each recording of the shard.
struct BatchEvent {
  std::string key, status;  // "ok", "failed", "skipped"
  std::string error;        // the problem, for "failed"
  std::size_t done = 0, total = 0, ok = 0, skipped = 0, failed = 0;
  double elapsed_s = 0, eta_s = -1;  // eta < 0: not known yet
};

struct BatchOutcome {
  std::size_t planned = 0, assigned = 0, ok = 0, skipped = 0, failed = 0;
  // This shard's recording time, the mean and the largest over the shards (the balance).
  double shardDuration_s = 0, meanShardDuration_s = 0, maxShardDuration_s = 0;
  bool replanned = false;  // the folder's plan had another shard count, so shards were re-planned
  double seconds = 0;
};

// Expands nothing: options.sessions are the inputs. Plans (keeping the shards of the plan already
// in options.outDir), writes the plan, then runs the shard.
BatchOutcome runBatch(const BatchOptions& options, const RecordingWork& work,
                      const JobControl& control,
                      const std::function<void(const BatchEvent&)>& onEvent = nullptr);

}  // namespace imuwb::batch
