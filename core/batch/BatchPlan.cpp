#include "batch/BatchPlan.hpp"

#include <set>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "session/SessionReader.hpp"

namespace imuwb::batch {

namespace fs = std::filesystem;
using nlohmann::json;

std::string recordingKey(const fs::path& session, const fs::path& root) {
  const fs::path normal = session.lexically_normal();
  std::string key;
  if (root.empty()) {
    key = normal.relative_path().generic_string();
  } else {
    const fs::path base = fs::absolute(root).lexically_normal();
    const fs::path relative = fs::absolute(normal).lexically_normal().lexically_relative(base);
    key = relative.generic_string();
    if (key.empty() || key.rfind("..", 0) == 0)
      throw Error(session.string(), "is not under --root " + root.string(),
                  "give a --root that holds every session (keys are paths relative to it)");
  }
  while (key.rfind("./", 0) == 0) key = key.substr(2);
  return key;
}

BatchPlan makePlan(const std::string& kind, const std::vector<fs::path>& sessions,
                   const fs::path& root, int shardCount) {
  BatchPlan plan{kind, shardCount, root, {}};
  std::vector<ShardItem> items;
  std::set<std::string> keys;
  for (const auto& session : sessions) {
    PlannedRecording r{session, recordingKey(session, root), 0.0, 0};
    if (!keys.insert(r.key).second)
      throw Error(session.string(), "shares its key '" + r.key + "' with another session",
                  "give each session once, or a --root that tells them apart");
    try {
      r.duration_s = SessionReader::open(session).header().durationSeconds();
    } catch (const Error&) {
      r.duration_s = 0;  // run anyway: its failure record names the problem
    }
    items.push_back({r.key, r.duration_s});
    plan.recordings.push_back(std::move(r));
  }
  const auto shards = assignShards(items, shardCount);
  for (std::size_t i = 0; i < shards.size(); ++i) plan.recordings[i].shard = shards[i];
  plan.shardDuration_s = shardLoads(items, shards, shardCount);
  return plan;
}

fs::path planPath(const fs::path& outDir) {
  return outDir / "_batch" / "plan.json";
}

json planToJson(const BatchPlan& plan) {
  json recordings = json::array();
  for (const auto& r : plan.recordings)
    recordings.push_back({{"key", r.key},
                          {"session", r.session.string()},
                          {"duration_s", r.duration_s},
                          {"shard", r.shard}});
  return {{"format", "imuwb-batch-plan"},
          {"version", 1},
          {"kind", plan.kind},
          {"shards", plan.shardCount},
          {"root", plan.root.string()},
          {"shard_duration_s", plan.shardDuration_s},
          {"recordings", recordings}};
}

BatchPlan planFromJson(const json& j) {
  try {
    BatchPlan plan;
    plan.kind = j.at("kind").get<std::string>();
    plan.shardCount = j.at("shards").get<int>();
    plan.root = j.at("root").get<std::string>();
    plan.shardDuration_s = j.value("shard_duration_s", std::vector<double>{});
    for (const auto& r : j.at("recordings"))
      plan.recordings.push_back({r.at("session").get<std::string>(), r.at("key").get<std::string>(),
                                 r.at("duration_s").get<double>(), r.at("shard").get<int>()});
    return plan;
  } catch (const json::exception& e) {
    throw Error("batch plan", std::string("malformed: ") + e.what(),
                "re-run any shard of the batch to rewrite _batch/plan.json");
  }
}

void writePlan(const BatchPlan& plan, const fs::path& outDir) {
  fs::create_directories(planPath(outDir).parent_path());
  writeTextAtomically(planPath(outDir), planToJson(plan).dump(1) + "\n", "batch plan");
}

}  // namespace imuwb::batch
