// Unary math and activations: Relu, LeakyRelu, Clip, Sigmoid, Tanh, Erf, Elu, HardSigmoid,
// Softplus, Exp, Log, Sqrt, Neg, Abs, Reciprocal, Floor, Ceil, Round; Softmax and LogSoftmax.
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/Kernel.hpp"
#include "engine/kernels/Unary.hpp"

namespace imuwb::engine {
namespace {

#define IMUWB_UNARY(NAME, EXPR)                                   \
  std::unique_ptr<Kernel> make##NAME(PrepareContext& ctx) {       \
    return makeUnary(ctx, [](float x) -> float { return EXPR; }); \
  }

IMUWB_UNARY(Relu, x < 0.f ? 0.f : x)  // NaN stays NaN, as in ONNX Runtime
IMUWB_UNARY(Sigmoid, 1.f / (1.f + std::exp(-x)))
IMUWB_UNARY(Tanh, std::tanh(x))
IMUWB_UNARY(Erf, std::erf(x))
IMUWB_UNARY(Exp, std::exp(x))
IMUWB_UNARY(Log, std::log(x))
IMUWB_UNARY(Sqrt, std::sqrt(x))
IMUWB_UNARY(Neg, -x)
IMUWB_UNARY(Abs, std::fabs(x))
IMUWB_UNARY(Reciprocal, 1.f / x)
IMUWB_UNARY(Floor, std::floor(x))
IMUWB_UNARY(Ceil, std::ceil(x))
IMUWB_UNARY(Round, std::nearbyint(x))  // ties to even, as ONNX specifies
IMUWB_UNARY(Softplus, x > 20.f ? x : std::log1p(std::exp(x)))
#undef IMUWB_UNARY

std::unique_ptr<Kernel> makeLeakyRelu(PrepareContext& ctx) {
  const float alpha = ctx.node.attributes.getFloat("alpha", 0.01f);
  return makeUnary(ctx, [alpha](float x) { return x >= 0.f ? x : x * alpha; });
}

std::unique_ptr<Kernel> makeElu(PrepareContext& ctx) {
  const float alpha = ctx.node.attributes.getFloat("alpha", 1.f);
  return makeUnary(ctx, [alpha](float x) { return x >= 0.f ? x : alpha * std::expm1(x); });
}

std::unique_ptr<Kernel> makeHardSigmoid(PrepareContext& ctx) {
  const float alpha = ctx.node.attributes.getFloat("alpha", 0.2f);
  const float beta = ctx.node.attributes.getFloat("beta", 0.5f);
  return makeUnary(ctx, [alpha, beta](float x) { return std::clamp(alpha * x + beta, 0.f, 1.f); });
}

std::unique_ptr<Kernel> clipBetween(PrepareContext& ctx, float low, float high) {
  return makeUnary(ctx, [low, high](float x) { return std::min(std::max(x, low), high); });
}

// Clip-6..10: the bounds are attributes.
std::unique_ptr<Kernel> makeClipV6(PrepareContext& ctx) {
  return clipBetween(ctx,
                     ctx.node.attributes.getFloat("min", -std::numeric_limits<float>::infinity()),
                     ctx.node.attributes.getFloat("max", std::numeric_limits<float>::infinity()));
}

// Clip-11 on: the bounds are optional inputs known at plan time.
std::unique_ptr<Kernel> makeClipV11(PrepareContext& ctx) {
  float low = -std::numeric_limits<float>::infinity();
  float high = std::numeric_limits<float>::infinity();
  if (ctx.hasInput(1)) low = ctx.constantFloats(1, "min").at(0);
  if (ctx.hasInput(2)) high = ctx.constantFloats(2, "max").at(0);
  return clipBetween(ctx, low, high);
}

// Softmax / LogSoftmax. Before opset 13 (legacy) the input is coerced to 2-D at `axis` and
// normalized over everything after it; from 13 on only over `axis`.
template <bool logarithm, bool legacy>
std::unique_ptr<Kernel> makeSoftmax(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const auto& shape = ctx.input(0).shape;
  const auto rank = static_cast<std::int64_t>(shape.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", legacy ? 1 : -1), rank, ctx);
  std::int64_t outer = 1, axisSize = 1, inner = 1;
  for (std::int64_t d = 0; d < rank; ++d) {
    if (d < axis)
      outer *= shape[d];
    else if (legacy || d == axis)
      axisSize *= shape[d];
    else
      inner *= shape[d];
  }
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "normalizes across the window dimension (axis 0)";
  ctx.setOutput(0, DType::Float32, shape);
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* x = in[0].as<const float>();
    float* y = out[0].as<float>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < inner; ++i) {
        const std::int64_t base = o * axisSize * inner + i;
        float maxValue = -std::numeric_limits<float>::infinity();
        for (std::int64_t k = 0; k < axisSize; ++k)
          maxValue = std::max(maxValue, x[base + k * inner]);
        double sum = 0.0;
        for (std::int64_t k = 0; k < axisSize; ++k) {
          const float e = std::exp(x[base + k * inner] - maxValue);
          if (!logarithm) y[base + k * inner] = e;
          sum += e;
        }
        if (logarithm) {
          const float logSum = static_cast<float>(std::log(sum));
          for (std::int64_t k = 0; k < axisSize; ++k)
            y[base + k * inner] = x[base + k * inner] - maxValue - logSum;
        } else {
          const float scale = static_cast<float>(1.0 / sum);
          for (std::int64_t k = 0; k < axisSize; ++k) y[base + k * inner] *= scale;
        }
      }
  });
}

}  // namespace

void registerActivationKernels(KernelRegistry& registry) {
  registry.add("Relu", makeRelu);
  registry.add("LeakyRelu", makeLeakyRelu);
  registry.add("Clip", {.since = 1, .end = 10}, makeClipV6);
  registry.add("Clip", {.since = 11}, makeClipV11);
  registry.add("Sigmoid", makeSigmoid);
  registry.add("Tanh", makeTanh);
  registry.add("Erf", makeErf);
  registry.add("Elu", makeElu);
  registry.add("HardSigmoid", makeHardSigmoid);
  registry.add("Softplus", makeSoftplus);
  registry.add("Exp", makeExp);
  registry.add("Log", makeLog);
  registry.add("Sqrt", makeSqrt);
  registry.add("Neg", makeNeg);
  registry.add("Abs", makeAbs);
  registry.add("Reciprocal", makeReciprocal);
  registry.add("Floor", makeFloor);
  registry.add("Ceil", makeCeil);
  registry.add("Round", makeRound);
  // Softmax-1..12 and -13 on differ in what `axis` means: one factory per opset range.
  registry.add("Softmax", {.since = 1, .end = 12}, makeSoftmax<false, true>);
  registry.add("Softmax", {.since = 13}, makeSoftmax<false, false>);
  registry.add("LogSoftmax", {.since = 1, .end = 12}, makeSoftmax<true, true>);
  registry.add("LogSoftmax", {.since = 13}, makeSoftmax<true, false>);
}

}  // namespace imuwb::engine
