#include "engine/InferenceSession.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/Error.hpp"
#include "engine/ExecutionPlan.hpp"
#include "engine/Graph.hpp"
#include "engine/ThreadPool.hpp"

namespace imuwb::engine {

namespace {
Shape dropLeading(const Shape& shape) {
  return shape.empty() ? shape : Shape(shape.begin() + 1, shape.end());
}
}  // namespace

struct InferenceSession::Impl {
  OnnxModel model;  // owns the protobuf the graph's nodes point into
  SessionOptions options;
  KernelRegistry registry;
  Graph graph;
  std::vector<int> tapIds;
  std::vector<bool> keepAlive;
  PlanInfo plan;
  std::unique_ptr<ExecutionPlan> reference;
  bool batched = true;
  int threads = 1;
  std::unique_ptr<ThreadPool> pool;
  // Per output/tap: the shape of one window's result, and whether the plan's value carries the
  // window dimension first (else the window dimension is prepended).
  struct Collected {
    int value = -1;
    Shape perWindow;
    bool leading = true;
    std::size_t rowBytes = 0;
  };
  std::vector<Collected> outputs, taps;
  std::vector<std::size_t> inputRowBytes;
  struct Worker {
    std::vector<std::unique_ptr<ExecutionPlan>> plans;
  };
  std::vector<Worker> workers;

  ExecutionPlan& planFor(Worker& worker, std::int64_t batch) {
    for (auto& plan : worker.plans)
      if (plan->batch() == batch) return *plan;
    // Room for every power-of-two piece of the default chunk (16, 8, 4, 2, 1) and one more.
    if (worker.plans.size() >= 6) worker.plans.erase(worker.plans.begin());
    worker.plans.push_back(std::make_unique<ExecutionPlan>(graph, registry, batch, keepAlive));
    auto& plan = *worker.plans.back();
    if (batch != graph.exportBatch && !plan.batchSound())
      throw Error(graph.where, "cannot run " + std::to_string(batch) +
                                   " windows in one pass: " + plan.batchNote());
    return plan;
  }

  Collected collect(int value) const {
    Collected c;
    c.value = value;
    const auto& slot = reference->slot(value);
    c.leading = slot.batchLeading && !slot.shape.empty() && slot.shape[0] == graph.exportBatch;
    c.perWindow = c.leading ? dropLeading(slot.shape) : slot.shape;
    c.rowBytes = static_cast<std::size_t>(elementCount(c.perWindow)) * dtypeSize(slot.dtype);
    return c;
  }

  // Every tap names a tensor the inputs compute (not a constant or an unknown name).
  void checkTapNames() const {
    for (const auto& name : options.taps) {
      const int id = graph.idOf(name);
      if (id < 0)
        throw Error(
            graph.where + ": tap '" + name + "'", "no tensor of that name in the model",
            "use an ONNX tensor name from the plan (imuwb run-model --taps all lists them)");
      if (graph.values[id].constant)
        throw Error(graph.where + ": tap '" + name + "'",
                    "is a constant (initializer or folded at plan time), not an activation",
                    "tap a tensor computed from the inputs");
    }
  }

  // The tapped values: all float activations (tapAll) or the named ones, as the reference plan
  // computes them.
  void chooseTaps() {
    const auto& reference = *this->reference;
    if (options.tapAll) {
      std::vector<bool> isOutput(graph.values.size(), false);
      for (int id : graph.outputs) isOutput[id] = true;
      for (const auto& node : graph.nodes)
        for (int out : node.outputs)
          if (out >= 0 && !isOutput[out] && reference.slot(out).runtime &&
              reference.slot(out).dtype == DType::Float32)
            tapIds.push_back(out);
    } else {
      for (const auto& name : options.taps) {
        const int id = graph.idOf(name);
        if (!reference.slot(id).runtime)
          throw Error(graph.where + ": tap '" + name + "'",
                      "is computed from shapes only (folded at plan time), not an activation",
                      "tap a tensor computed from the inputs");
        tapIds.push_back(id);
      }
    }
  }

  // Can the leading dimension be treated as the window (batch) dimension? Probe one batch size
  // beyond the export batch and compare every window-carrying value with the reference plan.
  void probeBatching() {
    const auto& reference = *this->reference;
    try {
      ExecutionPlan probe(graph, registry, graph.exportBatch + 1, keepAlive);
      if (!probe.batchSound()) {
        batched = false;
        plan.batchNote = probe.batchNote();
      }
      for (std::size_t id = 0; batched && id < graph.values.size(); ++id) {
        const auto& a = reference.slot(static_cast<int>(id));
        const auto& b = probe.slot(static_cast<int>(id));
        if (!a.runtime || !b.runtime) continue;
        if (b.batchLeading && dropLeading(a.shape) != dropLeading(b.shape)) {
          batched = false;
          plan.batchNote = "tensor '" + graph.values[id].name + "' changes shape beyond the " +
                           "window dimension when batched (" + shapeToString(a.shape) + " vs " +
                           shapeToString(b.shape) + ")";
        }
      }
      auto requireLeading = [&](int id, const char* what) {
        if (batched && !probe.slot(id).batchLeading && probe.slot(id).runtime) {
          batched = false;
          plan.batchNote = std::string(what) + " '" + graph.values[id].name +
                           "' does not carry the window dimension first";
        }
      };
      for (int id : graph.outputs) requireLeading(id, "output");
      for (int id : tapIds) requireLeading(id, "tap");
    } catch (const Error& error) {
      batched = false;
      plan.batchNote = error.problem();
    }
    if (!batched) {
      if (graph.exportBatch != 1)
        throw Error(graph.where,
                    "the model is fixed to batch " + std::to_string(graph.exportBatch) +
                        " and cannot be re-batched: " + plan.batchNote,
                    "export with batch 1 or a dynamic batch dimension");
      plan.batchNote = "running window by window: " + plan.batchNote;
    }
  }

  // The plan as users see it (node names, fusions) comes from the reference plan.
  void describePlan() {
    const auto& reference = *this->reference;
    for (const auto& step : reference.steps()) {
      const auto& node = graph.nodes[step.node];
      PlanStep info;
      info.name = node.spec.name;
      info.opType = node.spec.opType;
      for (int in : node.inputs)
        if (in >= 0 && reference.slot(in).runtime) info.inputs.push_back(graph.values[in].name);
      for (int out : node.outputs)
        if (out >= 0) info.outputs.push_back(graph.values[out].name);
      info.coveredNodes = node.covered;
      info.fusion = node.fusion;
      plan.steps.push_back(std::move(info));
    }
    plan.foldedNodes = graph.folded;
    for (const auto& name : reference.foldedNodes()) plan.foldedNodes.push_back(name);
    plan.aliasNodes = reference.aliasNodes();
    plan.fusedAwayTensors = graph.fusedAway;
  }
};

InferenceSession::InferenceSession(const OnnxModel& model, SessionOptions options)
    : impl_(std::make_unique<Impl>()) {
  auto& s = *impl_;
  s.model = model;
  s.options = std::move(options);
  s.registry = makeBuiltinKernelRegistry();
  s.graph = buildGraph(s.model, s.options, s.options.taps, s.registry);
  auto& graph = s.graph;

  s.checkTapNames();
  s.keepAlive.assign(graph.values.size(), false);
  for (int id : graph.outputs) s.keepAlive[id] = true;
  if (s.options.tapAll)
    s.keepAlive.assign(graph.values.size(), true);
  else
    for (const auto& name : s.options.taps) s.keepAlive[graph.idOf(name)] = true;

  s.reference = std::make_unique<ExecutionPlan>(graph, s.registry, graph.exportBatch, s.keepAlive);
  const auto& reference = *s.reference;
  s.chooseTaps();
  s.probeBatching();
  s.plan.batched = s.batched;

  for (int id : graph.outputs) s.outputs.push_back(s.collect(id));
  for (int id : s.tapIds) s.taps.push_back(s.collect(id));
  for (int id : graph.inputs) {
    const auto& slot = reference.slot(id);
    s.inputRowBytes.push_back(static_cast<std::size_t>(elementCount(dropLeading(slot.shape))) *
                              dtypeSize(slot.dtype));
  }

  s.describePlan();

  s.threads = s.options.threads > 0
                  ? s.options.threads
                  : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  s.pool = std::make_unique<ThreadPool>(s.threads);
  s.workers.resize(s.threads);
}

InferenceSession::~InferenceSession() = default;
InferenceSession::InferenceSession(InferenceSession&&) noexcept = default;
InferenceSession& InferenceSession::operator=(InferenceSession&&) noexcept = default;

RunResult InferenceSession::run(const std::vector<NamedTensor>& inputs) {
  const auto& graph = impl_->graph;
  std::vector<const Tensor*> ordered(graph.inputs.size(), nullptr);
  for (const auto& input : inputs) {
    auto it = std::find_if(graph.inputInfos.begin(), graph.inputInfos.end(),
                           [&](const ValueInfo& info) { return info.name == input.name; });
    if (it == graph.inputInfos.end()) {
      std::string expected;
      for (const auto& info : graph.inputInfos)
        expected += (expected.empty() ? "" : ", ") + info.name;
      throw Error(graph.where, "the model has no input named '" + input.name + "'",
                  "its inputs are: " + expected);
    }
    ordered[it - graph.inputInfos.begin()] = &input.tensor;
  }
  for (std::size_t i = 0; i < ordered.size(); ++i)
    if (!ordered[i])
      throw Error(graph.where, "input '" + graph.inputInfos[i].name + "' was not given",
                  "pass a tensor for every model input");
  RunResult result;
  runInto(ordered, result);
  return result;
}

void InferenceSession::runInto(std::span<const Tensor* const> inputs, RunResult& result) {
  auto& s = *impl_;
  const auto& graph = s.graph;
  const auto start = std::chrono::steady_clock::now();
  if (inputs.size() != graph.inputs.size())
    throw Error(graph.where, "expected " + std::to_string(graph.inputs.size()) + " inputs, got " +
                                 std::to_string(inputs.size()));
  std::int64_t windows = -1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& tensor = *inputs[i];
    const auto& slot = s.reference->slot(graph.inputs[i]);
    // Built only on the error path: a run allocates nothing when all is well.
    auto where = [&] { return graph.where + ": input '" + graph.inputInfos[i].name + "'"; };
    if (tensor.dtype() != slot.dtype)
      throw Error(where(),
                  "got " + std::string(dtypeName(tensor.dtype())) + ", the model takes " +
                      std::string(dtypeName(slot.dtype)),
                  "convert the input data");
    const Shape& expected = slot.shape;
    if (tensor.rank() != expected.size() || expected.empty() ||
        !std::equal(expected.begin() + 1, expected.end(), tensor.shape().begin() + 1))
      throw Error(where(),
                  "got shape " + shapeToString(tensor.shape()) + ", the model takes [N," +
                      shapeToString(dropLeading(expected)).substr(1) + " (N windows)",
                  "reshape the input to the model's layout");
    if (windows >= 0 && tensor.dim(0) != windows)
      throw Error(where(), "has " + std::to_string(tensor.dim(0)) + " windows, other inputs have " +
                               std::to_string(windows));
    windows = tensor.dim(0);
  }
  if (s.options.maxBatch > 0 && windows > s.options.maxBatch)
    throw Error(graph.where,
                std::to_string(windows) + " windows exceed the session's maximum of " +
                    std::to_string(s.options.maxBatch),
                "run in smaller batches or raise maxBatch");

  auto prepare = [&](std::vector<NamedTensor>& target, const std::vector<Impl::Collected>& what) {
    target.resize(what.size());
    for (std::size_t i = 0; i < what.size(); ++i) {
      const auto& slot = s.reference->slot(what[i].value);
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
  prepare(result.outputs, s.outputs);
  prepare(result.taps, s.taps);
  if (windows == 0) return;

  const std::int64_t chunk =
      s.batched
          ? std::max<std::int64_t>(
                1, std::min<std::int64_t>(s.options.chunkWindows > 0 ? s.options.chunkWindows : 16,
                                          (windows + s.threads - 1) / s.threads))
          : 1;
  const std::int64_t tasks = (windows + chunk - 1) / chunk;
  const bool outerParallel = s.threads > 1 && tasks > 1;
  ThreadPool* kernelPool = (!outerParallel && s.threads > 1) ? s.pool.get() : nullptr;
  const ActivationHook* hook = s.options.activationHook ? &s.options.activationHook : nullptr;

  auto piece = [&](std::int64_t begin, std::int64_t count, int worker) {
    ExecutionPlan& plan = s.planFor(s.workers[worker], s.batched ? count : graph.exportBatch);
    for (std::size_t i = 0; i < inputs.size(); ++i)
      std::memcpy(plan.slot(graph.inputs[i]).data,
                  static_cast<const std::byte*>(inputs[i]->raw()) + begin * s.inputRowBytes[i],
                  count * s.inputRowBytes[i]);
    plan.execute(kernelPool, hook, graph);
    auto copyOut = [&](std::vector<NamedTensor>& target, const std::vector<Impl::Collected>& what) {
      for (std::size_t i = 0; i < what.size(); ++i)
        std::memcpy(static_cast<std::byte*>(target[i].tensor.raw()) + begin * what[i].rowBytes,
                    plan.slot(what[i].value).data, count * what[i].rowBytes);
    };
    copyOut(result.outputs, s.outputs);
    copyOut(result.taps, s.taps);
  };
  auto task = [&](std::int64_t t, int worker) {
    std::int64_t begin = t * chunk;
    std::int64_t count = std::min(chunk, windows - begin);
    // Callers with varying batch sizes (serve's batcher) would otherwise make a plan for every
    // size and thrash the plan cache: a batched plan runs power-of-two pieces only (13 = 8+4+1).
    while (count > 0) {
      const std::int64_t size = s.batched ? std::bit_floor(static_cast<std::uint64_t>(count)) : 1;
      piece(begin, size, worker);
      begin += size;
      count -= size;
    }
  };
  if (outerParallel)
    s.pool->parallelFor(tasks, task);
  else
    for (std::int64_t t = 0; t < tasks; ++t) task(t, 0);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const std::vector<ValueInfo>& InferenceSession::inputInfos() const {
  return impl_->graph.inputInfos;
}
const std::vector<ValueInfo>& InferenceSession::outputInfos() const {
  return impl_->graph.outputInfos;
}
std::vector<std::string> InferenceSession::inputNames() const {
  std::vector<std::string> names;
  for (const auto& info : impl_->graph.inputInfos) names.push_back(info.name);
  return names;
}
std::vector<std::string> InferenceSession::outputNames() const {
  std::vector<std::string> names;
  for (const auto& info : impl_->graph.outputInfos) names.push_back(info.name);
  return names;
}
std::vector<std::string> InferenceSession::tapNames() const {
  std::vector<std::string> names;
  for (int id : impl_->tapIds) names.push_back(impl_->graph.values[id].name);
  return names;
}
const PlanInfo& InferenceSession::plan() const {
  return impl_->plan;
}
int InferenceSession::threads() const {
  return impl_->threads;
}
int InferenceSession::valueId(std::string_view tensorName) const {
  return impl_->graph.idOf(std::string(tensorName));
}
std::size_t InferenceSession::valueCount() const {
  return impl_->graph.values.size();
}
const std::string& InferenceSession::valueName(int valueId) const {
  return impl_->graph.values.at(valueId).name;
}
std::vector<std::string> InferenceSession::supportedOps() {
  return makeBuiltinKernelRegistry().opTypes();
}

}  // namespace imuwb::engine
