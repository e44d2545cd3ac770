// Ops that move data into a new layout: Transpose, Concat, Slice, Pad (constant), Split, Expand
// and Gather. Each copies; none computes a value.
#include <algorithm>
#include <cstring>

#include "engine/Kernel.hpp"
#include "engine/kernels/StridedCopy.hpp"

namespace imuwb::engine {
namespace {

std::unique_ptr<Kernel> makeTranspose(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  requireRankAtMost(ctx, input.shape.size());
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  auto perm = ctx.node.attributes.getInts("perm");
  if (perm.empty())
    for (std::int64_t d = rank - 1; d >= 0; --d) perm.push_back(d);
  if (static_cast<std::int64_t>(perm.size()) != rank) ctx.fail("perm has the wrong length");
  std::vector<bool> seen(rank, false);
  for (auto& p : perm) {
    p = normalizeAxis(p, rank, ctx);
    if (seen[p]) ctx.fail("perm repeats an axis");
    seen[p] = true;
  }
  if (rank > 0 && perm[0] != 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "moves the window dimension (perm[0] != 0)";
  Shape shape(rank);
  const auto inStrides = stridesOf(input.shape);
  std::vector<std::int64_t> strides(rank);
  for (std::int64_t d = 0; d < rank; ++d) {
    shape[d] = input.shape[perm[d]];
    strides[d] = inStrides[perm[d]];
  }
  ctx.setOutput(0, input.dtype, shape);
  const std::size_t itemSize = dtypeSize(input.dtype);
  return makeKernel([shape, strides, itemSize](const TensorView* in, TensorView* out, ThreadPool*) {
    stridedCopy(in[0].as<const std::byte>(), out[0].as<std::byte>(), shape, strides, 0, itemSize);
  });
}

std::unique_ptr<Kernel> makeConcat(PrepareContext& ctx) {
  const auto& first = ctx.input(0);
  const auto rank = static_cast<std::int64_t>(first.shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", 0), rank, ctx);
  Shape shape = first.shape;
  shape[axis] = 0;
  std::vector<std::int64_t> widths;  // per input: elements per outer index
  bool anyBatch = false;
  for (std::size_t i = 0; i < ctx.inputCount(); ++i) {
    const auto& input = ctx.input(i);
    if (input.dtype != first.dtype) ctx.fail("inputs have different dtypes");
    if (static_cast<std::int64_t>(input.shape.size()) != rank) ctx.fail("inputs differ in rank");
    for (std::int64_t d = 0; d < rank; ++d)
      if (d != axis && input.shape[d] != first.shape[d])
        ctx.fail("input " + std::to_string(i) + " shape " + shapeToString(input.shape) +
                 " does not match " + shapeToString(first.shape) + " outside axis " +
                 std::to_string(axis));
    shape[axis] += input.shape[axis];
    std::int64_t width = 1;
    for (std::int64_t d = axis; d < rank; ++d) width *= input.shape[d];
    widths.push_back(width);
    anyBatch = anyBatch || ctx.inputBatchLeading[i];
  }
  if (axis == 0 && anyBatch)
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "concatenates along the window dimension";
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= shape[d];
  ctx.setOutput(0, first.dtype, shape);
  const std::size_t itemSize = dtypeSize(first.dtype);
  return makeKernel([widths, outer, itemSize](const TensorView* in, TensorView* out, ThreadPool*) {
    auto* target = out[0].as<std::byte>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::size_t i = 0; i < widths.size(); ++i) {
        const std::size_t bytes = widths[i] * itemSize;
        std::memcpy(target, in[i].as<const std::byte>() + o * bytes, bytes);
        target += bytes;
      }
  });
}

// What a Slice node asks for: one entry per sliced axis (axes and steps may be empty).
struct SliceBounds {
  std::vector<std::int64_t> starts, ends, axes, steps;
};

std::unique_ptr<Kernel> slice(PrepareContext& ctx, const TensorMeta& input, SliceBounds bounds) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  auto& [starts, ends, axes, steps] = bounds;
  if (axes.empty())
    for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    ctx.fail("starts, ends, axes and steps differ in length");
  Shape shape = input.shape;
  std::vector<std::int64_t> begin(rank, 0), step(rank, 1);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const auto d = normalizeAxis(axes[i], rank, ctx);
    const std::int64_t dim = input.shape[d];
    if (steps[i] == 0) ctx.fail("slice step is 0");
    std::int64_t s = starts[i], e = ends[i];
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    if (steps[i] > 0) {
      s = std::clamp<std::int64_t>(s, 0, dim);
      e = std::clamp<std::int64_t>(e, 0, dim);
      shape[d] = e > s ? (e - s + steps[i] - 1) / steps[i] : 0;
    } else {
      s = std::clamp<std::int64_t>(s, 0, dim - 1);
      e = std::clamp<std::int64_t>(e, -1, dim - 1);
      shape[d] = s > e ? (s - e + (-steps[i]) - 1) / (-steps[i]) : 0;
    }
    begin[d] = s;
    step[d] = steps[i];
    if (d == 0 && ctx.inputBatchLeading[0] && (shape[0] != dim || steps[i] != 1))
      ctx.mixesBatch = true, ctx.mixesBatchWhy = "slices the window dimension";
  }
  const auto inStrides = stridesOf(input.shape);
  std::vector<std::int64_t> strides(rank);
  std::int64_t base = 0;
  for (std::int64_t d = 0; d < rank; ++d) {
    strides[d] = inStrides[d] * step[d];
    base += begin[d] * inStrides[d];
  }
  ctx.setOutput(0, input.dtype, shape);
  const std::size_t itemSize = dtypeSize(input.dtype);
  return makeKernel(
      [shape, strides, base, itemSize](const TensorView* in, TensorView* out, ThreadPool*) {
        stridedCopy(in[0].as<const std::byte>(), out[0].as<std::byte>(), shape, strides, base,
                    itemSize);
      });
}

const TensorMeta& sliceInput(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  requireRankAtMost(ctx, input.shape.size());
  return input;
}

// Slice-1..9: starts, ends and axes are attributes; there are no steps.
std::unique_ptr<Kernel> makeSliceV1(PrepareContext& ctx) {
  const auto& input = sliceInput(ctx);
  const auto& attributes = ctx.node.attributes;
  return slice(
      ctx, input,
      {attributes.getInts("starts"), attributes.getInts("ends"), attributes.getInts("axes"), {}});
}

// Slice-10 on: starts, ends, axes and steps are inputs known at plan time.
std::unique_ptr<Kernel> makeSliceV10(PrepareContext& ctx) {
  const auto& input = sliceInput(ctx);
  SliceBounds bounds;
  bounds.starts = ctx.constantInts(1, "starts");
  bounds.ends = ctx.constantInts(2, "ends");
  if (ctx.hasInput(3)) bounds.axes = ctx.constantInts(3, "axes");
  if (ctx.hasInput(4)) bounds.steps = ctx.constantInts(4, "steps");
  return slice(ctx, input, std::move(bounds));
}

std::unique_ptr<Kernel> pad(PrepareContext& ctx, const TensorMeta& input,
                            std::vector<std::int64_t> pads, float value) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  if (static_cast<std::int64_t>(pads.size()) != 2 * rank)
    ctx.fail("pads has " + std::to_string(pads.size()) + " values for rank " +
             std::to_string(rank));
  if (input.dtype != DType::Float32) ctx.requireFloatInput(0);
  Shape shape(rank);
  for (std::int64_t d = 0; d < rank; ++d) shape[d] = input.shape[d] + pads[d] + pads[d + rank];
  if (rank > 0 && ctx.inputBatchLeading[0] && (pads[0] != 0 || pads[rank] != 0))
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "pads the window dimension";
  ctx.setOutput(0, DType::Float32, shape);
  const auto inShape = input.shape;
  const auto inStrides = stridesOf(inShape);
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    float* target = out[0].as<float>();
    const std::int64_t total = out[0].count;
    DimIndex index;
    for (std::int64_t o = 0; o < total; ++o) {
      std::int64_t offset = 0;
      bool inside = true;
      for (std::int64_t d = 0; d < rank; ++d) {
        const std::int64_t i = index[d] - pads[d];
        if (i < 0 || i >= inShape[d]) {
          inside = false;
          break;
        }
        offset += i * inStrides[d];
      }
      target[o] = inside ? source[offset] : value;
      for (std::int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
  });
}

const TensorMeta& padInput(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  requireRankAtMost(ctx, input.shape.size());
  const std::string mode = ctx.node.attributes.getString("mode", "constant");
  if (mode != "constant")
    ctx.fail("Pad mode '" + mode + "' is not supported", "supported: mode=constant");
  return input;
}

// Pad up to opset 10: pads and the fill value are attributes.
std::unique_ptr<Kernel> makePadV2(PrepareContext& ctx) {
  const auto& input = padInput(ctx);
  return pad(ctx, input, ctx.node.attributes.getInts("pads"),
             ctx.node.attributes.getFloat("value", 0.f));
}

// Pad-11 on: pads and the optional fill value are inputs known at plan time.
std::unique_ptr<Kernel> makePadV11(PrepareContext& ctx) {
  const auto& input = padInput(ctx);
  auto pads = ctx.constantInts(1, "pads");
  float value = 0.f;
  if (ctx.hasInput(2)) {
    auto values = ctx.constantFloats(2, "constant_value");
    if (!values.empty()) value = values[0];
  }
  return pad(ctx, input, std::move(pads), value);
}

std::unique_ptr<Kernel> split(PrepareContext& ctx, const TensorMeta& input, std::int64_t axis,
                              std::vector<std::int64_t> sizes) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  const std::int64_t parts = static_cast<std::int64_t>(ctx.outputs.size());
  if (sizes.empty()) {
    if (input.shape[axis] % parts != 0)
      ctx.fail("axis " + std::to_string(axis) + " of size " + std::to_string(input.shape[axis]) +
               " does not split evenly into " + std::to_string(parts));
    sizes.assign(parts, input.shape[axis] / parts);
  }
  std::int64_t total = 0;
  for (auto size : sizes) total += size;
  if (static_cast<std::int64_t>(sizes.size()) != parts || total != input.shape[axis])
    ctx.fail("split sizes do not add up to the axis size " + std::to_string(input.shape[axis]));
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "splits the window dimension";
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= input.shape[d];
  for (std::int64_t d = axis + 1; d < rank; ++d) inner *= input.shape[d];
  for (std::int64_t i = 0; i < parts; ++i) {
    Shape shape = input.shape;
    shape[axis] = sizes[i];
    ctx.setOutput(i, input.dtype, shape);
  }
  const std::size_t item = dtypeSize(input.dtype);
  const std::int64_t axisSize = input.shape[axis];
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const auto* source = in[0].as<const std::byte>();
    for (std::int64_t o = 0; o < outer; ++o) {
      std::int64_t offset = 0;
      for (std::int64_t i = 0; i < parts; ++i) {
        const std::size_t bytes = sizes[i] * inner * item;
        if (out[i].data)
          std::memcpy(out[i].as<std::byte>() + o * bytes,
                      source + (o * axisSize + offset) * inner * item, bytes);
        offset += sizes[i];
      }
    }
  });
}

std::int64_t splitAxis(PrepareContext& ctx, const TensorMeta& input) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  return normalizeAxis(ctx.node.attributes.getInt("axis", 0), rank, ctx);
}

// Split up to opset 12: the part sizes are an attribute (equal parts when absent).
std::unique_ptr<Kernel> makeSplitV2(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto axis = splitAxis(ctx, input);
  return split(ctx, input, axis, ctx.node.attributes.getInts("split"));
}

// Split-13 on: the part sizes are an optional input known at plan time.
std::unique_ptr<Kernel> makeSplitV13(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto axis = splitAxis(ctx, input);
  std::vector<std::int64_t> sizes;
  if (ctx.hasInput(1)) sizes = ctx.constantInts(1, "split");
  return split(ctx, input, axis, std::move(sizes));
}

std::unique_ptr<Kernel> makeExpand(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto target = ctx.constantInts(1, "shape");
  const std::size_t rank = std::max(input.shape.size(), target.size());
  requireRankAtMost(ctx, rank);
  Shape in(rank, 1), shape(rank, 1);
  std::copy(input.shape.begin(), input.shape.end(), in.begin() + (rank - input.shape.size()));
  std::copy(target.begin(), target.end(), shape.begin() + (rank - target.size()));
  for (std::size_t d = 0; d < rank; ++d) {
    if (in[d] != shape[d] && in[d] != 1 && shape[d] != 1)
      ctx.fail("cannot expand " + shapeToString(input.shape) + " to " +
               shapeToString(Shape(target.begin(), target.end())));
    shape[d] = std::max(in[d], shape[d]);
  }
  if (ctx.inputBatchLeading[0] && rank != input.shape.size())
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "adds dimensions before the window dimension";
  std::vector<std::int64_t> strides(rank, 0);
  std::int64_t stride = 1;
  for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
    strides[d] = in[d] == 1 ? 0 : stride;
    stride *= in[d];
  }
  ctx.setOutput(0, input.dtype, shape);
  const std::size_t item = dtypeSize(input.dtype);
  return makeKernel([shape, strides, item](const TensorView* in, TensorView* out, ThreadPool*) {
    stridedCopy(in[0].as<const std::byte>(), out[0].as<std::byte>(), shape, strides, 0, item);
  });
}

std::unique_ptr<Kernel> makeGather(PrepareContext& ctx) {
  const auto& data = ctx.input(0);
  const auto& indicesMeta = ctx.input(1);
  const auto rank = static_cast<std::int64_t>(data.shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", 0), rank, ctx);
  if (indicesMeta.dtype != DType::Int64 && indicesMeta.dtype != DType::Int32)
    ctx.fail("indices must be int64 or int32");
  Shape shape(data.shape.begin(), data.shape.begin() + axis);
  shape.insert(shape.end(), indicesMeta.shape.begin(), indicesMeta.shape.end());
  shape.insert(shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "gathers along the window dimension";
  if (ctx.inputBatchLeading[1])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "takes its indices from the windows";
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t d = 0; d < axis; ++d) outer *= data.shape[d];
  for (std::int64_t d = axis + 1; d < rank; ++d) inner *= data.shape[d];
  const std::int64_t axisSize = data.shape[axis];
  ctx.setOutput(0, data.dtype, shape);
  const std::size_t item = dtypeSize(data.dtype);
  const auto where = ctx.node.where;
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const std::int64_t count = in[1].count;
    auto indexAt = [&](std::int64_t i) -> std::int64_t {
      std::int64_t index = in[1].dtype == DType::Int64 ? in[1].as<const std::int64_t>()[i]
                                                       : in[1].as<const std::int32_t>()[i];
      if (index < 0) index += axisSize;
      if (index < 0 || index >= axisSize) index = std::clamp<std::int64_t>(index, 0, axisSize - 1);
      return index;
    };
    const auto* source = in[0].as<const std::byte>();
    auto* target = out[0].as<std::byte>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < count; ++i) {
        std::memcpy(target, source + ((o * axisSize + indexAt(i)) * inner) * item, inner * item);
        target += inner * item;
      }
  });
}

}  // namespace

// Slice, Pad and Split took attributes that later opsets turned into inputs: one factory per
// opset range, as ONNX Runtime registers them.
void registerDataMovementKernels(KernelRegistry& registry) {
  registry.add("Transpose", makeTranspose);
  registry.add("Concat", makeConcat);
  registry.add("Slice", {.since = 1, .end = 9}, makeSliceV1);
  registry.add("Slice", {.since = 10}, makeSliceV10);
  registry.add("Pad", {.since = 1, .end = 10}, makePadV2);
  registry.add("Pad", {.since = 11}, makePadV11);
  registry.add("Split", {.since = 1, .end = 12}, makeSplitV2);
  registry.add("Split", {.since = 13}, makeSplitV13);
  registry.add("Expand", makeExpand);
  registry.add("Gather", makeGather);
}

}  // namespace imuwb::engine
