// Shard assignment (batch/ShardAssignment): the index from --shard or the engines' variables,
// stability when recordings are added or removed, and the duration balance.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "batch/ShardAssignment.hpp"
#include "common/Error.hpp"

namespace imuwb::batch {
namespace {

std::function<const char*(const char*)> env(std::map<std::string, std::string> values) {
  auto held = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [held](const char* name) -> const char* {
    const auto it = held->find(name);
    return it == held->end() ? nullptr : it->second.c_str();
  };
}

TEST(ParseShard, ReadsAnExplicitIndexAndEachEnginesVariable) {
  const auto explicitShard = parseShard("3/16", env({}));
  EXPECT_EQ(explicitShard.index, 3);
  EXPECT_EQ(explicitShard.count, 16);
  for (const char* name : kShardIndexVariables) {
    const auto spec = parseShard("auto/8", env({{name, "5"}}));
    EXPECT_EQ(spec.index, 5) << name;
    EXPECT_EQ(spec.source, name);
  }
  // SLURM first when several are set.
  EXPECT_EQ(parseShard("auto/8", env({{"JOB_COMPLETION_INDEX", "1"}, {"SLURM_ARRAY_TASK_ID", "2"}}))
                .index,
            2);
}

TEST(ParseShard, RefusesWhatCannotBeAShard) {
  for (const char* bad : {"3", "a/4", "4/4", "-1/4", "1/0", "1/x"})
    EXPECT_THROW(parseShard(bad, env({})), Error) << bad;
  try {
    parseShard("auto/4", env({}));
    FAIL() << "no variable set";
  } catch (const Error& e) {
    EXPECT_NE(e.problem().find("SLURM_ARRAY_TASK_ID"), std::string::npos);
    EXPECT_NE(e.problem().find("JOB_COMPLETION_INDEX"), std::string::npos);
    EXPECT_NE(e.problem().find("AWS_BATCH_JOB_ARRAY_INDEX"), std::string::npos);
  }
  EXPECT_THROW(parseShard("auto/4", env({{"SLURM_ARRAY_TASK_ID", "4"}})), Error);
}

std::vector<ShardItem> fleet(std::size_t count, unsigned seed) {
  std::mt19937_64 random(seed);
  std::lognormal_distribution<double> hours(0.0, 0.5);
  std::vector<ShardItem> items;
  for (std::size_t i = 0; i < count; ++i)
    items.push_back({"collar-" + std::to_string(i % 37) + "/day-" + std::to_string(i) + ".h5",
                     3600.0 * hours(random)});
  return items;
}

std::map<std::string, int> byKey(const std::vector<ShardItem>& items, int shards) {
  const auto assigned = assignShards(items, shards);
  std::map<std::string, int> out;
  for (std::size_t i = 0; i < items.size(); ++i) out[items[i].key] = assigned[i];
  return out;
}

TEST(AssignShards, AddingARecordingMovesOnlyThatRecording) {
  for (const std::size_t count : {24u, 500u, 2000u}) {
    for (const int shards : {2, 5, 16}) {
      auto items = fleet(count, 7);
      const auto before = byKey(items, shards);
      items.push_back({"collar-3/new-recording.h5", 5400.0});
      const auto after = byKey(items, shards);
      std::size_t moved = 0;
      for (const auto& [key, shard] : before) moved += after.at(key) != shard;
      EXPECT_EQ(moved, 0u) << count << " recordings, " << shards << " shards";
      // Removing one moves none either.
      items.erase(items.begin() + 3);
      const auto removed = byKey(items, shards);
      for (const auto& [key, shard] : removed) EXPECT_EQ(shard, after.at(key)) << key;
    }
  }
}

TEST(AssignShards, DoesNotDependOnTheInputOrder) {
  auto items = fleet(300, 3);
  const auto forward = byKey(items, 7);
  std::reverse(items.begin(), items.end());
  EXPECT_EQ(byKey(items, 7), forward);
}

TEST(AssignShards, SpreadsTheHoursEvenlyOverALargeFleet) {
  // 2000 recordings of lognormal length over 8 shards (250 per shard): every shard within 10%
  // of the mean hours (the expected spread is about 4%).
  const auto items = fleet(2000, 11);
  const auto assigned = assignShards(items, 8);
  const auto load = shardLoads(items, assigned, 8);
  double total = 0;
  for (double l : load) total += l;
  for (double l : load) EXPECT_NEAR(l / (total / 8), 1.0, 0.10);
}

TEST(AssignShards, OneShardTakesEverything) {
  const auto assigned = assignShards(fleet(10, 1), 1);
  EXPECT_TRUE(std::all_of(assigned.begin(), assigned.end(), [](int s) { return s == 0; }));
}

}  // namespace
}  // namespace imuwb::batch
