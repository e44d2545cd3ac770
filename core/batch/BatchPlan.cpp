#include "batch/BatchPlan.hpp"

#include <fstream>
#include <iterator>
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

BatchPlan planFromDurations(const std::string& kind, const std::vector<fs::path>& sessions,
                            const std::vector<double>& durations_s, const fs::path& root,
                            int shardCount, const BatchPlan* previous) {
  if (durations_s.size() != sessions.size())
    throw Error("batch plan", "one duration per session is needed");
  BatchPlan plan{kind, shardCount, root, {}, {}};
  std::vector<ShardItem> items;
  std::set<std::string> keys;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    PlannedRecording r{sessions[i], recordingKey(sessions[i], root), durations_s[i], 0};
    if (!keys.insert(r.key).second)
      throw Error(sessions[i].string(), "shares its key '" + r.key + "' with another session",
                  "give each session once, or a --root that tells them apart");
    items.push_back({r.key, r.duration_s});
    plan.recordings.push_back(std::move(r));
  }
  RememberedShards remembered;
  if (previous && previous->shardCount == shardCount)
    for (const auto& r : previous->recordings) remembered.emplace(r.key, r.shard);
  const auto shards = assignShards(items, shardCount, remembered);
  for (std::size_t i = 0; i < shards.size(); ++i) plan.recordings[i].shard = shards[i];
  plan.shardDuration_s = shardLoads(items, shards, shardCount);
  return plan;
}

BatchPlan makePlan(const std::string& kind, const std::vector<fs::path>& sessions,
                   const fs::path& root, int shardCount, const BatchPlan* previous) {
  std::vector<double> durations;
  durations.reserve(sessions.size());
  for (const auto& session : sessions) {
    try {
      durations.push_back(SessionReader::open(session).header().durationSeconds());
    } catch (const Error&) {
      durations.push_back(0);  // run anyway: its failure record names the problem
    }
  }
  return planFromDurations(kind, sessions, durations, root, shardCount, previous);
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
          {"version", 2},
          {"assignment", "lpt-remembered"},
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

std::optional<BatchPlan> readPlan(const fs::path& outDir) {
  const auto path = planPath(outDir);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(path.string(), std::string("is not JSON: ") + e.what(),
                "remove it and re-run the batch's shards (it is only ever written whole, so "
                "something else wrote it)");
  }
  if (!parsed.is_object() || parsed.value("format", "") != "imuwb-batch-plan")
    throw Error(path.string(), "is not an imuwb batch plan",
                "give a batch's own --out-dir, or remove the file");
  return planFromJson(parsed);
}

void writePlan(const BatchPlan& plan, const fs::path& outDir) {
  fs::create_directories(planPath(outDir).parent_path());
  writeTextAtomically(planPath(outDir), planToJson(plan).dump(1) + "\n", "batch plan");
}

}  // namespace imuwb::batch
