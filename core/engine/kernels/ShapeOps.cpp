// Shape and data-movement ops: Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout, Transpose,
// Concat, Slice, Pad (constant), Cast, Constant, ConstantOfShape, Shape, Gather.
// Pure relabelings (Reshape, Flatten, Squeeze, Unsqueeze, Identity) alias their input's memory.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>

#include "engine/Kernel.hpp"
#include "engine/OnnxDType.hpp"
#include "engine/OnnxModel.hpp"

namespace imuwb::engine {
namespace {

std::vector<std::int64_t> stridesOf(const Shape& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

// Copies elements: out[i...] = in[base + sum(i_d * inStride_d)], itemsize bytes each.
void stridedCopy(const std::byte* in, std::byte* out, const Shape& outShape,
                 const std::vector<std::int64_t>& inStrides, std::int64_t base,
                 std::size_t itemSize) {
  const std::int64_t total = elementCount(outShape);
  if (total == 0) return;
  const int rank = static_cast<int>(outShape.size());
  if (rank == 0) {
    std::memcpy(out, in + base * itemSize, itemSize);
    return;
  }
  DimIndex index;
  const std::int64_t inner = outShape[rank - 1];
  const std::int64_t innerStride = inStrides[rank - 1];
  std::int64_t offset = base;
  for (std::int64_t done = 0; done < total; done += inner) {
    if (innerStride == 1) {
      std::memcpy(out, in + offset * itemSize, inner * itemSize);
      out += inner * itemSize;
    } else if (itemSize == 4) {
      const float* source = reinterpret_cast<const float*>(in) + offset;
      float* target = reinterpret_cast<float*>(out);
      for (std::int64_t i = 0; i < inner; ++i) target[i] = source[i * innerStride];
      out += inner * 4;
    } else {
      for (std::int64_t i = 0; i < inner; ++i, out += itemSize)
        std::memcpy(out, in + (offset + i * innerStride) * itemSize, itemSize);
    }
    for (int d = rank - 2; d >= 0; --d) {
      offset += inStrides[d];
      if (++index[d] < outShape[d]) break;
      offset -= inStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
}

std::vector<std::int64_t> axesFromAttrOrInput(PrepareContext& ctx, std::int64_t inputOpset,
                                              std::size_t inputIndex) {
  if (ctx.node.opset >= inputOpset) {
    if (ctx.hasInput(inputIndex)) return ctx.constantInts(inputIndex, "axes");
    return {};
  }
  return ctx.node.attributes.getInts("axes");
}

std::unique_ptr<Kernel> alias(PrepareContext& ctx, Shape shape) {
  ctx.setOutput(0, ctx.input(0).dtype, std::move(shape));
  ctx.aliasOutput0 = true;
  return nullptr;
}

std::unique_ptr<Kernel> makeReshape(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  std::vector<std::int64_t> target =
      ctx.node.opset >= 5 ? ctx.constantInts(1, "shape") : ctx.node.attributes.getInts("shape");
  const bool allowZero = ctx.node.attributes.getInt("allowzero", 0) != 0;
  // A shape constant that bakes in the export batch (e.g. [1,-1]) is rewritten to the real
  // number of windows when the input carries the window dimension first.
  if (!target.empty() && ctx.inputBatchLeading.size() > 0 && ctx.inputBatchLeading[0] &&
      ctx.batch != ctx.exportBatch && target[0] == ctx.exportBatch && !input.shape.empty() &&
      input.shape[0] == ctx.batch)
    target[0] = ctx.batch;
  Shape shape(target.size());
  std::int64_t known = 1;
  int inferred = -1;
  for (std::size_t d = 0; d < target.size(); ++d) {
    if (target[d] == 0 && !allowZero) {
      if (d >= input.shape.size())
        ctx.fail("shape copies dimension " + std::to_string(d) + " (0) that the input lacks");
      shape[d] = input.shape[d];
    } else if (target[d] == -1) {
      if (inferred >= 0) ctx.fail("shape has more than one -1");
      inferred = static_cast<int>(d);
      continue;
    } else if (target[d] < -1) {
      ctx.fail("shape has a negative dimension " + std::to_string(target[d]));
    } else {
      shape[d] = target[d];
    }
    if (__builtin_mul_overflow(known, shape[d], &known))
      ctx.fail("shape " + shapeToString(Shape(target.begin(), target.end())) +
               " overflows 64 bits");
  }
  const std::int64_t count = elementCount(input.shape);
  if (inferred >= 0) {
    if (known == 0 || count % known != 0)
      ctx.fail("cannot reshape " + shapeToString(input.shape) + " to " +
               shapeToString(Shape(target.begin(), target.end())));
    shape[inferred] = count / known;
  }
  if (elementCount(shape) != count)
    ctx.fail("cannot reshape " + shapeToString(input.shape) + " (" + std::to_string(count) +
             " elements) to " + shapeToString(shape));
  if (ctx.hasInput(0) && !input.shape.empty() && !shape.empty() && ctx.inputBatchLeading[0] &&
      shape[0] != input.shape[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "reshapes the leading (window) dimension " +
                                               shapeToString(input.shape) + " -> " +
                                               shapeToString(shape);
  return alias(ctx, shape);
}

std::unique_ptr<Kernel> makeFlatten(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  std::int64_t axis = ctx.node.attributes.getInt("axis", 1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis > rank) ctx.fail("axis out of range");
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t d = 0; d < rank; ++d) (d < axis ? outer : inner) *= input.shape[d];
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "flattens the window dimension (axis=0)";
  return alias(ctx, {outer, inner});
}

std::unique_ptr<Kernel> makeSqueeze(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  auto axes = axesFromAttrOrInput(ctx, 13, 1);
  std::vector<bool> drop(rank, false);
  if (axes.empty()) {
    for (std::int64_t d = 0; d < rank; ++d) drop[d] = input.shape[d] == 1;
  } else {
    for (auto axis : axes) {
      const auto d = normalizeAxis(axis, rank, ctx);
      if (input.shape[d] != 1)
        ctx.fail("cannot squeeze axis " + std::to_string(axis) + " of " +
                 shapeToString(input.shape) + " (size is not 1)");
      drop[d] = true;
    }
  }
  if (rank > 0 && drop[0] && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "squeezes away the window dimension (axis 0)";
  Shape shape;
  for (std::int64_t d = 0; d < rank; ++d)
    if (!drop[d]) shape.push_back(input.shape[d]);
  return alias(ctx, shape);
}

std::unique_ptr<Kernel> makeUnsqueeze(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  auto axes = axesFromAttrOrInput(ctx, 13, 1);
  const auto rank = static_cast<std::int64_t>(input.shape.size() + axes.size());
  std::vector<bool> inserted(rank, false);
  for (auto axis : axes) {
    const auto d = normalizeAxis(axis, rank, ctx);
    if (inserted[d]) ctx.fail("axis " + std::to_string(axis) + " repeated");
    inserted[d] = true;
  }
  if (rank > 0 && inserted[0] && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "inserts a dimension before the window dimension";
  Shape shape;
  std::size_t next = 0;
  for (std::int64_t d = 0; d < rank; ++d) shape.push_back(inserted[d] ? 1 : input.shape[next++]);
  return alias(ctx, shape);
}

std::unique_ptr<Kernel> makeIdentity(PrepareContext& ctx) {
  return alias(ctx, ctx.input(0).shape);
}

std::unique_ptr<Kernel> makeDropout(PrepareContext& ctx) {
  if (ctx.outputs.size() < 2) return alias(ctx, ctx.input(0).shape);
  // The mask output was requested: copy the data and report "all kept".
  ctx.setOutput(0, ctx.input(0).dtype, ctx.input(0).shape);
  ctx.setOutput(1, DType::Bool, ctx.input(0).shape);
  return makeKernel([](const TensorView* in, TensorView* out, ThreadPool*) {
    std::memcpy(out[0].data, in[0].data, in[0].count * dtypeSize(in[0].dtype));
    if (out[1].data) std::memset(out[1].data, 1, out[1].count);
  });
}

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

std::unique_ptr<Kernel> makeSlice(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  requireRankAtMost(ctx, input.shape.size());
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (ctx.node.opset < 10) {
    starts = ctx.node.attributes.getInts("starts");
    ends = ctx.node.attributes.getInts("ends");
    axes = ctx.node.attributes.getInts("axes");
  } else {
    starts = ctx.constantInts(1, "starts");
    ends = ctx.constantInts(2, "ends");
    if (ctx.hasInput(3)) axes = ctx.constantInts(3, "axes");
    if (ctx.hasInput(4)) steps = ctx.constantInts(4, "steps");
  }
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

std::unique_ptr<Kernel> makePad(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  requireRankAtMost(ctx, input.shape.size());
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  const std::string mode = ctx.node.attributes.getString("mode", "constant");
  if (mode != "constant")
    ctx.fail("Pad mode '" + mode + "' is not supported", "supported: mode=constant");
  std::vector<std::int64_t> pads;
  float value = 0.f;
  if (ctx.node.opset < 11) {
    pads = ctx.node.attributes.getInts("pads");
    value = ctx.node.attributes.getFloat("value", 0.f);
  } else {
    pads = ctx.constantInts(1, "pads");
    if (ctx.hasInput(2)) {
      auto values = ctx.constantFloats(2, "constant_value");
      if (!values.empty()) value = values[0];
    }
  }
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

template <class From, class To>
void convertValues(const void* in, void* out, std::int64_t count) {
  const From* source = static_cast<const From*>(in);
  To* target = static_cast<To*>(out);
  for (std::int64_t i = 0; i < count; ++i) {
    if constexpr (std::is_same_v<To, bool>)
      target[i] = source[i] != From(0);
    else
      target[i] = static_cast<To>(source[i]);
  }
}

template <class From>
void convertFrom(DType to, const void* in, void* out, std::int64_t count) {
  switch (to) {
    case DType::Float32:
      return convertValues<From, float>(in, out, count);
    case DType::Float64:
      return convertValues<From, double>(in, out, count);
    case DType::Int64:
      return convertValues<From, std::int64_t>(in, out, count);
    case DType::Int32:
      return convertValues<From, std::int32_t>(in, out, count);
    case DType::Bool:
      return convertValues<From, bool>(in, out, count);
    case DType::Uint8:
      return convertValues<From, std::uint8_t>(in, out, count);
    case DType::Int8:
      return convertValues<From, std::int8_t>(in, out, count);
  }
}

void convert(DType from, DType to, const void* in, void* out, std::int64_t count) {
  switch (from) {
    case DType::Float32:
      return convertFrom<float>(to, in, out, count);
    case DType::Float64:
      return convertFrom<double>(to, in, out, count);
    case DType::Int64:
      return convertFrom<std::int64_t>(to, in, out, count);
    case DType::Int32:
      return convertFrom<std::int32_t>(to, in, out, count);
    case DType::Bool:
      return convertFrom<bool>(to, in, out, count);
    case DType::Uint8:
      return convertFrom<std::uint8_t>(to, in, out, count);
    case DType::Int8:
      return convertFrom<std::int8_t>(to, in, out, count);
  }
}

std::unique_ptr<Kernel> makeCast(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto to = dtypeFromOnnx(ctx.node.attributes.getInt("to", 1));
  if (!to)
    ctx.fail("Cast to ONNX type " + std::to_string(ctx.node.attributes.getInt("to", 0)) +
                 " is not supported",
             "supported targets: float, double, int64, int32, int8, uint8, bool");
  ctx.setOutput(0, *to, input.shape);
  const DType from = input.dtype, target = *to;
  return makeKernel([from, target](const TensorView* in, TensorView* out, ThreadPool*) {
    convert(from, target, in[0].data, out[0].data, in[0].count);
  });
}

std::unique_ptr<Kernel> makeConstant(PrepareContext& ctx) {
  const auto& attributes = ctx.node.attributes;
  Tensor value;
  if (const auto* tensor = attributes.getTensor("value")) {
    value = decodeTensorProto(*tensor, {}, ctx.node.where);
  } else if (attributes.has("value_float")) {
    value = Tensor::scalarFloat(attributes.getFloat("value_float", 0.f));
  } else if (attributes.has("value_floats")) {
    auto floats = attributes.getFloats("value_floats");
    value = Tensor::fromFloats({static_cast<std::int64_t>(floats.size())}, floats);
  } else if (attributes.has("value_int")) {
    const std::int64_t v = attributes.getInt("value_int", 0);
    value = Tensor::fromInt64s({}, std::span<const std::int64_t>(&v, 1));
  } else if (attributes.has("value_ints")) {
    auto ints = attributes.getInts("value_ints");
    value = Tensor::fromInt64s({static_cast<std::int64_t>(ints.size())}, ints);
  } else {
    ctx.fail("Constant without a supported value attribute",
             "supported: value, value_float(s), value_int(s)");
  }
  ctx.setOutput(0, value.dtype(), value.shape());
  ctx.constantOutputs.push_back(std::move(value));
  return nullptr;
}

std::unique_ptr<Kernel> makeConstantOfShape(PrepareContext& ctx) {
  auto dims = ctx.constantInts(0, "shape");
  Tensor fill = Tensor::scalarFloat(0.f);
  if (const auto* tensor = ctx.node.attributes.getTensor("value"))
    fill = decodeTensorProto(*tensor, {}, ctx.node.where);
  if (fill.elementCount() != 1)
    ctx.fail("attribute value holds " + std::to_string(fill.elementCount()) +
             " elements; it must hold exactly one");
  const Shape shape(dims.begin(), dims.end());
  checkedElementCount(shape, ctx.node.where, "the shape input");
  Tensor value(fill.dtype(), shape);
  const std::size_t item = dtypeSize(fill.dtype());
  for (std::int64_t i = 0; i < value.elementCount(); ++i)
    std::memcpy(static_cast<std::byte*>(value.raw()) + i * item, fill.raw(), item);
  ctx.setOutput(0, value.dtype(), value.shape());
  ctx.constantOutputs.push_back(std::move(value));
  return nullptr;
}

std::unique_ptr<Kernel> makeShape(PrepareContext& ctx) {
  const auto& shape = ctx.input(0).shape;
  const auto rank = static_cast<std::int64_t>(shape.size());
  std::int64_t start = ctx.node.attributes.getInt("start", 0);
  std::int64_t end = ctx.node.attributes.getInt("end", rank);
  if (start < 0) start += rank;
  if (end < 0) end += rank;
  start = std::clamp<std::int64_t>(start, 0, rank);
  end = std::clamp<std::int64_t>(end, start, rank);
  std::vector<std::int64_t> dims(shape.begin() + start, shape.begin() + end);
  Tensor value = Tensor::fromInt64s({static_cast<std::int64_t>(dims.size())}, dims);
  ctx.setOutput(0, DType::Int64, value.shape());
  ctx.constantOutputs.push_back(std::move(value));
  return nullptr;
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

std::unique_ptr<Kernel> makeSplit(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  const auto rank = static_cast<std::int64_t>(input.shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", 0), rank, ctx);
  std::vector<std::int64_t> sizes;
  if (ctx.node.opset >= 13) {
    if (ctx.hasInput(1)) sizes = ctx.constantInts(1, "split");
  } else {
    sizes = ctx.node.attributes.getInts("split");
  }
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

std::unique_ptr<Kernel> makeRange(PrepareContext& ctx) {
  const auto& start = ctx.input(0);
  if (!start.constant || !ctx.input(1).constant || !ctx.input(2).constant)
    ctx.fail("Range needs start, limit and delta known at plan time");
  if (start.dtype == DType::Int64 || start.dtype == DType::Int32) {
    const auto a = ctx.constantInts(0, "start")[0], b = ctx.constantInts(1, "limit")[0],
               step = ctx.constantInts(2, "delta")[0];
    if (step == 0) ctx.fail("delta is 0");
    std::vector<std::int64_t> values;
    for (std::int64_t v = a; step > 0 ? v < b : v > b; v += step) values.push_back(v);
    Tensor value = Tensor::fromInt64s({static_cast<std::int64_t>(values.size())}, values);
    ctx.setOutput(0, DType::Int64, value.shape());
    ctx.constantOutputs.push_back(std::move(value));
    return nullptr;
  }
  const float a = ctx.constantFloats(0, "start")[0], b = ctx.constantFloats(1, "limit")[0],
              step = ctx.constantFloats(2, "delta")[0];
  if (step == 0.f) ctx.fail("delta is 0");
  const auto count =
      std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil((b - a) / step)));
  std::vector<float> values(count);
  for (std::int64_t i = 0; i < count; ++i) values[i] = a + step * static_cast<float>(i);
  Tensor value = Tensor::fromFloats({count}, values);
  ctx.setOutput(0, DType::Float32, value.shape());
  ctx.constantOutputs.push_back(std::move(value));
  return nullptr;
}

}  // namespace

void registerShapeKernels(KernelRegistry& registry) {
  registry.add("Split", makeSplit);
  registry.add("Expand", makeExpand);
  registry.add("Range", makeRange);
  registry.add("Reshape", makeReshape);
  registry.add("Flatten", makeFlatten);
  registry.add("Squeeze", makeSqueeze);
  registry.add("Unsqueeze", makeUnsqueeze);
  registry.add("Identity", makeIdentity);
  registry.add("Dropout", makeDropout);
  registry.add("Transpose", makeTranspose);
  registry.add("Concat", makeConcat);
  registry.add("Slice", makeSlice);
  registry.add("Pad", makePad);
  registry.add("Cast", makeCast);
  registry.add("Constant", makeConstant);
  registry.add("ConstantOfShape", makeConstantOfShape);
  registry.add("Shape", makeShape);
  registry.add("Gather", makeGather);
}

}  // namespace imuwb::engine
