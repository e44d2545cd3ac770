#include "jobs/ServeBatcher.hpp"

#include <algorithm>
#include <exception>

#include "common/Error.hpp"

namespace imuwb::jobs {

ServeBatcher::ServeBatcher(Backend& backend, const Manifest& manifest, std::size_t maxBatch)
    : backend_(backend), manifest_(manifest), dims_(canonicalDims(manifest)) {
  maxBatch_ = maxBatch ? maxBatch : 64;
  if (backend.maxBatchWindows() > 0) maxBatch_ = std::min(maxBatch_, backend.maxBatchWindows());
  worker_ = std::jthread([this](std::stop_token stop) { work(stop); });
}

ServeBatcher::~ServeBatcher() {
  worker_.request_stop();
  wake_.notify_all();
  worker_.join();
  std::lock_guard lock(mutex_);
  for (auto& pending : queue_)
    pending.done.set_exception(std::make_exception_ptr(
        Error("imuwb serve", "the server is shutting down", "retry against a running server")));
}

WindowOutputs ServeBatcher::infer(std::vector<float> canonical) {
  Pending pending{std::move(canonical), {}};
  auto future = pending.done.get_future();
  std::vector<Pending> batch;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(pending));
    if (!running_) {
      running_ = true;
      takeBatch(batch);
    }
  }
  if (batch.empty()) {
    wake_.notify_one();  // the engine is busy: the worker runs this window after it
  } else {
    runBatch(batch);  // the engine was idle: run here, no hand-off
    finishBatch();
  }
  return future.get();
}

std::size_t ServeBatcher::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

std::size_t ServeBatcher::windows() const {
  std::lock_guard lock(mutex_);
  return windows_;
}

void ServeBatcher::work(std::stop_token stop) {
  std::vector<Pending> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [this] { return !queue_.empty() && !running_; })) return;
      running_ = true;
      takeBatch(batch);
    }
    runBatch(batch);
    batch.clear();
    finishBatch();
  }
}

void ServeBatcher::takeBatch(std::vector<Pending>& batch) {
  while (!queue_.empty() && batch.size() < maxBatch_) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
}

void ServeBatcher::finishBatch() {
  bool waiting = false;
  {
    std::lock_guard lock(mutex_);
    running_ = false;
    waiting = !queue_.empty();
  }
  if (waiting) wake_.notify_one();
}

void ServeBatcher::runBatch(std::vector<Pending>& batch) {
  const std::size_t n = batch.size();
  const std::size_t perWindow = static_cast<std::size_t>(dims_.h) * dims_.w * dims_.c;
  try {
    std::vector<float> canonical(n * perWindow);
    for (std::size_t w = 0; w < n; ++w)
      std::copy(batch[w].canonical.begin(), batch[w].canonical.end(),
                canonical.begin() + w * perWindow);
    Batch input;
    input.inputName = manifest_.input.name;
    input.shape = batchShape(manifest_, n);
    input.values.resize(canonical.size());
    canonicalToLayout(canonical.data(), n, dims_, manifest_.input.layout, input.values.data());
    const auto result = backend_.run(input);
    {
      std::lock_guard lock(mutex_);
      ++batches_;
      windows_ += n;
    }
    for (std::size_t w = 0; w < n; ++w) {
      WindowOutputs outputs;
      for (const auto& tensor : result.outputs) {
        const std::size_t size = tensor.valuesPerWindow();
        OutputTensor one{tensor.name, {1, static_cast<std::int64_t>(size)}, {}};
        one.values.assign(tensor.values.begin() + w * size, tensor.values.begin() + (w + 1) * size);
        outputs.push_back(std::move(one));
      }
      batch[w].done.set_value(std::move(outputs));
    }
  } catch (...) {
    for (auto& pending : batch) pending.done.set_exception(std::current_exception());
  }
}

}  // namespace imuwb::jobs
