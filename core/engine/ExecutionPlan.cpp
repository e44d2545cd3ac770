#include "engine/ExecutionPlan.hpp"

#include <algorithm>
#include <climits>
#include <cstring>

#include "common/Error.hpp"

namespace imuwb::engine {

ExecutionPlan::ExecutionPlan(const Graph& graph, const KernelRegistry& registry, std::int64_t batch,
                             const std::vector<bool>& keepAlive,
                             std::span<const Tensor* const> given)
    : batch_(batch), exportBatch_(graph.exportBatch), slots_(graph.values.size()) {
  for (std::size_t id = 0; id < graph.values.size(); ++id) {
    const auto& value = graph.values[id];
    if (value.constant) {
      slots_[id].known = true;
      slots_[id].dtype = value.constant->dtype();
      slots_[id].shape = value.constant->shape();
      slots_[id].constant = value.constant;
    }
  }
  setInputSlots(graph, given);
  given_ = given;
  for (std::size_t n = 0; n < graph.nodes.size(); ++n)
    prepareNode(graph, registry, static_cast<int>(n));
  allocateBuffers(graph, keepAlive);
  given_ = {};  // the caller's tensors are not kept
}

void ExecutionPlan::setInputSlots(const Graph& graph, std::span<const Tensor* const> given) {
  valuesRead_.assign(graph.inputs.size(), nullptr);
  for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
    const auto& info = graph.inputInfos[i];
    auto& slot = slots_[graph.inputs[i]];
    slot.known = true;
    slot.runtime = true;
    slot.dtype = info.dtype;
    if (!given.empty()) {  // exactly as given (the session checked them against the model)
      slot.shape = given[i]->shape();
      givenShapes_.push_back(slot.shape);
      continue;
    }
    if (!info.shapeKnown)
      throw Error(graph.where + ": input '" + info.name + "'",
                  "has no declared shape (rank unknown)",
                  "export with a fixed input shape, e.g. [1,100,9]");
    // A windowed input has `batch` windows first; any other is taken as declared.
    const bool windowed = graph.inputWindowed[i];
    Shape shape;
    for (std::size_t d = 0; d < info.shape.size(); ++d) {
      if (d == 0 && windowed) {
        shape.push_back(batch_);
        continue;
      }
      if (!info.shape[d].fixed())
        throw Error(graph.where + ": input '" + info.name + "'",
                    "dimension " + std::to_string(d) + " ('" + info.shape[d].symbol +
                        "') is dynamic and cannot be resolved; only the leading (window) "
                        "dimension may be dynamic",
                    "export with fixed sizes for every dimension but the first");
      shape.push_back(info.shape[d].value);
    }
    checkedElementCount(shape, graph.where + ": input '" + info.name + "'",
                        "the input for " + std::to_string(batch_) + " windows");
    slot.batchLeading = windowed;
    slot.shape = shape;
  }
}

bool ExecutionPlan::fits(std::span<const Tensor* const> inputs) const {
  if (inputs.size() != givenShapes_.size()) return false;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i]->shape() != givenShapes_[i]) return false;
    const auto& read = valuesRead_[i];
    if (read && (read->dtype() != inputs[i]->dtype() ||
                 std::memcmp(read->raw(), inputs[i]->raw(), read->byteSize()) != 0))
      return false;
  }
  return true;
}

void ExecutionPlan::markUnsound(const std::string& why) {
  if (batchSound_) batchNote_ = why;
  batchSound_ = false;
}

void ExecutionPlan::prepareNode(const Graph& graph, const KernelRegistry& registry, int nodeIndex) {
  const auto& node = graph.nodes[nodeIndex];
  std::vector<TensorMeta> metas;
  std::vector<bool> batchLeading;
  bool allConstant = true, anyBatch = false;
  for (int in : node.inputs) {
    TensorMeta meta;
    if (in < 0) {
      meta.present = false;
      metas.push_back(meta);
      batchLeading.push_back(false);
      continue;
    }
    const auto& slot = slots_[in];
    meta.dtype = slot.dtype;
    meta.shape = slot.shape;
    meta.constant = slot.constant.get();
    const int graphInput = graph.values[in].graphInput;
    meta.graphInput = graphInput >= 0;
    if (graphInput >= 0 && !given_.empty()) meta.runValue = given_[graphInput];
    if (!slot.constant) allConstant = false;
    anyBatch = anyBatch || slot.batchLeading;
    batchLeading.push_back(slot.batchLeading);
    metas.push_back(std::move(meta));
  }
  PrepareContext ctx(node.spec, std::move(metas), node.outputs.size());
  ctx.batch = batch_;
  ctx.exportBatch = exportBatch_;
  ctx.rewriteBakedBatch = !graph.batchSymbolic;
  ctx.inputBatchLeading = batchLeading;
  ctx.scratch = scratch_;
  const KernelFactory* factory = registry.find(node.spec.opType, node.spec.opset);
  auto kernel = (*factory)(ctx);
  for (std::size_t i : ctx.runValuesRead) {
    const int graphInput = graph.values[node.inputs[i]].graphInput;
    if (!valuesRead_[graphInput])
      valuesRead_[graphInput] = std::make_shared<Tensor>(*given_[graphInput]);
  }

  if (!ctx.constantOutputs.empty() || allConstant) {
    // Known at plan time for this batch size (Shape and what is computed from it).
    std::vector<Tensor> values;
    if (!ctx.constantOutputs.empty()) {
      values = std::move(ctx.constantOutputs);
    } else {
      std::vector<const Tensor*> inputs;
      for (int in : node.inputs) inputs.push_back(in < 0 ? nullptr : slots_[in].constant.get());
      values = evaluateNode(node.spec, inputs, node.outputs.size(), registry);
    }
    for (std::size_t i = 0; i < node.outputs.size(); ++i) {
      if (node.outputs[i] < 0) continue;
      auto& slot = slots_[node.outputs[i]];
      slot.known = true;
      slot.dtype = values[i].dtype();
      slot.shape = values[i].shape();
      slot.constant = std::make_shared<Tensor>(std::move(values[i]));
    }
    folded_.push_back(node.spec.name);
    return;
  }

  if (anyBatch && ctx.mixesBatch)
    markUnsound("node '" + node.spec.name + "' (" + node.spec.opType + ") " +
                (ctx.mixesBatchWhy.empty() ? "combines values across the leading dimension"
                                           : ctx.mixesBatchWhy));
  const bool outputsBatch = anyBatch && !ctx.mixesBatch;
  for (std::size_t i = 0; i < node.outputs.size(); ++i) {
    if (node.outputs[i] < 0) continue;
    auto& slot = slots_[node.outputs[i]];
    slot.known = true;
    slot.runtime = true;
    slot.dtype = ctx.outputs[i].dtype;
    slot.shape = ctx.outputs[i].shape;
    slot.batchLeading = outputsBatch;
    if (outputsBatch && batch_ != exportBatch_ && (slot.shape.empty() || slot.shape[0] != batch_))
      markUnsound("node '" + node.spec.name + "' (" + node.spec.opType +
                  ") does not keep the window dimension first (output " +
                  shapeToString(slot.shape) + " for " + std::to_string(batch_) + " windows)");
  }
  if (ctx.aliasOutput0) {
    int root = node.inputs[0];
    while (slots_[root].aliasOf >= 0) root = slots_[root].aliasOf;
    slots_[node.outputs[0]].aliasOf = root;
    if (!slots_[root].runtime) throw Error(node.spec.where, "internal: alias of a constant");
    aliasNodes_.push_back(node.spec.name);
    return;
  }
  Step step;
  step.node = nodeIndex;
  step.kernel = std::move(kernel);
  step.outputIds = node.outputs;
  steps_.push_back(std::move(step));
}

void ExecutionPlan::allocateBuffers(const Graph& graph, const std::vector<bool>& keepAlive) {
  const int stepCount = static_cast<int>(steps_.size());
  std::vector<int> firstDef(slots_.size(), INT_MAX), lastUse(slots_.size(), -1);
  auto rootOf = [&](int id) {
    while (slots_[id].aliasOf >= 0) id = slots_[id].aliasOf;
    return id;
  };
  for (int id : graph.inputs) firstDef[id] = -1;
  for (int s = 0; s < stepCount; ++s) {
    const auto& node = graph.nodes[steps_[s].node];
    for (int out : node.outputs)
      if (out >= 0) firstDef[rootOf(out)] = std::min(firstDef[rootOf(out)], s);
    for (int in : node.inputs)
      if (in >= 0 && slots_[in].runtime) lastUse[rootOf(in)] = std::max(lastUse[rootOf(in)], s);
  }
  for (std::size_t id = 0; id < slots_.size(); ++id)
    if (slots_[id].runtime && (keepAlive[id] || graph.values[id].graphInput >= 0))
      lastUse[rootOf(static_cast<int>(id))] = INT_MAX;

  // Greedy: walk steps in order, reuse the smallest free buffer that fits.
  struct Buffer {
    std::size_t bytes;
    int freeAfter;  // step index after which it is free again
  };
  std::vector<Buffer> buffers;
  std::vector<int> bufferOf(slots_.size(), -1);
  std::vector<int> order;
  for (std::size_t id = 0; id < slots_.size(); ++id)
    if (slots_[id].runtime && slots_[id].aliasOf < 0) order.push_back(static_cast<int>(id));
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return firstDef[a] < firstDef[b]; });
  for (int id : order) {
    const std::size_t bytes =
        std::max<std::size_t>(1, elementCount(slots_[id].shape) * dtypeSize(slots_[id].dtype));
    const int def = firstDef[id];
    const int end = lastUse[id] < 0 ? def : lastUse[id];
    int best = -1;
    for (std::size_t b = 0; b < buffers.size(); ++b)
      if (buffers[b].freeAfter < def && buffers[b].bytes >= bytes &&
          (best < 0 || buffers[b].bytes < buffers[best].bytes))
        best = static_cast<int>(b);
    if (best < 0) {
      buffers.push_back({bytes, end});
      best = static_cast<int>(buffers.size()) - 1;
    } else {
      buffers[best].freeAfter = end;
    }
    bufferOf[id] = best;
  }
  arena_.reserve(buffers.size());
  for (const auto& buffer : buffers)
    arena_.emplace_back(DType::Uint8, Shape{static_cast<std::int64_t>(buffer.bytes)});
  for (std::size_t id = 0; id < slots_.size(); ++id) {
    auto& slot = slots_[id];
    if (slot.constant)
      slot.data = const_cast<void*>(slot.constant->raw());
    else if (slot.runtime)
      slot.data = arena_[bufferOf[rootOf(static_cast<int>(id))]].raw();
  }
  for (auto& step : steps_) {
    const auto& node = graph.nodes[step.node];
    for (int in : node.inputs) {
      TensorView view;
      if (in >= 0) {
        const auto& slot = slots_[in];
        view = {slot.dtype, slot.shape, slot.data, elementCount(slot.shape)};
      }
      step.inputs.push_back(view);
    }
    for (int out : node.outputs) {
      if (out < 0) {
        step.outputs.emplace_back();
        continue;
      }
      const auto& slot = slots_[out];
      step.outputs.push_back({slot.dtype, slot.shape, slot.data, elementCount(slot.shape)});
    }
  }
}

void ExecutionPlan::execute(ThreadPool* pool, const ActivationHook* hook, const Graph& graph) {
  if (hook) {
    for (int id : graph.inputs) {
      auto& slot = slots_[id];
      if (slot.dtype != DType::Float32) continue;
      (*hook)(
          {graph.values[id].name,
           id,
           slot.shape,
           {static_cast<float*>(slot.data), static_cast<std::size_t>(elementCount(slot.shape))}});
    }
  }
  for (auto& step : steps_) {
    step.kernel->run(step.inputs.data(), step.outputs.data(), pool);
    if (hook) {
      for (std::size_t i = 0; i < step.outputs.size(); ++i) {
        auto& view = step.outputs[i];
        if (view.dtype != DType::Float32 || !view.data) continue;
        (*hook)({graph.values[step.outputIds[i]].name,
                 step.outputIds[i],
                 view.shape,
                 {view.as<float>(), static_cast<std::size_t>(view.count)}});
      }
    }
  }
}

}  // namespace imuwb::engine
