#pragma once
// Which shard of a batch takes which recording (docs/scale.md, "How recordings are assigned").
//
// Rendezvous (highest-random-weight) hashing with bounded loads. Every recording ranks the n
// shards by a 64-bit hash of (its path relative to --root, the shard number): its own, fixed
// order of preference, which depends on nothing else. Recordings are then placed longest first
// (ties by the hash of the path, then the path), each on the first shard in its order whose load
// (summed duration, from the session headers) stays within the cap (1 + slack) x total / n, or,
// when none has room, on the least-loaded shard.
//
// Stability: while no shard reaches its cap, every recording sits on its first choice, so adding
// a recording moves that recording only and removing one moves none (tests/core/batch). The cap
// binds only when hashing alone would leave a shard more than `slack` above the mean: then the
// balance wins and a few recordings may move. Nothing depends on the order of the inputs.
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

inline constexpr double kShardSlack = 0.25;

// The shard (0..count-1) of each item, in the items' order.
std::vector<int> assignShards(const std::vector<ShardItem>& items, int count,
                              double slack = kShardSlack);

// Shard `shard`'s rendezvous score for key (higher is preferred); stable across platforms.
std::uint64_t rendezvousScore(const std::string& key, int shard);

}  // namespace imuwb::batch
