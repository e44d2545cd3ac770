#pragma once
// A small fixed pool for the engine: the caller plus threads-1 workers split an index range.
// Workers spin briefly before sleeping so back-to-back kernel splits (batch 1, 2 threads) do
// not pay a futex wake per layer.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

namespace imuwb::engine {

// A non-owning callable reference (no allocation, unlike std::function).
class RangeFn {
 public:
  template <class F>
  RangeFn(F& f)  // NOLINT: implicit on purpose
      : object_(&f), call_([](void* o, std::int64_t index, int worker) {
          (*static_cast<F*>(o))(index, worker);
        }) {}
  void operator()(std::int64_t index, int worker) const { call_(object_, index, worker); }

 private:
  void* object_;
  void (*call_)(void*, std::int64_t, int);
};

// requested, unless it is negative or above the `threads` limit (IMUWB_LIMIT_THREADS): then an
// imuwb::Error naming where ("--threads") and the limit. 100000 threads once made the machine
// unusable for a minute; a count is validated before any thread starts.
int validateThreadCount(long long requested, std::string_view where);

class ThreadPool {
 public:
  // threads: total, including the calling thread. Throws imuwb::Error above the threads limit.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Calls fn(index, worker) for index in [0, count), worker in [0, size()). Blocks until done.
  // Rethrows the first exception a call threw. Not re-entrant.
  template <class F>
  void parallelFor(std::int64_t count, F&& fn) {
    auto& ref = fn;
    run(count, RangeFn(ref));
  }

 private:
  void run(std::int64_t count, RangeFn fn);
  void workerLoop(int worker);
  void drain(int worker, std::uint32_t generation);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  // (generation << 32) | next index to claim. Claims are CAS-validated against the generation,
  // so a worker that wakes late can never run an index of a finished or newer job, and the
  // caller waits only for the items to finish, not for every worker to check in.
  std::atomic<std::uint64_t> ticket_{0};
  std::atomic<std::int64_t> done_{0};
  std::uint32_t generation_ = 0;
  std::atomic<std::int64_t> count_{0};  // read by workers racing with the next job's setup
  RangeFn* fn_ = nullptr;
  bool stopping_ = false;
  std::exception_ptr error_;
  std::mutex errorMutex_;
};

}  // namespace imuwb::engine
