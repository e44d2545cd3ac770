// Unary math without parameters beyond attributes: trigonometric and hyperbolic functions,
// Sign, Softsign, and the parametric activations Selu, Celu, ThresholdedRelu, Shrink, HardSwish
// and Mish. float32; NaN stays NaN.
#include <algorithm>
#include <cmath>

#include "engine/Kernel.hpp"
#include "engine/kernels/Unary.hpp"

namespace imuwb::engine {
namespace {

#define IMUWB_UNARY(NAME, EXPR)                                   \
  std::unique_ptr<Kernel> make##NAME(PrepareContext& ctx) {       \
    return makeUnary(ctx, [](float x) -> float { return EXPR; }); \
  }

IMUWB_UNARY(Sin, std::sin(x))
IMUWB_UNARY(Cos, std::cos(x))
IMUWB_UNARY(Tan, std::tan(x))
IMUWB_UNARY(Asin, std::asin(x))
IMUWB_UNARY(Acos, std::acos(x))
IMUWB_UNARY(Atan, std::atan(x))
IMUWB_UNARY(Sinh, std::sinh(x))
IMUWB_UNARY(Cosh, std::cosh(x))
IMUWB_UNARY(Asinh, std::asinh(x))
IMUWB_UNARY(Acosh, std::acosh(x))
IMUWB_UNARY(Atanh, std::atanh(x))
IMUWB_UNARY(Sign, x > 0.f ? 1.f : x < 0.f ? -1.f : x)  // 0 and NaN stay
IMUWB_UNARY(Softsign, x / (1.f + std::fabs(x)))
IMUWB_UNARY(HardSwish, x* std::clamp(x / 6.f + 0.5f, 0.f, 1.f))
IMUWB_UNARY(Mish, x* std::tanh(x > 20.f ? x : std::log1p(std::exp(x))))
#undef IMUWB_UNARY

std::unique_ptr<Kernel> makeSelu(PrepareContext& ctx) {
  const float alpha = ctx.node.attributes.getFloat("alpha", 1.67326319217681884765625f);
  const float gamma = ctx.node.attributes.getFloat("gamma", 1.05070102214813232421875f);
  return makeUnary(ctx, [alpha, gamma](float x) {
    return x > 0.f ? gamma * x : gamma * (alpha * std::exp(x) - alpha);
  });
}

std::unique_ptr<Kernel> makeCelu(PrepareContext& ctx) {
  const float alpha = ctx.node.attributes.getFloat("alpha", 1.f);
  return makeUnary(ctx, [alpha](float x) {
    return x > 0.f ? x : x <= 0.f ? alpha * std::expm1(x / alpha) : x;
  });
}

std::unique_ptr<Kernel> makeThresholdedRelu(PrepareContext& ctx) {
  const float alpha = ctx.node.attributes.getFloat("alpha", 1.f);
  return makeUnary(ctx, [alpha](float x) { return x > alpha ? x : x <= alpha ? 0.f : x; });
}

std::unique_ptr<Kernel> makeShrink(PrepareContext& ctx) {
  const float bias = ctx.node.attributes.getFloat("bias", 0.f);
  const float lambd = ctx.node.attributes.getFloat("lambd", 0.5f);
  return makeUnary(ctx, [bias, lambd](float x) {
    return x < -lambd ? x + bias : x > lambd ? x - bias : x == x ? 0.f : x;
  });
}

}  // namespace

void registerUnaryMathKernels(KernelRegistry& registry) {
  registry.add("Sin", makeSin);
  registry.add("Cos", makeCos);
  registry.add("Tan", makeTan);
  registry.add("Asin", makeAsin);
  registry.add("Acos", makeAcos);
  registry.add("Atan", makeAtan);
  registry.add("Sinh", makeSinh);
  registry.add("Cosh", makeCosh);
  registry.add("Asinh", makeAsinh);
  registry.add("Acosh", makeAcosh);
  registry.add("Atanh", makeAtanh);
  registry.add("Sign", makeSign);
  registry.add("Softsign", makeSoftsign);
  registry.add("HardSwish", makeHardSwish);
  registry.add("Mish", makeMish);
  registry.add("Selu", makeSelu);
  registry.add("Celu", makeCelu);
  registry.add("ThresholdedRelu", makeThresholdedRelu);
  registry.add("Shrink", makeShrink);
}

}  // namespace imuwb::engine
