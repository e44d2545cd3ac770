#include "batch/ShardAssignment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "common/Error.hpp"

namespace imuwb::batch {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// An item's load: its duration, or 0 when unknown (a header that could not be read).
double loadOf(const ShardItem& item) {
  return std::isfinite(item.duration_s) && item.duration_s > 0 ? item.duration_s : 0.0;
}

// The shard of the highest rendezvous score among those `eligible` accepts (all when empty).
int bestScoring(const std::string& key, int count, const std::function<bool(int)>& eligible) {
  int best = -1;
  std::uint64_t bestScore = 0;
  for (int j = 0; j < count; ++j) {
    if (eligible && !eligible(j)) continue;
    const auto score = rendezvousScore(key, j);
    if (best < 0 || score > bestScore) best = j, bestScore = score;
  }
  return best;
}

int parseCount(const std::string& text, const std::string& spec) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 0 || v > 1000000)
    throw Error("--shard " + spec, "'" + text + "' is not a whole number",
                "write --shard INDEX/COUNT (0-based index), e.g. --shard 3/16 or --shard auto/16");
  return static_cast<int>(v);
}

}  // namespace

std::uint64_t rendezvousScore(const std::string& key, int shard) {
  return splitmix64(fnv1a(key) ^ splitmix64(static_cast<std::uint64_t>(shard)));
}

ShardSpec parseShard(const std::string& text,
                     const std::function<const char*(const char*)>& getenvFn) {
  const auto slash = text.find('/');
  if (slash == std::string::npos)
    throw Error("--shard " + text, "expected INDEX/COUNT",
                "e.g. --shard 3/16, or --shard auto/16 inside a SLURM, Kubernetes or AWS Batch "
                "array job");
  ShardSpec spec;
  spec.count = parseCount(text.substr(slash + 1), text);
  if (spec.count < 1) throw Error("--shard " + text, "the shard count must be at least 1");
  const std::string index = text.substr(0, slash);
  spec.source = "--shard";
  if (index == "auto") {
    const auto get = getenvFn ? getenvFn : [](const char* name) { return std::getenv(name); };
    const char* value = nullptr;
    for (const char* name : kShardIndexVariables)
      if ((value = get(name)) != nullptr) {
        spec.source = name;
        break;
      }
    if (!value)
      throw Error("--shard " + text,
                  "none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX "
                  "is set",
                  "run inside an array job (sbatch --array, a Kubernetes Indexed Job, an AWS Batch "
                  "array job) or give the index: --shard 0/" +
                      std::to_string(spec.count));
    spec.index = parseCount(value, text + " (" + spec.source + "=" + value + ")");
  } else {
    spec.index = parseCount(index, text);
  }
  if (spec.index >= spec.count)
    throw Error("--shard " + text + (spec.source == "--shard" ? "" : " (" + spec.source + ")"),
                "shard index " + std::to_string(spec.index) + " is not below the count " +
                    std::to_string(spec.count),
                "indices are 0-based: 0.." + std::to_string(spec.count - 1) +
                    " (sbatch --array=0-" + std::to_string(spec.count - 1) + ")");
  return spec;
}

std::vector<int> rendezvousShards(const std::vector<ShardItem>& items, int count) {
  if (count < 1) throw Error("shard assignment", "the shard count must be at least 1");
  std::vector<int> shard(items.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) shard[i] = bestScoring(items[i].key, count, {});
  return shard;
}

std::vector<int> assignShards(const std::vector<ShardItem>& items, int count,
                              const RememberedShards& remembered) {
  if (count < 1) throw Error("shard assignment", "the shard count must be at least 1");
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return items[a].key < items[b].key; });
  for (std::size_t i = 1; i < order.size(); ++i)
    if (items[order[i]].key == items[order[i - 1]].key)
      throw Error("shard assignment", "two recordings share the key '" + items[order[i]].key + "'",
                  "give each session once, or a --root that tells them apart");
  std::vector<int> shard(items.size(), -1);
  std::vector<double> load(static_cast<std::size_t>(count), 0.0);
  std::vector<std::size_t> pending;
  for (const std::size_t i : order) {  // key order: the kept loads sum the same in every shard
    const auto it = remembered.find(items[i].key);
    if (it != remembered.end() && it->second >= 0 && it->second < count) {
      shard[i] = it->second;
      load[static_cast<std::size_t>(it->second)] += loadOf(items[i]);
    } else {
      pending.push_back(i);
    }
  }
  std::stable_sort(pending.begin(), pending.end(), [&](std::size_t a, std::size_t b) {
    return loadOf(items[a]) > loadOf(items[b]);  // longest first; stable keeps key order on ties
  });
  for (const std::size_t i : pending) {
    const double least = *std::min_element(load.begin(), load.end());
    shard[i] =
        bestScoring(items[i].key, count, [&](int j) { return load[std::size_t(j)] == least; });
    load[static_cast<std::size_t>(shard[i])] += loadOf(items[i]);
  }
  return shard;
}

std::vector<double> shardLoads(const std::vector<ShardItem>& items, const std::vector<int>& shards,
                               int count) {
  std::vector<double> load(static_cast<std::size_t>(count), 0.0);
  for (std::size_t i = 0; i < items.size(); ++i)
    load.at(static_cast<std::size_t>(shards[i])) += items[i].duration_s;
  return load;
}

}  // namespace imuwb::batch
