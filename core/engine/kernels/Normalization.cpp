// BatchNormalization (inference form; Conv+BN is usually fused by the planner),
// LayerNormalization (opset 17, optional Mean / InvStdDev outputs) and InstanceNormalization.
#include <cmath>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

std::unique_ptr<Kernel> makeBatchNorm(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const auto& x = ctx.input(0).shape;
  if (x.size() < 2) ctx.fail("input must be [N,C,...]");
  if (ctx.outputs.size() > 1 || ctx.node.attributes.getInt("training_mode", 0) != 0)
    ctx.fail("training mode (running mean/var outputs) is not supported",
             "export the model in eval mode (model.eval())");
  const std::int64_t channels = x[1];
  for (std::size_t i = 1; i <= 4; ++i) {
    ctx.requireFloatInput(i);
    if (elementCount(ctx.input(i).shape) != channels)
      ctx.fail("parameter " + std::to_string(i) + " does not have " + std::to_string(channels) +
               " values");
  }
  const float epsilon = ctx.node.attributes.getFloat("epsilon", 1e-5f);
  const std::int64_t inner = elementCount(x) / std::max<std::int64_t>(1, x[0] * channels);
  const std::int64_t batch = x[0];
  ctx.setOutput(0, DType::Float32, x);
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    const float *scale = in[1].as<const float>(), *shift = in[2].as<const float>();
    const float *mean = in[3].as<const float>(), *variance = in[4].as<const float>();
    float* target = out[0].as<float>();
    for (std::int64_t n = 0; n < batch; ++n)
      for (std::int64_t c = 0; c < channels; ++c) {
        const float s = scale[c] / std::sqrt(variance[c] + epsilon);
        const float b = shift[c] - mean[c] * s;
        const std::int64_t base = (n * channels + c) * inner;
        for (std::int64_t i = 0; i < inner; ++i) target[base + i] = source[base + i] * s + b;
      }
  });
}

std::unique_ptr<Kernel> makeLayerNorm(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  ctx.requireFloatInput(1);
  const auto& x = ctx.input(0).shape;
  const auto rank = static_cast<std::int64_t>(x.size());
  const auto axis = normalizeAxis(ctx.node.attributes.getInt("axis", -1), rank, ctx);
  const float epsilon = ctx.node.attributes.getFloat("epsilon", 1e-5f);
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t d = 0; d < rank; ++d) (d < axis ? outer : inner) *= x[d];
  if (elementCount(ctx.input(1).shape) != inner ||
      (ctx.hasInput(2) && elementCount(ctx.input(2).shape) != inner))
    ctx.fail("Scale/B must cover the normalized dimensions (" + std::to_string(inner) +
             " values); broadcasting them is not supported");
  if (axis == 0 && ctx.inputBatchLeading[0])
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "normalizes across the window dimension (axis 0)";
  const bool hasBias = ctx.hasInput(2);
  ctx.setOutput(0, DType::Float32, x);
  Shape statsShape = x;
  for (std::int64_t d = axis; d < rank; ++d) statsShape[d] = 1;
  ctx.setOutput(1, DType::Float32, statsShape);
  ctx.setOutput(2, DType::Float32, statsShape);
  const std::size_t outputCount = ctx.outputs.size();
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    const float* scale = in[1].as<const float>();
    const float* bias = hasBias ? in[2].as<const float>() : nullptr;
    float* target = out[0].as<float>();
    float* meanOut = outputCount > 1 && out[1].data ? out[1].as<float>() : nullptr;
    float* invOut = outputCount > 2 && out[2].data ? out[2].as<float>() : nullptr;
    for (std::int64_t o = 0; o < outer; ++o) {
      const float* row = source + o * inner;
      double sum = 0.0, squares = 0.0;
      for (std::int64_t i = 0; i < inner; ++i) sum += row[i];
      const double mean = sum / inner;
      for (std::int64_t i = 0; i < inner; ++i) squares += (row[i] - mean) * (row[i] - mean);
      const float invStd = static_cast<float>(1.0 / std::sqrt(squares / inner + epsilon));
      float* result = target + o * inner;
      for (std::int64_t i = 0; i < inner; ++i)
        result[i] =
            (row[i] - static_cast<float>(mean)) * invStd * scale[i] + (bias ? bias[i] : 0.f);
      if (meanOut) meanOut[o] = static_cast<float>(mean);
      if (invOut) invOut[o] = invStd;
    }
  });
}

std::unique_ptr<Kernel> makeInstanceNorm(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const auto& x = ctx.input(0).shape;
  if (x.size() < 3) ctx.fail("input must be [N,C,spatial...]");
  const std::int64_t channels = x[1];
  const std::int64_t inner = elementCount(x) / (x[0] * channels);
  const float epsilon = ctx.node.attributes.getFloat("epsilon", 1e-5f);
  const std::int64_t batch = x[0];
  ctx.setOutput(0, DType::Float32, x);
  return makeKernel([=](const TensorView* in, TensorView* out, ThreadPool*) {
    const float* source = in[0].as<const float>();
    const float *scale = in[1].as<const float>(), *shift = in[2].as<const float>();
    float* target = out[0].as<float>();
    for (std::int64_t n = 0; n < batch; ++n)
      for (std::int64_t c = 0; c < channels; ++c) {
        const std::int64_t base = (n * channels + c) * inner;
        double sum = 0.0, squares = 0.0;
        for (std::int64_t i = 0; i < inner; ++i) sum += source[base + i];
        const double mean = sum / inner;
        for (std::int64_t i = 0; i < inner; ++i)
          squares += (source[base + i] - mean) * (source[base + i] - mean);
        const float s = static_cast<float>(scale[c] / std::sqrt(squares / inner + epsilon));
        for (std::int64_t i = 0; i < inner; ++i)
          target[base + i] = (source[base + i] - static_cast<float>(mean)) * s + shift[c];
      }
  });
}

}  // namespace

void registerNormalizationKernels(KernelRegistry& registry) {
  registry.add("BatchNormalization", makeBatchNorm);
  registry.add("LayerNormalization", makeLayerNorm);
  registry.add("InstanceNormalization", makeInstanceNorm);
}

}  // namespace imuwb::engine
