// Ops whose outputs are known when the plan is built: Constant, ConstantOfShape, Shape and Range.
// They return no kernel; the planner stores their values as constants (and folds what follows).
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/Kernel.hpp"
#include "engine/OnnxModel.hpp"

namespace imuwb::engine {
namespace {

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

// Size: the input's element count, an int64 scalar.
std::unique_ptr<Kernel> makeSize(PrepareContext& ctx) {
  const std::int64_t count = elementCount(ctx.input(0).shape);
  Tensor value = Tensor::fromInt64s({}, std::span<const std::int64_t>(&count, 1));
  ctx.setOutput(0, DType::Int64, {});
  ctx.constantOutputs.push_back(std::move(value));
  return nullptr;
}

std::unique_ptr<Kernel> makeRange(PrepareContext& ctx) {
  const auto& start = ctx.input(0);
  if (start.dtype == DType::Int64 || start.dtype == DType::Int32) {
    const auto a = ctx.constantInts(0, "start")[0], b = ctx.constantInts(1, "limit")[0],
               step = ctx.constantInts(2, "delta")[0];
    if (step == 0) ctx.fail("delta is 0");
    std::vector<std::int64_t> values;
    for (std::int64_t v = a; step > 0 ? v < b : v > b; v += step) values.push_back(v);
    Tensor value = Tensor::fromInt64s({static_cast<std::int64_t>(values.size())}, values);
    if (start.dtype == DType::Int32) {  // the output has the inputs' type
      Tensor narrow(DType::Int32, value.shape());
      std::copy(values.begin(), values.end(), narrow.data<std::int32_t>());
      value = std::move(narrow);
    }
    ctx.setOutput(0, start.dtype, value.shape());
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

void registerPlanTimeValueKernels(KernelRegistry& registry) {
  registry.add("Constant", makeConstant);
  registry.add("ConstantOfShape", makeConstantOfShape);
  registry.add("Shape", makeShape);
  registry.add("Range", makeRange);
  registry.add("Size", makeSize);
}

}  // namespace imuwb::engine
