#pragma once
// Which shard of a batch takes which recording (docs/scale.md, "How recordings are assigned").
//
// Rendezvous (highest-random-weight) hashing: a recording goes to the shard with the highest
// 64-bit score hash(path relative to --root, shard number). Its shard depends on nothing but its
// own key and the shard count, so adding a recording moves that recording only, removing one
// moves none, and the order of the inputs does not matter (tests/core/batch).
//
// Duration: every shard's expected load is total / n hours, since each recording lands on any
// shard with the same probability whatever its length. The spread around it shrinks with the
// recordings per shard (relative standard deviation about sqrt(n * sum d^2) / sum d: ~10% with
// 100 one-hour recordings per shard). The plan records each shard's hours from the session
// headers (shardLoads) and the CLI reports the largest against the mean. A balancing pass that
// moves recordings between shards (bounded loads, longest first) was tried and dropped: any
// such pass depends on the other recordings, so adding one recording can move others, and a
// re-sharded batch would then redo finished work.
#include <cstdint>
#include <functional>
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

// The shard (0..count-1) of each item, in the items' order.
std::vector<int> assignShards(const std::vector<ShardItem>& items, int count);

// Each shard's summed duration under an assignment.
std::vector<double> shardLoads(const std::vector<ShardItem>& items, const std::vector<int>& shards,
                               int count);

// Shard `shard`'s rendezvous score for key (higher is preferred); stable across platforms.
std::uint64_t rendezvousScore(const std::string& key, int shard);

}  // namespace imuwb::batch
