#pragma once
// `imuwb serve`'s engine queue: request threads hand in one normalized window each and wait.
// Whoever finds the engine idle runs everything queued (up to maxBatch) as one backend call on
// its own thread, so a lone client pays no thread hand-off. While a batch runs, the next one
// gathers; when the running thread is done and windows wait, the worker thread takes them. No
// timer: one client pays no added latency and many clients get the engine's batched throughput.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "model/Manifest.hpp"
#include "pipeline/Layout.hpp"
#include "runtime/Backend.hpp"

namespace imuwb::jobs {

// One window's outputs, in the backend's output order.
using WindowOutputs = std::vector<OutputTensor>;

class ServeBatcher {
 public:
  // backend must be loaded and outlive the batcher; maxBatch 0 = the backend's limit or 64.
  ServeBatcher(Backend& backend, const Manifest& manifest, std::size_t maxBatch);
  ~ServeBatcher();  // stops the worker; pending requests get an error
  ServeBatcher(const ServeBatcher&) = delete;
  ServeBatcher& operator=(const ServeBatcher&) = delete;

  // canonical: one window, [h*w*c] model channel order, normalized as the manifest says.
  // Blocks until its batch ran. Throws imuwb::Error when the backend failed.
  WindowOutputs infer(std::vector<float> canonical);

  std::size_t batches() const;  // backend calls so far
  std::size_t windows() const;  // windows run so far

 private:
  struct Pending {
    std::vector<float> canonical;
    std::promise<WindowOutputs> done;
  };
  void work(std::stop_token stop);
  void takeBatch(std::vector<Pending>& batch);  // under mutex_: up to maxBatch_ queued windows
  void runBatch(std::vector<Pending>& batch);
  void finishBatch();  // marks the engine idle; wakes the worker when windows wait

  Backend& backend_;
  const Manifest& manifest_;
  CanonicalDims dims_;
  std::size_t maxBatch_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<Pending> queue_;
  std::size_t batches_ = 0, windows_ = 0;
  bool running_ = false;  // a thread is running a batch
  std::jthread worker_;
};

}  // namespace imuwb::jobs
