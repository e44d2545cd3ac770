// Shard balance (docs/scale.md, "How recordings are assigned"): the largest shard's hours over
// the mean, for pure rendezvous hashing (the assignment before) and the remembered LPT plan
// (batch/ShardAssignment), on the fleets of the issue:
//   24 x 1 h over 5 shards; 24 x U(0.5, 1.5) h over 5; 1000 x lognormal(0, 0.5) h over 16 and
//   over 100;
// each random fleet drawn with 50 seeds (mean and worst of max/mean). "grown" plans 80% of the
// fleet, then adds the rest in 10 steps, each planned with the previous plan remembered (what a
// batch that gains recordings every night gets); "moved" counts recordings of earlier steps that
// changed shard (must be 0). The Graham bound column is total/n + (1 - 1/n) * longest over the
// mean. Also the planning time of the largest fleet.
//   bench_shard_balance
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "batch/ShardAssignment.hpp"

namespace {

using imuwb::batch::ShardItem;

struct Fleet {
  const char* name;
  std::size_t count;
  int shards;
  int kind;  // 0: 1 h each, 1: U(0.5, 1.5) h, 2: lognormal(0, 0.5) h
};

std::vector<ShardItem> draw(const Fleet& f, unsigned seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0.5, 1.5);
  std::lognormal_distribution<double> lognormal(0.0, 0.5);
  std::vector<ShardItem> items;
  for (std::size_t i = 0; i < f.count; ++i) {
    const double hours = f.kind == 0 ? 1.0 : f.kind == 1 ? uniform(random) : lognormal(random);
    items.push_back({"site" + std::to_string(i % 7) + "/collar" + std::to_string(i % 31) + "/rec" +
                         std::to_string(seed) + "-" + std::to_string(i) + ".h5",
                     3600.0 * hours});
  }
  return items;
}

double maxOverMean(const std::vector<ShardItem>& items, const std::vector<int>& shards, int n) {
  const auto load = imuwb::batch::shardLoads(items, shards, n);
  const double total = std::accumulate(load.begin(), load.end(), 0.0);
  return *std::max_element(load.begin(), load.end()) / (total / n);
}

double grahamOverMean(const std::vector<ShardItem>& items, int n) {
  double total = 0, longest = 0;
  for (const auto& i : items) total += i.duration_s, longest = std::max(longest, i.duration_s);
  return (total / n + (1.0 - 1.0 / n) * longest) / (total / n);
}

// Plans 80%, then grows to the whole fleet in 10 steps with the plan remembered.
std::vector<int> grow(const std::vector<ShardItem>& items, int n, std::size_t& moved) {
  std::size_t have = items.size() * 8 / 10;
  const std::size_t step = std::max<std::size_t>(1, (items.size() - have + 9) / 10);
  imuwb::batch::RememberedShards remembered;
  std::vector<int> shards;
  for (;;) {
    const std::vector<ShardItem> part(items.begin(), items.begin() + long(have));
    shards = imuwb::batch::assignShards(part, n, remembered);
    for (std::size_t i = 0; i < part.size(); ++i) {
      const auto it = remembered.find(part[i].key);
      if (it != remembered.end() && it->second != shards[i]) ++moved;
      remembered[part[i].key] = shards[i];
    }
    if (have == items.size()) return shards;
    have = std::min(items.size(), have + step);
  }
}

struct Stat {
  double sum = 0, worst = 0;
  int n = 0;
  void add(double v) { sum += v, worst = std::max(worst, v), ++n; }
  double mean() const { return n ? sum / n : 0; }
};

}  // namespace

int main() {
  const Fleet fleets[] = {{"24 x 1 h / 5", 24, 5, 0},
                          {"24 x U(0.5,1.5) h / 5", 24, 5, 1},
                          {"1000 x lognormal / 16", 1000, 16, 2},
                          {"1000 x lognormal / 100", 1000, 100, 2}};
  std::printf("%-24s %-22s %-22s %-22s %-10s %s\n", "fleet / shards", "rendezvous mean (worst)",
              "LPT mean (worst)", "LPT grown mean (worst)", "bound", "moved");
  for (const auto& f : fleets) {
    Stat hashed, lpt, grown, bound;
    std::size_t moved = 0;
    const unsigned seeds = f.kind == 0 ? 1 : 50;
    for (unsigned seed = 1; seed <= seeds; ++seed) {
      const auto items = draw(f, seed);
      hashed.add(maxOverMean(items, imuwb::batch::rendezvousShards(items, f.shards), f.shards));
      lpt.add(maxOverMean(items, imuwb::batch::assignShards(items, f.shards), f.shards));
      grown.add(maxOverMean(items, grow(items, f.shards, moved), f.shards));
      bound.add(grahamOverMean(items, f.shards));
    }
    std::printf(
        "%-24s %6.3f (%6.3f)        %6.3f (%6.3f)        %6.3f (%6.3f)        %6.3f     %zu\n",
        f.name, hashed.mean(), hashed.worst, lpt.mean(), lpt.worst, grown.mean(), grown.worst,
        bound.mean(), moved);
  }
  const auto big = draw({"", 100000, 1000, 2}, 3);
  const auto start = std::chrono::steady_clock::now();
  const auto shards = imuwb::batch::assignShards(big, 1000);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("planning 100,000 recordings over 1000 shards: %.3f s (max/mean %.4f)\n", s,
              maxOverMean(big, shards, 1000));
  return 0;
}
