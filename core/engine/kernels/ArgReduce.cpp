// Ops that pick an index along an axis: ArgMax, ArgMin (keepdims, select_last_index; int64
// indices) and Hardmax (one-hot of the first maximum; before opset 13 the input is coerced to
// 2-D at `axis`, from 13 on only `axis` counts). A NaN wins, as in numpy's argmax.
#include <cstring>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

struct AxisSplit {
  std::int64_t outer = 1, size = 1, inner = 1;
};

AxisSplit splitAt(const Shape& shape, std::int64_t axis, bool coerce2d) {
  AxisSplit split;
  for (std::int64_t d = 0; d < static_cast<std::int64_t>(shape.size()); ++d) {
    if (d < axis)
      split.outer *= shape[d];
    else if (d == axis || coerce2d)
      split.size *= shape[d];
    else
      split.inner *= shape[d];
  }
  return split;
}

// Does v replace best? max: larger; min: smaller; ties go to the last index when `last`.
template <bool max>
inline bool better(float v, float best, bool last) {
  if (best != best) return last && v != v;
  if (v != v) return true;
  if (last) return max ? v >= best : v <= best;
  return max ? v > best : v < best;
}

template <bool max>
std::int64_t pick(const float* x, std::int64_t size, std::int64_t stride, bool last) {
  std::int64_t best = 0;
  for (std::int64_t k = 1; k < size; ++k)
    if (better<max>(x[k * stride], x[best * stride], last)) best = k;
  return best;
}

template <bool max>
std::unique_ptr<Kernel> makeArgReduce(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const Shape& shape = ctx.input(0).shape;
  const auto rank = static_cast<std::int64_t>(shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", 0), rank, ctx);
  const bool keepDims = ctx.node.attributes.getInt("keepdims", 1) != 0;
  const bool last = ctx.node.attributes.getInt("select_last_index", 0) != 0;
  if (shape[axis] == 0) ctx.fail("cannot take the arg-extremum of an empty axis");
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "reduces over the window dimension (axis 0)";
  Shape out;
  for (std::int64_t d = 0; d < rank; ++d)
    if (d != axis)
      out.push_back(shape[d]);
    else if (keepDims)
      out.push_back(1);
  ctx.setOutput(0, DType::Int64, out);
  const AxisSplit split = splitAt(shape, axis, false);
  return makeKernel([split, last](const TensorView* in, TensorView* outs, ThreadPool*) {
    const float* x = in[0].as<const float>();
    auto* y = outs[0].as<std::int64_t>();
    for (std::int64_t o = 0; o < split.outer; ++o)
      for (std::int64_t i = 0; i < split.inner; ++i)
        y[o * split.inner + i] =
            pick<max>(x + o * split.size * split.inner + i, split.size, split.inner, last);
  });
}

template <bool legacy>
std::unique_ptr<Kernel> makeHardmax(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const Shape& shape = ctx.input(0).shape;
  const auto rank = static_cast<std::int64_t>(shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", legacy ? 1 : -1), rank, ctx);
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "normalizes across the window dimension (axis 0)";
  ctx.setOutput(0, DType::Float32, shape);
  const AxisSplit split = splitAt(shape, axis, legacy);
  return makeKernel([split](const TensorView* in, TensorView* outs, ThreadPool*) {
    const float* x = in[0].as<const float>();
    float* y = outs[0].as<float>();
    std::memset(y, 0, outs[0].count * sizeof(float));
    if (split.size == 0) return;
    for (std::int64_t o = 0; o < split.outer; ++o)
      for (std::int64_t i = 0; i < split.inner; ++i) {
        const std::int64_t base = o * split.size * split.inner + i;
        y[base + pick<true>(x + base, split.size, split.inner, false) * split.inner] = 1.f;
      }
  });
}

}  // namespace

void registerArgReduceKernels(KernelRegistry& registry) {
  registry.add("ArgMax", makeArgReduce<true>);
  registry.add("ArgMin", makeArgReduce<false>);
  registry.add("Hardmax", {.since = 1, .end = 12}, makeHardmax<true>);
  registry.add("Hardmax", {.since = 13}, makeHardmax<false>);
}

}  // namespace imuwb::engine
