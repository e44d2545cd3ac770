// Shard assignment (batch/ShardAssignment): the index from --shard or the engines' variables,
// stability when recordings are added or removed (with the remembered plan), the duration
// balance (Graham's list-scheduling bound), order independence, and equality with an independent
// Python implementation of the rule (tests/peers/shard_plan_peer.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <string>

#include "batch/ShardAssignment.hpp"
#include "common/Error.hpp"
#include "support/TestEnvironment.hpp"

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

std::map<std::string, int> byKey(const std::vector<ShardItem>& items, int shards,
                                 const RememberedShards& remembered = {}) {
  const auto assigned = assignShards(items, shards, remembered);
  std::map<std::string, int> out;
  for (std::size_t i = 0; i < items.size(); ++i) out[items[i].key] = assigned[i];
  return out;
}

double longest(const std::vector<ShardItem>& items) {
  double m = 0;
  for (const auto& i : items) m = std::max(m, i.duration_s);
  return m;
}

// Graham's bound for greedy list scheduling: max <= total / n + (1 - 1/n) * longest.
void expectListSchedulingBound(const std::vector<ShardItem>& items, const std::vector<int>& shards,
                               int n, const std::string& what) {
  const auto load = shardLoads(items, shards, n);
  const double total = std::accumulate(load.begin(), load.end(), 0.0);
  const double bound = total / n + (1.0 - 1.0 / n) * longest(items);
  EXPECT_LE(*std::max_element(load.begin(), load.end()), bound * (1 + 1e-12)) << what;
}

TEST(AssignShards, AddingARecordingMovesOnlyThatRecording) {
  for (const std::size_t count : {24u, 500u, 2000u}) {
    for (const int shards : {2, 5, 16}) {
      auto items = fleet(count, 7);
      const auto before = byKey(items, shards);
      items.push_back({"collar-3/new-recording.h5", 5400.0});
      const auto after = byKey(items, shards, before);  // the plan remembers `before`
      std::size_t moved = 0;
      for (const auto& [key, shard] : before) moved += after.at(key) != shard;
      EXPECT_EQ(moved, 0u) << count << " recordings, " << shards << " shards";
      // Removing one moves none either.
      items.erase(items.begin() + 3);
      const auto removed = byKey(items, shards, after);
      EXPECT_EQ(removed.size(), after.size() - 1);
      for (const auto& [key, shard] : removed) EXPECT_EQ(shard, after.at(key)) << key;
    }
  }
}

TEST(AssignShards, AFreshPlanMeetsTheListSchedulingBound) {
  std::vector<ShardItem> hours24;
  for (int i = 0; i < 24; ++i) hours24.push_back({"r" + std::to_string(i) + ".h5", 3600.0});
  const auto even = assignShards(hours24, 5);
  const auto load = shardLoads(hours24, even, 5);
  // 24 equal hours over 5 shards: four shards of 5 h and one of 4 h, nothing better exists.
  EXPECT_EQ(*std::max_element(load.begin(), load.end()), 5 * 3600.0);
  EXPECT_EQ(*std::min_element(load.begin(), load.end()), 4 * 3600.0);
  for (const auto& [count, n] :
       std::vector<std::pair<std::size_t, int>>{{24, 5}, {100, 7}, {1000, 16}, {1000, 100}, {3, 8}})
    expectListSchedulingBound(fleet(count, 5), assignShards(fleet(count, 5), n), n,
                              std::to_string(count) + " over " + std::to_string(n));
}

TEST(AssignShards, AGrowingBatchStaysWithinTheBoundOfWhatWasAdded) {
  // Each new recording lands on the least-loaded shard, so after growth the largest shard is at
  // most max(the largest before, total / n + (1 - 1/n) * the longest added).
  auto items = fleet(400, 21);
  auto plan = byKey(items, 9);
  double before = 0;
  for (double l : shardLoads(items, assignShards(items, 9), 9)) before = std::max(before, l);
  const auto added = fleet(450, 99);
  std::vector<ShardItem> fresh(added.begin() + 400, added.end());
  for (auto& f : fresh) f.key = "new/" + f.key;
  items.insert(items.end(), fresh.begin(), fresh.end());
  const auto grown = assignShards(items, 9, plan);
  const auto load = shardLoads(items, grown, 9);
  const double total = std::accumulate(load.begin(), load.end(), 0.0);
  EXPECT_LE(*std::max_element(load.begin(), load.end()),
            std::max(before, total / 9 + (1.0 - 1.0 / 9) * longest(fresh)) * (1 + 1e-12));
}

TEST(AssignShards, DoesNotDependOnTheInputOrder) {
  auto items = fleet(300, 3);
  const auto forward = byKey(items, 7);
  RememberedShards remembered;  // every other recording kept, on another shard than now
  bool keep = false;
  for (const auto& [key, shard] : forward)
    if ((keep = !keep)) remembered[key] = (shard + 1) % 7;
  const auto forwardKept = byKey(items, 7, remembered);
  std::mt19937 random(4);
  for (int round = 0; round < 3; ++round) {
    std::shuffle(items.begin(), items.end(), random);
    EXPECT_EQ(byKey(items, 7), forward);
    EXPECT_EQ(byKey(items, 7, remembered), forwardKept);
  }
}

TEST(AssignShards, ReplanningFromItsOwnPlanGivesThatPlan) {
  // What lets shards that start at different moments agree: one that reads the plan another
  // just wrote computes the same plan again.
  for (const int n : {1, 4, 13}) {
    const auto items = fleet(250, 8);
    const auto first = byKey(items, n);
    EXPECT_EQ(byKey(items, n, first), first) << n;
  }
}

TEST(AssignShards, IgnoresRememberedShardsOutsideTheCountAndRefusesSharedKeys) {
  const auto items = fleet(40, 2);
  RememberedShards remembered{{items[0].key, 9}, {items[1].key, -1}};
  for (const auto& [key, shard] : byKey(items, 4, remembered)) EXPECT_LT(shard, 4) << key;
  auto twice = items;
  twice.push_back(items[5]);
  EXPECT_THROW(assignShards(twice, 4), Error);
}

TEST(AssignShards, EqualsTheIndependentPeer) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  auto items = fleet(600, 13);
  items[3].duration_s = 0;                    // an unreadable header
  items[4].duration_s = items[5].duration_s;  // a tie in length
  for (int i = 0; i < 20; ++i) items.push_back({"same-length/" + std::to_string(i), 1800.0});
  for (const int n : {1, 5, 16, 100}) {
    RememberedShards remembered;
    for (std::size_t i = 0; i < items.size(); i += 3)
      remembered[items[i].key] = static_cast<int>((i * 7) % static_cast<std::size_t>(n + 1));
    for (const bool remember : {false, true}) {
      const auto& kept = remember ? remembered : RememberedShards{};
      nlohmann::json task = {
          {"count", n}, {"items", nlohmann::json::array()}, {"remembered", kept}};
      for (const auto& i : items) task["items"].push_back({i.key, i.duration_s});
      std::ofstream(dir / "task.json") << task.dump();
      const auto ran = test::runCommand(
          test::shellQuote(test::pythonPath()) + " " +
          test::shellQuote((test::sourceDir() / "tests/peers/shard_plan_peer.py").string()) + " " +
          test::shellQuote((dir / "task.json").string()) + " " +
          test::shellQuote((dir / "out.json").string()));
      ASSERT_EQ(ran.exitCode, 0) << ran.errors;
      std::ifstream in(dir / "out.json");
      const auto peer = nlohmann::json::parse(in)["shards"].get<std::vector<int>>();
      EXPECT_EQ(assignShards(items, n, kept), peer) << n << " shards, remembered " << remember;
    }
  }
}

TEST(AssignShards, RendezvousAloneIsStableButUnbalancedOnFewRecordings) {
  // The comparison the balancing is for (bench/shard_balance measures it on more fleets).
  std::vector<ShardItem> hours24;
  for (int i = 0; i < 24; ++i) hours24.push_back({"r" + std::to_string(i) + ".h5", 3600.0});
  const auto lpt = shardLoads(hours24, assignShards(hours24, 5), 5);
  const auto hashed = shardLoads(hours24, rendezvousShards(hours24, 5), 5);
  EXPECT_LT(*std::max_element(lpt.begin(), lpt.end()),
            *std::max_element(hashed.begin(), hashed.end()));
}

TEST(AssignShards, OneShardTakesEverything) {
  const auto assigned = assignShards(fleet(10, 1), 1);
  EXPECT_TRUE(std::all_of(assigned.begin(), assigned.end(), [](int s) { return s == 0; }));
}

}  // namespace
}  // namespace imuwb::batch
