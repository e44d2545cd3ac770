#pragma once
// A float32 elementwise kernel from a scalar function (the activations and unary math ops).
#include "engine/Kernel.hpp"

namespace imuwb::engine {

template <class F>
inline std::unique_ptr<Kernel> makeUnary(PrepareContext& ctx, F f) {
  ctx.requireFloatInput(0);
  ctx.setOutput(0, DType::Float32, ctx.input(0).shape);
  return makeKernel([f](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* x = in[0].as<const float>();
    float* y = out[0].as<float>();
    const std::int64_t count = in[0].count;
    for (std::int64_t i = 0; i < count; ++i) y[i] = f(x[i]);
  });
}

}  // namespace imuwb::engine
