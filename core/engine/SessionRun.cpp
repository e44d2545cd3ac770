// InferenceSession's run: which mode the given inputs call for (RunMode), then one pass of the
// graph as declared, or N windows split over batches / windows and the worker threads.
#include <algorithm>
#include <bit>
#include <cstring>

#include "engine/SessionImpl.hpp"

namespace imuwb::engine {

InferenceSession::Impl::Choice InferenceSession::Impl::choose(
    std::span<const Tensor* const> inputs) const {
  if (inputs.size() != graph.inputs.size())
    throw Error(graph.where, "expected " + std::to_string(graph.inputs.size()) + " inputs, got " +
                                 std::to_string(inputs.size()));
  if (perRun) return choosePerRun(inputs);
  // Built only on the error path: a run allocates nothing when all is well.
  auto where = [&](std::size_t i) {
    return graph.where + ": input '" + graph.inputInfos[i].name + "'";
  };
  bool declared = true;  // every input has exactly the shape the model declares
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& slot = reference->slot(graph.inputs[i]);
    if (inputs[i]->dtype() != slot.dtype)
      throw Error(where(i),
                  "got " + std::string(dtypeName(inputs[i]->dtype())) + ", the model takes " +
                      std::string(dtypeName(slot.dtype)),
                  "convert the input data");
    declared = declared && inputs[i]->shape() == slot.shape;
  }
  if (declared && !(graph.windowable && batched))
    return {RunMode::AsDeclared, true, graph.exportBatch};
  std::int64_t windows = -1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Shape& expected = reference->slot(graph.inputs[i]).shape;
    const Shape& got = inputs[i]->shape();
    const bool windowed = graph.inputWindowed[i];
    const bool fits = windowed
                          ? got.size() == expected.size() && !expected.empty() &&
                                std::equal(expected.begin() + 1, expected.end(), got.begin() + 1)
                          : got == expected;
    if (!fits)
      throw Error(
          where(i),
          "got shape " + shapeToString(got) + ", the model takes " +
              (windowed ? "[N," + shapeToString(dropLeading(expected)).substr(1) + " (N windows)"
                        : shapeToString(expected)),
          "reshape the input to the model's layout");
    if (!windowed) continue;
    if (windows >= 0 && got[0] != windows)
      throw Error(where(i), "has " + std::to_string(got[0]) + " windows, other inputs have " +
                                std::to_string(windows));
    windows = got[0];
  }
  if (options.maxBatch > 0 && windows > options.maxBatch)
    throw Error(graph.where,
                std::to_string(windows) + " windows exceed the session's maximum of " +
                    std::to_string(options.maxBatch),
                "run in smaller batches or raise maxBatch");
  if (batched) return {declared ? RunMode::AsDeclared : RunMode::Batched, false, windows};
  // A symbolic batch is part of the declaration: the whole graph at that size, as ONNX says.
  if (graph.batchSymbolic) return {RunMode::AsDeclared, true, windows};
  return {RunMode::WindowByWindow, false, windows};
}

InferenceSession::Impl::Choice InferenceSession::Impl::choosePerRun(
    std::span<const Tensor* const> inputs) const {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& info = graph.inputInfos[i];
    const std::string where = graph.where + ": input '" + info.name + "'";
    if (inputs[i]->dtype() != info.dtype)
      throw Error(where,
                  "got " + std::string(dtypeName(inputs[i]->dtype())) + ", the model takes " +
                      std::string(dtypeName(info.dtype)),
                  "convert the input data");
    const Shape& got = inputs[i]->shape();
    bool fits = !info.shapeKnown || got.size() == info.shape.size();
    for (std::size_t d = 0; fits && info.shapeKnown && d < got.size(); ++d)
      fits = !info.shape[d].fixed() || info.shape[d].value == got[d];
    if (!fits)
      throw Error(where,
                  "got shape " + shapeToString(got) + ", the model takes " + info.shapeText(),
                  "reshape the input to the model's layout");
  }
  return {RunMode::AsDeclared, true, graph.exportBatch};
}

void InferenceSession::Impl::runWhole(std::span<const Tensor* const> inputs, RunResult& result,
                                      std::int64_t batch) {
  ExecutionPlan& plan = perRun ? planForRun(inputs) : planFor(workers[0], batch, /*whole=*/true);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    std::memcpy(plan.slot(graph.inputs[i]).data, inputs[i]->raw(), inputs[i]->byteSize());
  plan.execute(threads > 1 ? pool.get() : nullptr,
               options.activationHook ? &options.activationHook : nullptr, graph);
  auto copyOut = [&](std::vector<NamedTensor>& target, const std::vector<Collected>& what) {
    target.resize(what.size());
    for (std::size_t k = 0; k < what.size(); ++k) {
      const auto& slot = plan.slot(what[k].value);
      if (target[k].name != graph.values[what[k].value].name)
        target[k].name = graph.values[what[k].value].name;
      // (A default Tensor is a float32 scalar without storage: compare the counts too.)
      if (target[k].tensor.dtype() != slot.dtype || target[k].tensor.shape() != slot.shape ||
          target[k].tensor.elementCount() != elementCount(slot.shape))
        target[k].tensor.resize(slot.dtype, slot.shape);
      if (target[k].tensor.byteSize())
        std::memcpy(target[k].tensor.raw(), slot.data, target[k].tensor.byteSize());
    }
  };
  copyOut(result.outputs, outputs);
  copyOut(result.taps, taps);
}

void InferenceSession::Impl::runSplit(std::span<const Tensor* const> inputs, RunResult& result,
                                      std::int64_t windows) {
  auto prepare = [&](std::vector<NamedTensor>& target, const std::vector<Collected>& what) {
    target.resize(what.size());
    for (std::size_t i = 0; i < what.size(); ++i) {
      const auto& slot = reference->slot(what[i].value);
      if (target[i].name != graph.values[what[i].value].name)
        target[i].name = graph.values[what[i].value].name;
      const Tensor& current = target[i].tensor;
      const bool fits = current.dtype() == slot.dtype &&
                        current.rank() == what[i].perWindow.size() + 1 &&
                        current.dim(0) == windows &&
                        std::equal(what[i].perWindow.begin(), what[i].perWindow.end(),
                                   current.shape().begin() + 1);
      if (!fits) {  // allocate only when the batch size or layout changed
        Shape shape{windows};
        shape.insert(shape.end(), what[i].perWindow.begin(), what[i].perWindow.end());
        target[i].tensor.resize(slot.dtype, shape);
      }
    }
  };
  prepare(result.outputs, outputs);
  prepare(result.taps, taps);
  if (windows == 0) return;

  const std::int64_t chunk =
      batched ? std::max<std::int64_t>(
                    1, std::min<std::int64_t>(options.chunkWindows > 0 ? options.chunkWindows : 16,
                                              (windows + threads - 1) / threads))
              : 1;
  const std::int64_t tasks = (windows + chunk - 1) / chunk;
  const bool outerParallel = threads > 1 && tasks > 1;
  ThreadPool* kernelPool = (!outerParallel && threads > 1) ? pool.get() : nullptr;
  const ActivationHook* hook = options.activationHook ? &options.activationHook : nullptr;

  auto piece = [&](std::int64_t begin, std::int64_t count, int worker) {
    ExecutionPlan& plan = planFor(workers[worker], batched ? count : graph.exportBatch);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto* source = static_cast<const std::byte*>(inputs[i]->raw());
      if (graph.inputWindowed[i])  // this piece's windows; any other input whole
        std::memcpy(plan.slot(graph.inputs[i]).data, source + begin * inputRowBytes[i],
                    count * inputRowBytes[i]);
      else
        std::memcpy(plan.slot(graph.inputs[i]).data, source, inputs[i]->byteSize());
    }
    plan.execute(kernelPool, hook, graph);
    auto copyOut = [&](std::vector<NamedTensor>& target, const std::vector<Collected>& what) {
      for (std::size_t i = 0; i < what.size(); ++i)
        std::memcpy(static_cast<std::byte*>(target[i].tensor.raw()) + begin * what[i].rowBytes,
                    plan.slot(what[i].value).data, count * what[i].rowBytes);
    };
    copyOut(result.outputs, outputs);
    copyOut(result.taps, taps);
  };
  auto task = [&](std::int64_t t, int worker) {
    std::int64_t begin = t * chunk;
    std::int64_t count = std::min(chunk, windows - begin);
    // Callers with varying batch sizes (serve's batcher) would otherwise make a plan for every
    // size and thrash the plan cache: a batched plan runs power-of-two pieces only (13 = 8+4+1).
    while (count > 0) {
      const std::int64_t size = batched ? std::bit_floor(static_cast<std::uint64_t>(count)) : 1;
      piece(begin, size, worker);
      begin += size;
      count -= size;
    }
  };
  if (outerParallel)
    pool->parallelFor(tasks, task);
  else
    for (std::int64_t t = 0; t < tasks; ++t) task(t, 0);
}

}  // namespace imuwb::engine
