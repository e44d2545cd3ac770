// The batch plan (batch/BatchPlan): what a shard remembers from the plan already in the output
// folder. The same shard count keeps every remembered recording's shard and places only the
// new ones; another count plans afresh; the plan survives its JSON round trip bit for bit (so
// every shard that reads it computes the same next plan); a damaged plan is an error.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>

#include "batch/BatchPlan.hpp"
#include "common/Error.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::batch {
namespace {

namespace fs = std::filesystem;

struct Fleet {
  std::vector<fs::path> sessions;
  std::vector<double> durations;
};

Fleet fleet(std::size_t count, unsigned seed) {
  std::mt19937_64 random(seed);
  std::lognormal_distribution<double> hours(0.0, 0.6);
  Fleet f;
  for (std::size_t i = 0; i < count; ++i) {
    f.sessions.push_back("/data/site" + std::to_string(i % 5) + "/rec" + std::to_string(i) + ".h5");
    f.durations.push_back(3600.0 * hours(random));
  }
  return f;
}

std::map<std::string, int> shardsOf(const BatchPlan& plan) {
  std::map<std::string, int> out;
  for (const auto& r : plan.recordings) out[r.key] = r.shard;
  return out;
}

TEST(BatchPlan, TheSameShardCountKeepsTheRememberedShards) {
  auto f = fleet(120, 4);
  const auto first = planFromDurations("parity", f.sessions, f.durations, "/data", 6);
  const auto more = fleet(130, 9);
  for (std::size_t i = 120; i < 130; ++i) {
    f.sessions.push_back("/data/new/rec" + std::to_string(i) + ".h5");
    f.durations.push_back(more.durations[i]);
  }
  const auto grown = planFromDurations("parity", f.sessions, f.durations, "/data", 6, &first);
  const auto before = shardsOf(first), after = shardsOf(grown);
  for (const auto& [key, shard] : before) EXPECT_EQ(after.at(key), shard) << key;
  EXPECT_EQ(after.size(), 130u);
  // Each shard's hours add up to the recordings on it.
  double total = 0;
  for (double d : f.durations) total += d;
  double planned = 0;
  for (double d : grown.shardDuration_s) planned += d;
  EXPECT_NEAR(planned, total, 1e-9 * total);
}

TEST(BatchPlan, AnotherShardCountPlansAfresh) {
  const auto f = fleet(80, 2);
  const auto four = planFromDurations("evaluate", f.sessions, f.durations, "/data", 4);
  const auto fresh = planFromDurations("evaluate", f.sessions, f.durations, "/data", 5);
  const auto replanned = planFromDurations("evaluate", f.sessions, f.durations, "/data", 5, &four);
  EXPECT_EQ(shardsOf(replanned), shardsOf(fresh));
}

TEST(BatchPlan, ReadBackFromItsFileItPlansTheSameAgain) {
  test::TempDir dir;
  const auto f = fleet(200, 7);
  const auto plan = planFromDurations("parity", f.sessions, f.durations, "/data", 9);
  writePlan(plan, dir.path());
  const auto read = readPlan(dir.path());
  ASSERT_TRUE(read);
  ASSERT_EQ(read->recordings.size(), plan.recordings.size());
  for (std::size_t i = 0; i < plan.recordings.size(); ++i)
    EXPECT_EQ(read->recordings[i].duration_s, plan.recordings[i].duration_s);  // bit for bit
  const auto again = planFromDurations("parity", f.sessions, f.durations, "/data", 9, &*read);
  EXPECT_EQ(planToJson(again).dump(), planToJson(plan).dump());
}

TEST(BatchPlan, NoPlanIsNothingAndADamagedOneIsAnError) {
  test::TempDir dir;
  EXPECT_FALSE(readPlan(dir.path()));
  fs::create_directories(planPath(dir.path()).parent_path());
  std::ofstream(planPath(dir.path())) << "{\"format\": \"imuwb-batch-plan\", \"recor";
  EXPECT_THROW(readPlan(dir.path()), Error);
  std::ofstream(planPath(dir.path())) << "{\"format\": \"something else\"}";
  EXPECT_THROW(readPlan(dir.path()), Error);
}

}  // namespace
}  // namespace imuwb::batch
