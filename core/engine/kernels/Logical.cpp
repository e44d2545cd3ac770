// Comparisons and logic, all with bool outputs: Equal, Less, Greater, LessOrEqual,
// GreaterOrEqual (numpy broadcasting, any numeric dtype; NaN compares false as in IEEE), And, Or,
// Xor, Not (bool), IsNaN, IsInf.
#include <cmath>
#include <cstdint>

#include "engine/Kernel.hpp"
#include "engine/kernels/Broadcast.hpp"

namespace imuwb::engine {
namespace {

enum class CompareOp { Equal, Less, Greater, LessOrEqual, GreaterOrEqual, And, Or, Xor };

template <CompareOp op, class T>
inline bool compare(T a, T b) {
  if constexpr (op == CompareOp::Equal) return a == b;
  if constexpr (op == CompareOp::Less) return a < b;
  if constexpr (op == CompareOp::Greater) return a > b;
  if constexpr (op == CompareOp::LessOrEqual) return a <= b;
  if constexpr (op == CompareOp::GreaterOrEqual) return a >= b;
  if constexpr (op == CompareOp::And) return a && b;
  if constexpr (op == CompareOp::Or) return a || b;
  if constexpr (op == CompareOp::Xor) return bool(a) != bool(b);
}

template <class T, CompareOp op>
void runCompare(const BroadcastPlan& plan, const T* a, const T* b, bool* out, std::int64_t total) {
  const int rank = static_cast<int>(plan.out.size());
  DimIndex index;
  std::int64_t offA = 0, offB = 0;
  for (std::int64_t i = 0; i < total; ++i) {
    out[i] = compare<op>(a[offA], b[offB]);
    advanceOdometer(plan, rank - 1, index, offA, offB);
  }
}

template <class T, CompareOp op>
std::unique_ptr<Kernel> compareKernel(const BroadcastPlan& plan) {
  return makeKernel([plan](const TensorView* in, TensorView* out, ThreadPool*) {
    runCompare<T, op>(plan, in[0].as<const T>(), in[1].as<const T>(), out[0].as<bool>(),
                      out[0].count);
  });
}

template <CompareOp op>
std::unique_ptr<Kernel> makeCompare(PrepareContext& ctx) {
  const auto& a = ctx.input(0);
  const auto& b = ctx.input(1);
  if (a.dtype != b.dtype) ctx.fail("inputs have different dtypes");
  constexpr bool logical = op == CompareOp::And || op == CompareOp::Or || op == CompareOp::Xor;
  if (logical && a.dtype != DType::Bool) ctx.fail("logical ops take bool inputs");
  auto plan = planBroadcast(a.shape, b.shape, ctx);
  ctx.setOutput(0, DType::Bool, plan.out);
  switch (a.dtype) {
    case DType::Float32:
      return compareKernel<float, op>(plan);
    case DType::Float64:
      return compareKernel<double, op>(plan);
    case DType::Int64:
      return compareKernel<std::int64_t, op>(plan);
    case DType::Int32:
      return compareKernel<std::int32_t, op>(plan);
    case DType::Int8:
      return compareKernel<std::int8_t, op>(plan);
    case DType::Uint8:
      return compareKernel<std::uint8_t, op>(plan);
    case DType::Bool:
      if (!logical && op != CompareOp::Equal) break;
      return compareKernel<bool, op>(plan);
  }
  ctx.fail("dtype " + std::string(dtypeName(a.dtype)) + " is not supported");
}

std::unique_ptr<Kernel> makeNot(PrepareContext& ctx) {
  if (ctx.input(0).dtype != DType::Bool) ctx.fail("Not takes a bool input");
  ctx.setOutput(0, DType::Bool, ctx.input(0).shape);
  return makeKernel([](const TensorView* in, TensorView* out, ThreadPool*) {
    const bool* x = in[0].as<const bool>();
    bool* y = out[0].as<bool>();
    for (std::int64_t i = 0; i < in[0].count; ++i) y[i] = !x[i];
  });
}

// IsNaN, and IsInf with detect_positive / detect_negative (float32 or float64 input).
template <class Test>
std::unique_ptr<Kernel> makeFloatTest(PrepareContext& ctx, Test test) {
  const DType dtype = ctx.input(0).dtype;
  if (dtype != DType::Float32 && dtype != DType::Float64) ctx.requireFloatInput(0);
  ctx.setOutput(0, DType::Bool, ctx.input(0).shape);
  return makeKernel([dtype, test](const TensorView* in, TensorView* out, ThreadPool*) {
    bool* y = out[0].as<bool>();
    for (std::int64_t i = 0; i < in[0].count; ++i)
      y[i] = dtype == DType::Float32 ? test(double(in[0].as<const float>()[i]))
                                     : test(in[0].as<const double>()[i]);
  });
}

std::unique_ptr<Kernel> makeIsNaN(PrepareContext& ctx) {
  return makeFloatTest(ctx, [](double x) { return std::isnan(x); });
}

std::unique_ptr<Kernel> makeIsInf(PrepareContext& ctx) {
  const bool positive = ctx.node.attributes.getInt("detect_positive", 1) != 0;
  const bool negative = ctx.node.attributes.getInt("detect_negative", 1) != 0;
  return makeFloatTest(ctx, [positive, negative](double x) {
    return std::isinf(x) && (x > 0 ? positive : negative);
  });
}

}  // namespace

void registerLogicalKernels(KernelRegistry& registry) {
  registry.add("Equal", makeCompare<CompareOp::Equal>);
  registry.add("Less", makeCompare<CompareOp::Less>);
  registry.add("Greater", makeCompare<CompareOp::Greater>);
  registry.add("LessOrEqual", makeCompare<CompareOp::LessOrEqual>);
  registry.add("GreaterOrEqual", makeCompare<CompareOp::GreaterOrEqual>);
  registry.add("And", makeCompare<CompareOp::And>);
  registry.add("Or", makeCompare<CompareOp::Or>);
  registry.add("Xor", makeCompare<CompareOp::Xor>);
  registry.add("Not", makeNot);
  registry.add("IsNaN", makeIsNaN);
  registry.add("IsInf", makeIsInf);
}

}  // namespace imuwb::engine
