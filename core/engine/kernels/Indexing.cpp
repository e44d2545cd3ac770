// Ops that move elements by index without arithmetic on them (any dtype, copied as bytes):
// GatherElements, Trilu, Tile; and CumSum (exclusive, reverse) along an axis.
#include <cstring>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

std::vector<std::int64_t> stridesOf(const Shape& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

// Reads index i of an int64 or int32 tensor.
inline std::int64_t indexAt(const TensorView& view, std::int64_t i) {
  return view.dtype == DType::Int64 ? view.as<const std::int64_t>()[i]
                                    : view.as<const std::int32_t>()[i];
}

std::unique_ptr<Kernel> makeGatherElements(PrepareContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indices = ctx.input(1);
  if (indices.dtype != DType::Int64 && indices.dtype != DType::Int32)
    ctx.fail("indices must be int64 or int32");
  const auto rank = static_cast<std::int64_t>(data.shape.size());
  if (static_cast<std::int64_t>(indices.shape.size()) != rank)
    ctx.fail("indices must have the rank of the data");
  requireRankAtMost(ctx, data.shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", 0), rank, ctx);
  if (ctx.inputBatchLeading[0] || ctx.inputBatchLeading[1])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "gathers elements by index";
  ctx.setOutput(0, data.dtype, indices.shape);
  const auto strides = stridesOf(data.shape);
  const Shape dims = data.shape, outDims = indices.shape;
  const std::size_t item = dtypeSize(data.dtype);
  const std::string where = ctx.node.where;
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const auto* source = in[0].as<const std::byte>();
    auto* target = out[0].as<std::byte>();
    DimIndex index;
    for (std::int64_t i = 0; i < out[0].count; ++i) {
      std::int64_t at = indexAt(in[1], i);
      if (at < 0) at += dims[axis];
      if (at < 0 || at >= dims[axis])
        throw Error(where, "index " + std::to_string(indexAt(in[1], i)) + " is out of range");
      std::int64_t offset = 0;
      for (std::int64_t d = 0; d < rank; ++d) offset += (d == axis ? at : index[d]) * strides[d];
      std::memcpy(target + i * item, source + offset * item, item);
      for (std::int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < outDims[d]) break;
        index[d] = 0;
      }
    }
  });
}

// Trilu: keeps the upper (or lower) triangle of the last two dims, shifted by k (input 1,
// read at run time: it changes no shape).
std::unique_ptr<Kernel> makeTrilu(PrepareContext& ctx) {
  const auto& x = ctx.input(0);
  if (x.shape.size() < 2) ctx.fail("Trilu needs at least 2 dimensions");
  const bool upper = ctx.node.attributes.getInt("upper", 1) != 0;
  const bool hasK = ctx.hasInput(1);
  if (hasK && ctx.input(1).dtype != DType::Int64) ctx.fail("k must be int64");
  ctx.setOutput(0, x.dtype, x.shape);
  const std::int64_t rows = x.shape[x.shape.size() - 2], cols = x.shape.back();
  const std::size_t item = dtypeSize(x.dtype);
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const std::int64_t k = hasK ? in[1].as<const std::int64_t>()[0] : 0;
    const auto* source = in[0].as<const std::byte>();
    auto* target = out[0].as<std::byte>();
    std::memset(target, 0, out[0].count * item);
    for (std::int64_t i = 0; i < out[0].count; ++i) {
      const std::int64_t col = i % cols, row = (i / cols) % rows;
      if (upper ? col - row >= k : col - row <= k)
        std::memcpy(target + i * item, source + i * item, item);
    }
  });
}

std::unique_ptr<Kernel> makeTile(PrepareContext& ctx) {
  const auto& x = ctx.input(0);
  const auto repeats = ctx.constantInts(1, "repeats");
  if (repeats.size() != x.shape.size()) ctx.fail("repeats must have one value per dimension");
  requireRankAtMost(ctx, x.shape.size());
  Shape out;
  for (std::size_t d = 0; d < repeats.size(); ++d) {
    if (repeats[d] < 0) ctx.fail("repeats must not be negative");
    out.push_back(x.shape[d] * repeats[d]);
  }
  if (!repeats.empty() && repeats[0] != 1 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "tiles the window dimension";
  ctx.setOutput(0, x.dtype, out);
  const auto strides = stridesOf(x.shape);
  const Shape dims = x.shape;
  const std::size_t item = dtypeSize(x.dtype);
  return makeKernel([=](const TensorView* in, TensorView* outs, ThreadPool*) {
    const auto* source = in[0].as<const std::byte>();
    auto* target = outs[0].as<std::byte>();
    const auto rank = static_cast<std::int64_t>(out.size());
    DimIndex index;
    for (std::int64_t i = 0; i < outs[0].count; ++i) {
      std::int64_t offset = 0;
      for (std::int64_t d = 0; d < rank; ++d) offset += (index[d] % dims[d]) * strides[d];
      std::memcpy(target + i * item, source + offset * item, item);
      for (std::int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < out[d]) break;
        index[d] = 0;
      }
    }
  });
}

template <class T>
std::unique_ptr<Kernel> cumSumKernel(std::int64_t outer, std::int64_t size, std::int64_t inner,
                                     bool exclusive, bool reverse) {
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const T* x = in[0].as<const T>();
    T* y = out[0].as<T>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < inner; ++i) {
        T sum = 0;
        for (std::int64_t step = 0; step < size; ++step) {
          const std::int64_t k = reverse ? size - 1 - step : step;
          const std::int64_t at = (o * size + k) * inner + i;
          if (exclusive) y[at] = sum;
          sum += x[at];
          if (!exclusive) y[at] = sum;
        }
      }
  });
}

std::unique_ptr<Kernel> makeCumSum(PrepareContext& ctx) {
  const auto& x = ctx.input(0);
  const auto rank = static_cast<std::int64_t>(x.shape.size());
  const auto axis = normalizeAxis(ctx.constantInts(1, "axis").at(0), rank, ctx);
  const bool exclusive = ctx.node.attributes.getInt("exclusive", 0) != 0;
  const bool reverse = ctx.node.attributes.getInt("reverse", 0) != 0;
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "sums across the window dimension (axis 0)";
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= x.shape[d];
  for (std::int64_t d = axis + 1; d < rank; ++d) inner *= x.shape[d];
  ctx.setOutput(0, x.dtype, x.shape);
  const std::int64_t size = x.shape[axis];
  switch (x.dtype) {
    case DType::Float32:
      return cumSumKernel<float>(outer, size, inner, exclusive, reverse);
    case DType::Float64:
      return cumSumKernel<double>(outer, size, inner, exclusive, reverse);
    case DType::Int64:
      return cumSumKernel<std::int64_t>(outer, size, inner, exclusive, reverse);
    case DType::Int32:
      return cumSumKernel<std::int32_t>(outer, size, inner, exclusive, reverse);
    default:
      ctx.fail("dtype " + std::string(dtypeName(x.dtype)) + " is not supported");
  }
}

}  // namespace

void registerIndexingKernels(KernelRegistry& registry) {
  registry.add("GatherElements", makeGatherElements);
  registry.add("Trilu", makeTrilu);
  registry.add("Tile", makeTile);
  registry.add("CumSum", makeCumSum);
}

}  // namespace imuwb::engine
