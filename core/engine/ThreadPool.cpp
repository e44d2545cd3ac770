#include "engine/ThreadPool.hpp"

#include <chrono>
#include <string>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"

namespace imuwb::engine {

namespace {
constexpr std::uint64_t kIndexMask = 0xFFFFFFFFull;
std::uint32_t generationOf(std::uint64_t ticket) {
  return static_cast<std::uint32_t>(ticket >> 32);
}
}  // namespace

int validateThreadCount(long long requested, std::string_view where) {
  const auto limit = limits::value(limits::kThreads);
  if (requested < 0)
    throw Error(std::string(where), "thread count " + std::to_string(requested) + " is negative",
                "give a count from 1 to " + std::to_string(limit) + " (0 = all cores)");
  if (static_cast<unsigned long long>(requested) > limit)
    throw Error(std::string(where),
                "thread count " + std::to_string(requested) + " is over the threads limit of " +
                    std::to_string(limit),
                "use at most " + std::to_string(limit) + " (this machine has " +
                    std::to_string(std::thread::hardware_concurrency()) +
                    " cores); raise the limit with IMUWB_LIMIT_THREADS=N");
  return static_cast<int>(requested);
}

ThreadPool::ThreadPool(int threads) {
  validateThreadCount(threads, "engine threads");
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::drain(int worker, std::uint32_t generation) {
  for (;;) {
    std::uint64_t ticket = ticket_.load(std::memory_order_acquire);
    if (generationOf(ticket) != generation) return;
    const std::uint64_t index = ticket & kIndexMask;
    if (static_cast<std::int64_t>(index) >= count_.load(std::memory_order_relaxed)) return;
    if (!ticket_.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acq_rel)) continue;
    // The claim succeeded for this generation, so the caller is still waiting for this item:
    // fn_ is the job's function.
    try {
      (*fn_)(static_cast<std::int64_t>(index), worker);
    } catch (...) {
      std::lock_guard lock(errorMutex_);
      if (!error_) error_ = std::current_exception();
    }
    done_.fetch_add(1, std::memory_order_release);
  }
}

void ThreadPool::run(std::int64_t count, RangeFn fn) {
  if (count <= 0) return;
  if (workers_.empty() || count == 1) {
    for (std::int64_t i = 0; i < count; ++i) fn(i, 0);
    return;
  }
  std::uint32_t generation;
  {
    std::lock_guard lock(mutex_);
    fn_ = &fn;
    count_.store(count, std::memory_order_relaxed);
    error_ = nullptr;
    done_.store(0, std::memory_order_relaxed);
    generation = ++generation_;
    ticket_.store(std::uint64_t(generation) << 32, std::memory_order_release);
  }
  wake_.notify_all();
  drain(0, generation);
  while (done_.load(std::memory_order_acquire) < count) std::this_thread::yield();
  // Close the job: a worker that wakes now sees an exhausted index and claims nothing.
  ticket_.store((std::uint64_t(generation) << 32) | kIndexMask, std::memory_order_release);
  if (error_) std::rethrow_exception(error_);
}

void ThreadPool::workerLoop(int worker) {
  std::uint32_t seen = 0;
  for (;;) {
    // Spin a little first: kernels issue many short splits in a row.
    const auto spinUntil = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
    while (generationOf(ticket_.load(std::memory_order_acquire)) == seen &&
           std::chrono::steady_clock::now() < spinUntil) {
    }
    std::uint32_t generation;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generationOf(ticket_.load()) != seen; });
      if (stopping_) return;
      generation = generationOf(ticket_.load());
    }
    seen = generation;
    drain(worker, generation);
  }
}

}  // namespace imuwb::engine
