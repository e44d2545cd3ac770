#pragma once
// Which shard of a batch takes which recording (docs/scale.md, "How recordings are assigned").
//
// Longest-processing-time-first (LPT) balancing by duration, remembered between runs:
//  - a recording the batch's earlier plan (OUT_DIR/_batch/plan.json, same shard count) already
//    placed keeps its shard, so a finished result is never redone elsewhere;
//  - the others, longest first (ties: by key), each go to the shard with the least hours so far
//    (ties: the highest rendezvous score hash(key, shard), so equal or unknown lengths spread
//    like rendezvous hashing).
// Adding a recording therefore moves no other, removing one moves none, and the input order does
// not matter (the kept loads are summed in key order). A fresh plan meets Graham's list-
// scheduling bound: largest shard <= total / n + (1 - 1/n) * longest recording; on 24 one-hour
// recordings over 5 shards that is 5 h, where rendezvous hashing put 9 h on one shard of the
// bench's fleet (bench/shard_balance; docs/scale.md has the other fleets).
// Every shard computes the same plan from the same inputs and the same remembered plan, and
// recomputing from a plan it wrote gives that plan again, so shards that start at different
// moments (one reading the plan another just wrote) still agree.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace imuwb::batch {

struct ShardSpec {
  int index = 0;  // 0-based
  int count = 1;
  std::string source;  // "--shard" or the environment variable the index came from
};

// Reads the engines' array-index variables, in this order.
inline constexpr const char* kShardIndexVariables[] = {
    "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"};

// "i/n" (0 <= i < n) or "auto/n" (i from the first variable of kShardIndexVariables that is set).
// getenv is std::getenv unless a test passes its own. Throws imuwb::Error naming the fix.
ShardSpec parseShard(const std::string& text,
                     const std::function<const char*(const char*)>& getenv = nullptr);

struct ShardItem {
  std::string key;        // the path relative to --root
  double duration_s = 0;  // the load it brings
};

// Shards an earlier plan gave, by key.
using RememberedShards = std::map<std::string, int>;

// The shard (0..count-1) of each item, in the items' order: remembered shards kept (those
// outside 0..count-1 ignored), the rest placed longest first on the least-loaded shard. Throws
// imuwb::Error when the count is below 1 or two items share a key.
std::vector<int> assignShards(const std::vector<ShardItem>& items, int count,
                              const RememberedShards& remembered = {});

// Pure rendezvous hashing: each item on its highest-scoring shard (what assignShards did before
// it balanced; kept for the bench's comparison).
std::vector<int> rendezvousShards(const std::vector<ShardItem>& items, int count);

// Each shard's summed duration under an assignment.
std::vector<double> shardLoads(const std::vector<ShardItem>& items, const std::vector<int>& shards,
                               int count);

// Shard `shard`'s rendezvous score for key (higher is preferred); stable across platforms.
std::uint64_t rendezvousScore(const std::string& key, int shard);

}  // namespace imuwb::batch
