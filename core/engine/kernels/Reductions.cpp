// ReduceMean, ReduceSum, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum,
// ReduceLogSumExp, ReduceSumSquare (keepdims; axes as attribute, or as input for ReduceSum from
// opset 13 and the others from 18; noop_with_empty_axes).
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

enum class Reduce { Mean, Sum, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

// What each element contributes before it is summed (the sum-like reductions).
template <Reduce kind>
inline float contribution(float x) {
  if constexpr (kind == Reduce::L1) return std::fabs(x);
  if constexpr (kind == Reduce::L2 || kind == Reduce::SumSquare) return x * x;
  if constexpr (kind == Reduce::LogSumExp) return std::exp(x);
  return x;
}

// The final step on each accumulated value.
template <Reduce kind>
inline float finish(float sum, std::int64_t perOutput) {
  if constexpr (kind == Reduce::Mean) return sum / static_cast<float>(perOutput);
  if constexpr (kind == Reduce::L2) return std::sqrt(sum);
  if constexpr (kind == Reduce::LogSum || kind == Reduce::LogSumExp) return std::log(sum);
  return sum;
}

// Where the axes come from: an attribute, or (ReduceSum from opset 13, the others from 18) an
// optional input known at plan time.
enum class AxesFrom { Attribute, Input };

template <Reduce kind, AxesFrom axesFrom>
std::unique_ptr<Kernel> makeReduce(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const auto& x = ctx.input(0).shape;
  const auto rank = static_cast<std::int64_t>(x.size());
  requireRankAtMost(ctx, x.size());
  std::vector<std::int64_t> axes;
  if constexpr (axesFrom == AxesFrom::Input) {
    if (ctx.hasInput(1)) axes = ctx.constantInts(1, "axes");
  } else {
    axes = ctx.node.attributes.getInts("axes");
  }
  const bool keepDims = ctx.node.attributes.getInt("keepdims", 1) != 0;
  const bool noop = ctx.node.attributes.getInt("noop_with_empty_axes", 0) != 0;
  std::vector<bool> reduced(rank, false);
  if (axes.empty()) {
    if (!noop) std::fill(reduced.begin(), reduced.end(), true);
  } else {
    for (auto axis : axes) reduced[normalizeAxis(axis, rank, ctx)] = true;
  }
  if (rank > 0 && reduced[0] && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "reduces over the window dimension (axis 0)";
  Shape outShape, keptShape;
  for (std::int64_t d = 0; d < rank; ++d) {
    keptShape.push_back(reduced[d] ? 1 : x[d]);
    if (!reduced[d])
      outShape.push_back(x[d]);
    else if (keepDims)
      outShape.push_back(1);
  }
  ctx.setOutput(0, DType::Float32, outShape);
  // Output strides in the kept-dims layout; 0 along reduced axes.
  std::vector<std::int64_t> outStride(rank, 0);
  std::int64_t stride = 1;
  for (std::int64_t d = rank - 1; d >= 0; --d) {
    outStride[d] = reduced[d] ? 0 : stride;
    stride *= keptShape[d];
  }
  const std::int64_t outCount = elementCount(keptShape);
  const std::int64_t perOutput = outCount ? elementCount(x) / outCount : 0;
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    float* target = out[0].as<float>();
    const float init = kind == Reduce::Max    ? -std::numeric_limits<float>::infinity()
                       : kind == Reduce::Min  ? std::numeric_limits<float>::infinity()
                       : kind == Reduce::Prod ? 1.f
                                              : 0.f;
    std::fill(target, target + outCount, init);
    DimIndex index;
    std::int64_t offset = 0;
    const std::int64_t total = in[0].count;
    for (std::int64_t i = 0; i < total; ++i) {
      float& slot = target[offset];
      // NaN propagates (numpy, ONNX's reference); ORT's result depends on where it is.
      if constexpr (kind == Reduce::Max)
        slot = maxPropagatingNaN(slot, source[i]);
      else if constexpr (kind == Reduce::Min)
        slot = minPropagatingNaN(slot, source[i]);
      else if constexpr (kind == Reduce::Prod)
        slot *= source[i];
      else
        slot += contribution<kind>(source[i]);
      for (std::int64_t d = rank - 1; d >= 0; --d) {
        offset += outStride[d];
        if (++index[d] < x[d]) break;
        offset -= outStride[d] * x[d];
        index[d] = 0;
      }
    }
    for (std::int64_t i = 0; i < outCount; ++i) target[i] = finish<kind>(target[i], perOutput);
  });
}

// Axes as an attribute up to opset 17, as an input from 18.
template <Reduce kind>
void registerBoth(KernelRegistry& registry, const char* op) {
  registry.add(op, {.since = 1, .end = 17}, makeReduce<kind, AxesFrom::Attribute>);
  registry.add(op, {.since = 18}, makeReduce<kind, AxesFrom::Input>);
}

}  // namespace

// The axes moved from attribute to input at opset 13 (ReduceSum) and 18 (the others): one
// factory per opset range, as ONNX Runtime registers them.
void registerReductionKernels(KernelRegistry& registry) {
  registry.add("ReduceMean", {.since = 1, .end = 17},
               makeReduce<Reduce::Mean, AxesFrom::Attribute>);
  registry.add("ReduceMean", {.since = 18}, makeReduce<Reduce::Mean, AxesFrom::Input>);
  registry.add("ReduceSum", {.since = 1, .end = 12}, makeReduce<Reduce::Sum, AxesFrom::Attribute>);
  registry.add("ReduceSum", {.since = 13}, makeReduce<Reduce::Sum, AxesFrom::Input>);
  registry.add("ReduceMax", {.since = 1, .end = 17}, makeReduce<Reduce::Max, AxesFrom::Attribute>);
  registry.add("ReduceMax", {.since = 18}, makeReduce<Reduce::Max, AxesFrom::Input>);
  registry.add("ReduceMin", {.since = 1, .end = 17}, makeReduce<Reduce::Min, AxesFrom::Attribute>);
  registry.add("ReduceMin", {.since = 18}, makeReduce<Reduce::Min, AxesFrom::Input>);
  registerBoth<Reduce::Prod>(registry, "ReduceProd");
  registerBoth<Reduce::L1>(registry, "ReduceL1");
  registerBoth<Reduce::L2>(registry, "ReduceL2");
  registerBoth<Reduce::LogSum>(registry, "ReduceLogSum");
  registerBoth<Reduce::LogSumExp>(registry, "ReduceLogSumExp");
  registerBoth<Reduce::SumSquare>(registry, "ReduceSumSquare");
}

}  // namespace imuwb::engine
