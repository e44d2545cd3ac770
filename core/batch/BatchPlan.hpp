#pragma once
// A batch's plan: every recording of the inputs, keyed by its path relative to --root, with its
// duration (from the session header) and its shard. Every shard computes the same plan from the
// same inputs and the plan already in OUT_DIR/_batch/plan.json (whose shards it keeps, at the
// same shard count: batch/ShardAssignment), and writes it back there (the same bytes from every
// shard, atomically), so `imuwb report merge` knows which recordings to expect even from a shard
// that never started, and the next run of a grown batch moves none of the finished recordings.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "batch/ShardAssignment.hpp"

namespace imuwb::batch {

struct PlannedRecording {
  std::filesystem::path session;
  std::string key;  // relative to the root, '/'-separated: names its results in the output folder
  double duration_s = 0;  // 0 when the header cannot be read (the run then records the error)
  int shard = 0;
};

struct BatchPlan {
  std::string kind;  // "run", "parity", "drift", "evaluate", "coverage"
  int shardCount = 1;
  std::filesystem::path root;
  std::vector<PlannedRecording> recordings;  // in the inputs' sorted order
  std::vector<double> shardDuration_s;       // each shard's summed recording time
};

// The key of session under root (root empty: the path as given, without a leading '/').
// Throws imuwb::Error when the session is not under root.
std::string recordingKey(const std::filesystem::path& session, const std::filesystem::path& root);

// Reads each session's header for its duration, then assigns shards, keeping those of `previous`
// when it has the same shard count (another count plans afresh). Throws imuwb::Error when two
// sessions share a key.
BatchPlan makePlan(const std::string& kind, const std::vector<std::filesystem::path>& sessions,
                   const std::filesystem::path& root, int shardCount,
                   const BatchPlan* previous = nullptr);

// The same, from durations already known (sessions[i] lasts durations_s[i]; the bench and tests).
BatchPlan planFromDurations(const std::string& kind,
                            const std::vector<std::filesystem::path>& sessions,
                            const std::vector<double>& durations_s,
                            const std::filesystem::path& root, int shardCount,
                            const BatchPlan* previous = nullptr);

std::filesystem::path planPath(const std::filesystem::path& outDir);
nlohmann::json planToJson(const BatchPlan& plan);
BatchPlan planFromJson(const nlohmann::json& json);  // throws imuwb::Error when malformed
// The plan in outDir; nullopt when there is none. Throws imuwb::Error when it is malformed.
std::optional<BatchPlan> readPlan(const std::filesystem::path& outDir);
void writePlan(const BatchPlan& plan, const std::filesystem::path& outDir);

}  // namespace imuwb::batch
