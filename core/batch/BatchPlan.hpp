#pragma once
// A batch's plan: every recording of the inputs, keyed by its path relative to --root, with its
// duration (from the session header) and its shard. Every shard computes the same plan from the
// same inputs and writes it to OUT_DIR/_batch/plan.json (the same bytes, atomically), so
// `imuwb report merge` knows which recordings to expect even from a shard that never started.
#include <filesystem>
#include <nlohmann/json.hpp>
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

// Reads each session's header for its duration, then assigns shards. Throws imuwb::Error when
// two sessions share a key.
BatchPlan makePlan(const std::string& kind, const std::vector<std::filesystem::path>& sessions,
                   const std::filesystem::path& root, int shardCount);

std::filesystem::path planPath(const std::filesystem::path& outDir);
nlohmann::json planToJson(const BatchPlan& plan);
BatchPlan planFromJson(const nlohmann::json& json);  // throws imuwb::Error when malformed
void writePlan(const BatchPlan& plan, const std::filesystem::path& outDir);

}  // namespace imuwb::batch
