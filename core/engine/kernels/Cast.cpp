// Cast: element type conversion between the engine's dtypes (to bool: "is not zero").
#include <cstdint>
#include <type_traits>

#include "engine/Kernel.hpp"
#include "engine/OnnxDType.hpp"

namespace imuwb::engine {
namespace {

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

}  // namespace

void registerCastKernels(KernelRegistry& registry) {
  registry.add("Cast", makeCast);
}

}  // namespace imuwb::engine
