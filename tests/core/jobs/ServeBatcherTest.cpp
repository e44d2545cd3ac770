// serve's engine queue with a recording test double for the backend: a lone caller runs its
// window on its own thread (no hand-off), concurrent callers share backend calls and each gets
// its own window's answer, and a failing call fails exactly the windows in it.
#include "jobs/ServeBatcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>

#include "common/Error.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::jobs {
namespace {

// Answers each window with the sum of its values; records the calling threads and batch sizes.
class SummingBackend : public Backend {
 public:
  BackendInfo describe() const override { return {"summing", "test", "test", "fp32"}; }
  void load(const ModelBundle&) override {}
  OutputSet run(const Batch& batch) override {
    const std::size_t n = batch.windowCount(), per = batch.valuesPerWindow();
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
      sizes.push_back(n);
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (failNext.exchange(false)) throw Error("summing backend", "failed on purpose");
    OutputTensor sums{"sum", {static_cast<std::int64_t>(n), 1}, std::vector<float>(n)};
    for (std::size_t w = 0; w < n; ++w)
      sums.values[w] = std::accumulate(batch.values.begin() + w * per,
                                       batch.values.begin() + (w + 1) * per, 0.0f);
    return {{sums}};
  }

  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::vector<std::size_t> sizes;
  std::chrono::milliseconds delay{0};
  std::atomic<bool> failNext{false};
};

ModelBundle sampleBundle() {
  return loadModelBundle(test::sourceDir() / "samples/models/dog_behavior_conv2d");
}

std::vector<float> windowOf(const Manifest& manifest, float value) {
  const auto dims = canonicalDims(manifest);
  return std::vector<float>(static_cast<std::size_t>(dims.h) * dims.w * kChannelCount, value);
}

TEST(ServeBatcher, ALoneCallerRunsItsWindowOnItsOwnThread) {
  const auto bundle = sampleBundle();
  SummingBackend backend;
  ServeBatcher batcher(backend, bundle.manifest, 32);
  const auto window = windowOf(bundle.manifest, 0.5f);
  for (int call = 0; call < 20; ++call) {
    const auto outputs = batcher.infer(window);
    ASSERT_EQ(outputs.size(), 1u);
    EXPECT_FLOAT_EQ(outputs[0].values.at(0), 0.5f * window.size());
  }
  EXPECT_EQ(backend.threads, std::set<std::thread::id>{std::this_thread::get_id()});
  EXPECT_EQ(batcher.batches(), 20u);
  EXPECT_EQ(batcher.windows(), 20u);
}

TEST(ServeBatcher, ConcurrentCallersShareCallsAndEachGetsItsOwnAnswer) {
  const auto bundle = sampleBundle();
  SummingBackend backend;
  backend.delay = std::chrono::milliseconds(3);  // so that windows queue while a batch runs
  ServeBatcher batcher(backend, bundle.manifest, 8);
  constexpr int kCallers = 32, kCalls = 10;
  std::atomic<int> wrong{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < kCallers; ++c)
    callers.emplace_back([&, c] {
      for (int call = 0; call < kCalls; ++call) {
        const float value = static_cast<float>(c * kCalls + call);
        const auto window = windowOf(bundle.manifest, value);
        const auto outputs = batcher.infer(window);
        if (outputs.at(0).values.at(0) != value * static_cast<float>(window.size())) ++wrong;
      }
    });
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(batcher.windows(), static_cast<std::size_t>(kCallers * kCalls));
  EXPECT_LT(batcher.batches(), batcher.windows()) << "32 callers, yet one window per call";
  for (const auto size : backend.sizes) EXPECT_LE(size, 8u);
}

TEST(ServeBatcher, AFailedCallFailsItsWindowsAndTheNextCallRuns) {
  const auto bundle = sampleBundle();
  SummingBackend backend;
  ServeBatcher batcher(backend, bundle.manifest, 32);
  const auto window = windowOf(bundle.manifest, 1.0f);
  backend.failNext = true;
  EXPECT_THROW(batcher.infer(window), Error);
  EXPECT_FLOAT_EQ(batcher.infer(window).at(0).values.at(0), static_cast<float>(window.size()));
}

}  // namespace
}  // namespace imuwb::jobs
