// Batch-1 overhead: once a session has run a given batch size, runInto allocates nothing.
// This file replaces the global operator new of the engine test binary with a counting one
// (counting only while a test asks for it).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <vector>

#include "EngineTestSupport.hpp"
#include "engine/InferenceSession.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

// Every form is replaced, so that whatever pairs of new and delete the library uses (the
// nothrow new of std::stable_sort's buffer with a sized delete, say) all meet malloc and free.
namespace {
void* countedAllocation(std::size_t size) noexcept {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
  return std::malloc(size ? size : 1);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* pointer = countedAllocation(size)) return pointer;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* pointer = countedAllocation(size)) return pointer;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return countedAllocation(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return countedAllocation(size);
}
void operator delete(void* pointer) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, std::size_t) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, const std::nothrow_t&) noexcept {
  std::free(pointer);
}
void operator delete[](void* pointer, const std::nothrow_t&) noexcept {
  std::free(pointer);
}

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

// A small model with the usual steps: transpose, dilated conv, slice, relu, pool, gemm.
std::filesystem::path writeSmallModel(const TempDir& dir, std::mt19937& rng) {
  return writeModel(dir / "m.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,100,9] X) => (float Y) {
  t = Transpose <perm = [0, 2, 1]> (X)
  c = Conv <pads = [2, 0], dilations = [2]> (t, W, B)
  s = Slice (c, st, en, ax)
  r = Relu (s)
  a = Add (r, r)
  p = GlobalAveragePool (a)
  q = Squeeze (p, ax)
  Y = Gemm <transB = 1> (q, G, GB)
}
)",
                    {{"W", randomTensor({16, 9, 2}, rng)},
                     {"B", randomTensor({16}, rng)},
                     {"st", Tensor::fromInt64s({1}, std::vector<std::int64_t>{0})},
                     {"en", Tensor::fromInt64s({1}, std::vector<std::int64_t>{-2})},
                     {"ax", Tensor::fromInt64s({1}, std::vector<std::int64_t>{2})},
                     {"G", randomTensor({8, 16}, rng)},
                     {"GB", randomTensor({8}, rng)}});
}

TEST(EngineSteadyState, RunIntoAllocatesNothingOnceWarm) {
  TempDir dir;
  std::mt19937 rng(8);
  const auto path = writeSmallModel(dir, rng);
  for (std::int64_t windows : {1, 40}) {
    InferenceSession session(loadOnnxModel(path));
    const Tensor x = randomTensor({windows, 100, 9}, rng);
    const Tensor* inputs[] = {&x};
    RunResult result;
    session.runInto(inputs, result);  // plans and buffers for this batch size
    allocations = 0;
    counting = true;
    for (int i = 0; i < 5; ++i) session.runInto(inputs, result);
    counting = false;
    EXPECT_EQ(allocations.load(), 0) << windows << " windows";
    EXPECT_EQ(result.outputs[0].tensor.shape(), (Shape{windows, 8}));
  }
}

// serve's batcher runs whatever number of windows has queued (1 to 32). Once every size has
// been seen, no size may build a plan again: batched plans run power-of-two pieces only, so a
// few plans per worker cover every size instead of one plan per size thrashing the cache.
TEST(EngineSteadyState, EveryBatchSizeRunsWithoutAllocatingOnceEachWasSeen) {
  TempDir dir;
  std::mt19937 rng(9);
  const auto path = writeSmallModel(dir, rng);
  constexpr std::int64_t kLargest = 33;
  const Tensor all = randomTensor({kLargest, 100, 9}, rng);
  for (int threads : {1, 2}) {
    InferenceSession session(loadOnnxModel(path), {.threads = threads});
    const Tensor reference =
        InferenceSession(loadOnnxModel(path)).run({{"X", all}}).outputs[0].tensor;
    std::vector<Tensor> inputs;
    std::vector<RunResult> results(kLargest + 1);
    for (std::int64_t n = 1; n <= kLargest; ++n) {
      Tensor x(DType::Float32, {n, 100, 9});
      std::memcpy(x.raw(), all.raw(), static_cast<std::size_t>(n) * 900 * sizeof(float));
      inputs.push_back(std::move(x));
    }
    auto runAll = [&] {
      for (std::int64_t n = 1; n <= kLargest; ++n) {
        const Tensor* input[] = {&inputs[n - 1]};
        session.runInto(input, results[n]);
      }
    };
    // Every size once makes the plans and result buffers. With 2 threads, which worker runs
    // which piece depends on scheduling, so warm until each worker has met every piece size
    // (there are 5: 16, 8, 4, 2, 1; each worker's cache holds 6, so then nothing is rebuilt).
    for (int pass = 0; pass < (threads == 1 ? 1 : 30); ++pass) runAll();
    allocations = 0;
    counting = true;
    runAll();
    counting = false;
    EXPECT_EQ(allocations.load(), 0) << threads << " threads";
    for (std::int64_t n = 1; n <= kLargest; ++n) {  // each size's windows are the batch's
      const float* got = results[n].outputs[0].tensor.data<float>();
      const float* want = reference.data<float>();
      for (std::int64_t i = 0; i < n * 8; ++i)
        ASSERT_NEAR(got[i], want[i], 1e-5f * std::max(1.0f, std::abs(want[i])))
            << n << " windows, value " << i << ", " << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace imuwb::engine::test
