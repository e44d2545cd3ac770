// Classification losses: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (which is a
// LogSoftmax over axis 1 followed by the same loss, and may also output the log-probabilities).
// Input [N,C] or [N,C,d1..dk], int64 targets [N] or [N,d1..dk], optional per-class weights,
// ignore_index, reduction none / sum / mean (mean divides by the summed weights of the targets
// that count, as ONNX's reference does). Accumulated in double.
#include <cmath>
#include <cstring>
#include <string>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

enum class Reduction { None, Sum, Mean };

struct LossShape {
  std::int64_t n = 1, c = 1, d = 1;  // batch, classes, the product of the extra dims
  Reduction reduction = Reduction::Mean;
  bool weighted = false;  // input 2 given
  bool logProbs = false;  // SoftmaxCrossEntropyLoss: output 1 requested
  bool hasIgnore = false;
  std::int64_t ignore = 0;
  std::string where;
};

LossShape prepareLoss(PrepareContext& ctx) {
  ctx.requireFloatInput(0);
  const Shape& x = ctx.input(0).shape;
  const Shape& target = ctx.input(1).shape;
  if (x.size() < 2) ctx.fail("the input needs at least 2 dimensions [N,C,...]");
  if (ctx.input(1).dtype != DType::Int64) ctx.fail("targets must be int64");
  LossShape loss;
  loss.n = x[0];
  loss.c = x[1];
  for (std::size_t k = 2; k < x.size(); ++k) loss.d *= x[k];
  Shape expected{x[0]};
  expected.insert(expected.end(), x.begin() + 2, x.end());
  if (target != expected)
    ctx.fail("targets have shape " + shapeToString(target) + ", expected " +
             shapeToString(expected));
  if (ctx.hasInput(2) && ctx.input(2).shape != Shape{loss.c}) ctx.fail("weights must be [C]");
  ctx.requireFloatInput(ctx.hasInput(2) ? 2 : 0);
  const std::string reduction = ctx.node.attributes.getString("reduction", "mean");
  if (reduction == "none")
    loss.reduction = Reduction::None;
  else if (reduction == "sum")
    loss.reduction = Reduction::Sum;
  else if (reduction != "mean")
    ctx.fail("reduction '" + reduction + "' is not supported", "use none, sum or mean");
  loss.weighted = ctx.hasInput(2);
  loss.logProbs = ctx.outputs.size() > 1;
  loss.hasIgnore = ctx.node.attributes.has("ignore_index");
  loss.ignore = ctx.node.attributes.getInt("ignore_index", 0);
  loss.where = ctx.node.where;
  ctx.setOutput(0, DType::Float32, loss.reduction == Reduction::None ? target : Shape{});
  if (ctx.inputBatchLeading[0] && loss.reduction != Reduction::None)
    ctx.mixesBatch = true, ctx.mixesBatchWhy = "reduces the loss over the batch";
  return loss;
}

// logp: [N,C,D] log-probabilities; out: [N,D] (none) or one value.
void negativeLogLikelihood(const LossShape& s, const float* logp, const std::int64_t* target,
                           const float* weight, float* out) {
  double total = 0.0, weights = 0.0;
  for (std::int64_t n = 0; n < s.n; ++n)
    for (std::int64_t k = 0; k < s.d; ++k) {
      const std::int64_t t = target[n * s.d + k];
      double value = 0.0, w = 0.0;
      if (!(s.hasIgnore && t == s.ignore)) {
        if (t < 0 || t >= s.c)
          throw Error(s.where, "target " + std::to_string(t) + " is outside [0, " +
                                   std::to_string(s.c) + ")");
        w = weight ? weight[t] : 1.0;
        value = -static_cast<double>(logp[(n * s.c + t) * s.d + k]) * w;
      }
      if (s.reduction == Reduction::None) out[n * s.d + k] = static_cast<float>(value);
      total += value;
      weights += w;
    }
  if (s.reduction == Reduction::Sum) out[0] = static_cast<float>(total);
  if (s.reduction == Reduction::Mean) out[0] = static_cast<float>(total / weights);
}

std::unique_ptr<Kernel> makeNegativeLogLikelihood(PrepareContext& ctx) {
  const LossShape shape = prepareLoss(ctx);
  return makeKernel([shape](const TensorView* in, TensorView* out, ThreadPool*) {
    negativeLogLikelihood(shape, in[0].as<const float>(), in[1].as<const std::int64_t>(),
                          shape.weighted ? in[2].as<const float>() : nullptr, out[0].as<float>());
  });
}

// log_softmax over the class axis of [N,C,D].
void logSoftmaxClasses(const LossShape& s, const float* x, float* logp) {
  for (std::int64_t n = 0; n < s.n; ++n)
    for (std::int64_t k = 0; k < s.d; ++k) {
      const float* row = x + n * s.c * s.d + k;
      float* target = logp + n * s.c * s.d + k;
      float top = row[0];
      for (std::int64_t c = 1; c < s.c; ++c) top = maxPropagatingNaN(top, row[c * s.d]);
      double sum = 0.0;
      for (std::int64_t c = 0; c < s.c; ++c) sum += std::exp(double(row[c * s.d]) - top);
      const double logSum = std::log(sum);
      for (std::int64_t c = 0; c < s.c; ++c)
        target[c * s.d] = static_cast<float>(double(row[c * s.d]) - top - logSum);
    }
}

std::unique_ptr<Kernel> makeSoftmaxCrossEntropy(PrepareContext& ctx) {
  const LossShape shape = prepareLoss(ctx);
  ctx.setOutput(1, DType::Float32, ctx.input(0).shape);
  const std::int64_t count = elementCount(ctx.input(0).shape);
  auto scratch = ctx.scratch;
  if (static_cast<std::int64_t>(scratch->size()) < count) scratch->resize(count);
  return makeKernel([shape, scratch](const TensorView* in, TensorView* out, ThreadPool*) {
    float* logp = shape.logProbs && out[1].data ? out[1].as<float>() : scratch->data();
    logSoftmaxClasses(shape, in[0].as<const float>(), logp);
    negativeLogLikelihood(shape, logp, in[1].as<const std::int64_t>(),
                          shape.weighted ? in[2].as<const float>() : nullptr, out[0].as<float>());
  });
}

}  // namespace

void registerLossKernels(KernelRegistry& registry) {
  registry.add("NegativeLogLikelihoodLoss", makeNegativeLogLikelihood);
  registry.add("SoftmaxCrossEntropyLoss", makeSoftmaxCrossEntropy);
}

}  // namespace imuwb::engine
