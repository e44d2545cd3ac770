// Ops that only relabel their input: Reshape, Flatten, Squeeze, Unsqueeze, Identity and Dropout
// (inference). They alias their input's memory, so they cost no copy at run time.
#include <cstring>

#include "engine/Kernel.hpp"

namespace imuwb::engine {
namespace {

std::unique_ptr<Kernel> alias(PrepareContext& ctx, Shape shape) {
  ctx.setOutput(0, ctx.input(0).dtype, std::move(shape));
  ctx.aliasOutput0 = true;
  return nullptr;
}

std::unique_ptr<Kernel> reshapeTo(PrepareContext& ctx, const TensorMeta& input,
                                  std::vector<std::int64_t> target) {
  const bool allowZero = ctx.node.attributes.getInt("allowzero", 0) != 0;
  // A shape constant that bakes in the export batch (e.g. [1,-1]) is rewritten to the real
  // number of windows when the input carries the window dimension first.
  if (ctx.rewriteBakedBatch && !target.empty() && ctx.inputBatchLeading.size() > 0 &&
      ctx.inputBatchLeading[0] && ctx.batch != ctx.exportBatch && target[0] == ctx.exportBatch &&
      !input.shape.empty() && input.shape[0] == ctx.batch)
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

// Reshape-1..4: the target shape is an attribute.
std::unique_ptr<Kernel> makeReshapeV1(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  return reshapeTo(ctx, input, ctx.node.attributes.getInts("shape"));
}

// Reshape-5 on: the target shape is input 1, which must be known at plan time.
std::unique_ptr<Kernel> makeReshapeV5(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  return reshapeTo(ctx, input, ctx.constantInts(1, "shape"));
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

std::unique_ptr<Kernel> squeeze(PrepareContext& ctx, const TensorMeta& input,
                                const std::vector<std::int64_t>& axes) {
  const auto rank = static_cast<std::int64_t>(input.shape.size());
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

std::unique_ptr<Kernel> unsqueeze(PrepareContext& ctx, const TensorMeta& input,
                                  const std::vector<std::int64_t>& axes) {
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

// Squeeze-1..12 and Unsqueeze-1..12: the axes are an attribute.
std::vector<std::int64_t> axesAttribute(PrepareContext& ctx) {
  return ctx.node.attributes.getInts("axes");
}

// Squeeze-13 and Unsqueeze-13 on: the axes are input 1 (none when it is omitted).
std::vector<std::int64_t> axesInput(PrepareContext& ctx) {
  if (ctx.hasInput(1)) return ctx.constantInts(1, "axes");
  return {};
}

std::unique_ptr<Kernel> makeSqueezeV1(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  return squeeze(ctx, input, axesAttribute(ctx));
}

std::unique_ptr<Kernel> makeSqueezeV13(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  return squeeze(ctx, input, axesInput(ctx));
}

std::unique_ptr<Kernel> makeUnsqueezeV1(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  return unsqueeze(ctx, input, axesAttribute(ctx));
}

std::unique_ptr<Kernel> makeUnsqueezeV13(PrepareContext& ctx) {
  const auto& input = ctx.input(0);
  return unsqueeze(ctx, input, axesInput(ctx));
}

std::unique_ptr<Kernel> makeIdentity(PrepareContext& ctx) {
  return alias(ctx, ctx.input(0).shape);
}

std::unique_ptr<Kernel> makeDropout(PrepareContext& ctx) {
  // Opset 12 on: training_mode (input 2) true with a ratio above 0 drops values at random.
  if (ctx.hasInput(2)) {
    const Tensor& training = ctx.knownValue(2, "training_mode");
    const float ratio = ctx.hasInput(1) ? ctx.constantFloats(1, "ratio").at(0) : 0.5f;
    if (training.dtype() == DType::Bool && training.data<bool>()[0] && ratio != 0.f)
      ctx.fail("Dropout in training mode (random masks) is not supported",
               "export the model in inference mode (model.eval())");
  }
  if (ctx.outputs.size() < 2) return alias(ctx, ctx.input(0).shape);
  // The mask output was requested: copy the data and report "all kept".
  ctx.setOutput(0, ctx.input(0).dtype, ctx.input(0).shape);
  ctx.setOutput(1, DType::Bool, ctx.input(0).shape);
  return makeKernel([](const TensorView* in, TensorView* out, ThreadPool*) {
    std::memcpy(out[0].data, in[0].data, in[0].count * dtypeSize(in[0].dtype));
    if (out[1].data) std::memset(out[1].data, 1, out[1].count);
  });
}

}  // namespace

// Reshape, Squeeze and Unsqueeze took attributes that later opsets turned into inputs: one
// factory per opset range, as ONNX Runtime registers them.
void registerRelabelKernels(KernelRegistry& registry) {
  registry.add("Reshape", {.since = 1, .end = 4}, makeReshapeV1);
  registry.add("Reshape", {.since = 5}, makeReshapeV5);
  registry.add("Flatten", makeFlatten);
  registry.add("Squeeze", {.since = 1, .end = 12}, makeSqueezeV1);
  registry.add("Squeeze", {.since = 13}, makeSqueezeV13);
  registry.add("Unsqueeze", {.since = 1, .end = 12}, makeUnsqueezeV1);
  registry.add("Unsqueeze", {.since = 13}, makeUnsqueezeV13);
  registry.add("Identity", makeIdentity);
  registry.add("Dropout", makeDropout);
}

}  // namespace imuwb::engine
