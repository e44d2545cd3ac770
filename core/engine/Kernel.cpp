#include "engine/Kernel.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <stdexcept>

#include "common/Error.hpp"

namespace imuwb::engine {

const void* NodeAttributes::find(const std::string& name) const {
  if (!node_) return nullptr;
  for (const auto& attribute : node_->attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

bool NodeAttributes::has(const std::string& name) const {
  return find(name) != nullptr;
}

std::int64_t NodeAttributes::getInt(const std::string& name, std::int64_t fallback) const {
  auto* attribute = static_cast<const onnx::AttributeProto*>(find(name));
  return attribute ? attribute->i() : fallback;
}
float NodeAttributes::getFloat(const std::string& name, float fallback) const {
  auto* attribute = static_cast<const onnx::AttributeProto*>(find(name));
  return attribute ? attribute->f() : fallback;
}
std::string NodeAttributes::getString(const std::string& name, const std::string& fallback) const {
  auto* attribute = static_cast<const onnx::AttributeProto*>(find(name));
  return attribute ? attribute->s() : fallback;
}
std::vector<std::int64_t> NodeAttributes::getInts(const std::string& name) const {
  auto* attribute = static_cast<const onnx::AttributeProto*>(find(name));
  if (!attribute) return {};
  return {attribute->ints().begin(), attribute->ints().end()};
}
std::vector<float> NodeAttributes::getFloats(const std::string& name) const {
  auto* attribute = static_cast<const onnx::AttributeProto*>(find(name));
  if (!attribute) return {};
  return {attribute->floats().begin(), attribute->floats().end()};
}
const onnx::TensorProto* NodeAttributes::getTensor(const std::string& name) const {
  auto* attribute = static_cast<const onnx::AttributeProto*>(find(name));
  return attribute && attribute->has_t() ? &attribute->t() : nullptr;
}

void FusedActivation::apply(float* values, std::int64_t count) const {
  switch (kind) {
    case Kind::None:
      return;
    case Kind::Relu:
      // NaN stays NaN (as ONNX Runtime's Relu).
      for (std::int64_t i = 0; i < count; ++i) values[i] = values[i] < 0.f ? 0.f : values[i];
      return;
    case Kind::Clip:
      for (std::int64_t i = 0; i < count; ++i)
        values[i] = std::min(std::max(values[i], minValue), maxValue);
      return;
    case Kind::LeakyRelu:
      for (std::int64_t i = 0; i < count; ++i)
        values[i] = values[i] >= 0.f ? values[i] : values[i] * alpha;
      return;
  }
}

const TensorMeta& PrepareContext::input(std::size_t i) const {
  if (!hasInput(i)) fail("input " + std::to_string(i) + " is required but missing");
  return inputs[i];
}

const Tensor& PrepareContext::knownValue(std::size_t i, const std::string& what) const {
  const auto& meta = input(i);
  if (meta.constant) return *meta.constant;
  if (meta.runValue) {
    runValuesRead.push_back(i);
    return *meta.runValue;
  }
  const std::string problem =
      what + " (input " + std::to_string(i) + ") must be a constant known at plan time";
  if (meta.graphInput) throw NeedsRunValues(node.where, problem + " (it is a graph input)");
  fail(problem,
       "export with static shapes (do_constant_folding=True) or fold the shape computation");
}

std::vector<std::int64_t> PrepareContext::constantInts(std::size_t i,
                                                       const std::string& what) const {
  const Tensor& tensor = knownValue(i, what);
  std::vector<std::int64_t> values(tensor.elementCount());
  if (tensor.dtype() == DType::Int64)
    std::copy_n(tensor.data<std::int64_t>(), values.size(), values.begin());
  else if (tensor.dtype() == DType::Int32)
    std::copy_n(tensor.data<std::int32_t>(), values.size(), values.begin());
  else
    fail(what + " must be int64 or int32, not " + std::string(dtypeName(tensor.dtype())));
  return values;
}

std::vector<float> PrepareContext::constantFloats(std::size_t i, const std::string& what) const {
  const Tensor& tensor = knownValue(i, what);
  std::vector<float> values(tensor.elementCount());
  if (tensor.dtype() == DType::Float32)
    std::copy_n(tensor.data<float>(), values.size(), values.begin());
  else if (tensor.dtype() == DType::Float64)
    std::copy_n(tensor.data<double>(), values.size(), values.begin());
  else if (tensor.dtype() == DType::Int8)
    std::copy_n(tensor.data<std::int8_t>(), values.size(), values.begin());
  else if (tensor.dtype() == DType::Uint8)
    std::copy_n(tensor.data<std::uint8_t>(), values.size(), values.begin());
  else if (tensor.dtype() == DType::Int32)
    std::copy_n(tensor.data<std::int32_t>(), values.size(), values.begin());
  else
    fail(what + " must be float, not " + std::string(dtypeName(tensor.dtype())));
  return values;
}

void PrepareContext::setOutput(std::size_t i, DType dtype, Shape shape) {
  if (i >= outputs.size()) return;  // optional output not requested
  for (auto dim : shape)
    if (dim < 0) fail("computed a negative output dimension " + shapeToString(shape));
  // Bounded before anything allocates it (ConstantOfShape [2^32, 2^32], hostile attributes).
  checkedElementCount(shape, node.where, "output " + std::to_string(i));
  outputs[i].dtype = dtype;
  outputs[i].shape = std::move(shape);
}

void PrepareContext::requireFloatInput(std::size_t i) const {
  const auto& meta = input(i);
  if (meta.dtype != DType::Float32)
    fail("input " + std::to_string(i) + " is " + std::string(dtypeName(meta.dtype)) +
             "; this kernel supports float32 only",
         "cast the input to float32 in the model");
}

void PrepareContext::fail(const std::string& problem, const std::string& fix) const {
  throw Error(node.where, problem, fix);
}

void requireRankAtMost(const PrepareContext& ctx, std::size_t rank) {
  if (rank > kMaxRank)
    ctx.fail("rank " + std::to_string(rank) + " is above the supported maximum of " +
             std::to_string(kMaxRank));
}

std::int64_t normalizeAxis(std::int64_t axis, std::int64_t rank, const PrepareContext& ctx) {
  const std::int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= std::max<std::int64_t>(rank, 1))
    ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return normalized;
}

void KernelRegistry::add(const std::string& opType, KernelFactory factory) {
  add(opType, OpsetRange{}, std::move(factory));
}

void KernelRegistry::add(const std::string& opType, OpsetRange range, KernelFactory factory) {
  auto& versions = factories_[opType];
  for (const auto& known : versions)
    if (range.since <= known.range.end && known.range.since <= range.end)
      throw std::logic_error("kernel registry: two factories for " + opType + " at opset " +
                             std::to_string(std::max(range.since, known.range.since)));
  versions.push_back({range, std::move(factory)});
}

const KernelFactory* KernelRegistry::find(const std::string& opType, std::int64_t opset) const {
  auto it = factories_.find(opType);
  if (it == factories_.end()) return nullptr;
  for (const auto& version : it->second)
    if (version.range.contains(opset)) return &version.factory;
  return nullptr;
}

bool KernelRegistry::knows(const std::string& opType) const {
  return factories_.count(opType) != 0;
}

std::vector<std::string> KernelRegistry::opTypes() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

std::string KernelRegistry::opTypesText() const {
  std::string text;
  for (const auto& [name, factory] : factories_) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::vector<OpsetRange> KernelRegistry::ranges(const std::string& opType) const {
  std::vector<OpsetRange> result;
  auto it = factories_.find(opType);
  if (it == factories_.end()) return result;
  for (const auto& version : it->second) result.push_back(version.range);
  std::sort(result.begin(), result.end(),
            [](const OpsetRange& a, const OpsetRange& b) { return a.since < b.since; });
  return result;
}

std::string KernelRegistry::opTableMarkdown(std::int64_t maxOpset) const {
  std::string text = "| Op | Opsets (one factory per range) |\n|---|---|\n";
  for (const auto& [name, versions] : factories_) {
    std::string cell;
    for (const auto& range : ranges(name)) {
      const std::int64_t end = std::min(range.end, maxOpset);
      cell += (cell.empty() ? "" : ", ") + std::to_string(range.since) +
              (end == range.since ? "" : "-" + std::to_string(end));
    }
    text += "| " + name + " | " + cell + " |\n";
  }
  return text;
}

KernelRegistry makeBuiltinKernelRegistry() {
  KernelRegistry registry;
  registerConvKernels(registry);
  registerPoolKernels(registry);
  registerElementwiseKernels(registry);
  registerActivationKernels(registry);
  registerGemmKernels(registry);
  registerNormalizationKernels(registry);
  registerRelabelKernels(registry);
  registerDataMovementKernels(registry);
  registerCastKernels(registry);
  registerPlanTimeValueKernels(registry);
  registerReductionKernels(registry);
  registerLogicalKernels(registry);
  registerUnaryMathKernels(registry);
  registerArgReduceKernels(registry);
  registerLossKernels(registry);
  registerIndexingKernels(registry);
  registerRecurrentKernels(registry);
  return registry;
}

}  // namespace imuwb::engine
