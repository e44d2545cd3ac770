// The engine's thread pool: every index runs exactly once per job, back-to-back jobs never
// leak into each other, exceptions reach the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <stdexcept>
#include <vector>

#include "engine/ThreadPool.hpp"

namespace imuwb::engine {
namespace {

TEST(ThreadPool, RunsEveryIndexExactlyOnceAcrossManyShortJobs) {
  for (int threads : {2, 3}) {
    ThreadPool pool(threads);
    std::mt19937 rng(threads);
    for (int job = 0; job < 3000; ++job) {
      const std::int64_t count = std::uniform_int_distribution<int>(0, 12)(rng);
      std::vector<std::atomic<int>> hits(count);
      std::atomic<int> badWorker{0};
      pool.parallelFor(count, [&](std::int64_t index, int worker) {
        hits[index].fetch_add(1);
        if (worker < 0 || worker >= pool.size()) badWorker = 1;
      });
      for (std::int64_t i = 0; i < count; ++i) ASSERT_EQ(hits[i].load(), 1) << "job " << job;
      ASSERT_EQ(badWorker.load(), 0);
    }
  }
}

TEST(ThreadPool, PropagatesTheFirstException) {
  ThreadPool pool(2);
  EXPECT_THROW(pool.parallelFor(8,
                                [](std::int64_t index, int) {
                                  if (index == 5) throw std::runtime_error("boom");
                                }),
               std::runtime_error);
  std::atomic<int> calls{0};
  pool.parallelFor(4, [&](std::int64_t, int) { calls++; });  // still usable afterwards
  EXPECT_EQ(calls.load(), 4);
}

}  // namespace
}  // namespace imuwb::engine
