#pragma once
// InferenceSession's insides, shared by InferenceSession.cpp (planning) and SessionRun.cpp
// (running). Internal to the engine.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/Error.hpp"
#include "engine/ExecutionPlan.hpp"
#include "engine/Graph.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/ThreadPool.hpp"

namespace imuwb::engine {

inline Shape dropLeading(const Shape& shape) {
  return shape.empty() ? shape : Shape(shape.begin() + 1, shape.end());
}

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
  // Planned for each run's inputs (a kernel needs a graph input's values at plan time): no
  // reference plan; the last run's plan is kept while the inputs fit it.
  bool perRun = false;
  std::unique_ptr<ExecutionPlan> perRunPlan;
  void planPerRun(const NeedsRunValues& needs) {
    if (options.tapAll || !options.taps.empty())
      throw Error(graph.where, "taps need a model planned once, but " + needs.problem(),
                  "fold the input into a constant, or run without taps");
    perRun = true;
    batched = false;
    plan.batched = false;
    plan.batchNote = "inputs run as declared, planned for each run's values: " + needs.problem();
    for (int id : graph.outputs) outputs.push_back({id, {}, false, 0});
  }
  ExecutionPlan& planForRun(std::span<const Tensor* const> inputs) {
    if (!perRunPlan || !perRunPlan->fits(inputs)) {
      perRunPlan.reset();  // one plan at a time
      perRunPlan =
          std::make_unique<ExecutionPlan>(graph, registry, graph.exportBatch, keepAlive, inputs);
    }
    return *perRunPlan;
  }

  struct Worker {
    std::vector<std::unique_ptr<ExecutionPlan>> plans;
  };
  std::vector<Worker> workers;

  // What run() does with inputs of these shapes (SessionRun.cpp): the mode, and either the
  // batch of the one pass (whole) or the number of windows to split.
  struct Choice {
    RunMode mode = RunMode::AsDeclared;
    bool whole = true;
    std::int64_t batch = 1;
  };
  Choice choose(std::span<const Tensor* const> inputs) const;  // throws imuwb::Error
  // choose() for a model planned per run: the inputs must match the declaration.
  Choice choosePerRun(std::span<const Tensor* const> inputs) const;
  void runWhole(std::span<const Tensor* const> inputs, RunResult& result, std::int64_t batch);
  void runSplit(std::span<const Tensor* const> inputs, RunResult& result, std::int64_t windows);

  // whole: the plan runs all inputs in one pass (as declared), not a split of the windows.
  ExecutionPlan& planFor(Worker& worker, std::int64_t batch, bool whole = false) {
    for (auto& plan : worker.plans)
      if (plan->batch() == batch) return *plan;
    // Room for every power-of-two piece of the default chunk (16, 8, 4, 2, 1) and one more.
    if (worker.plans.size() >= 6) worker.plans.erase(worker.plans.begin());
    worker.plans.push_back(std::make_unique<ExecutionPlan>(graph, registry, batch, keepAlive));
    auto& plan = *worker.plans.back();
    if (!whole && batch != graph.exportBatch && !plan.batchSound())
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
    if (!graph.windowable) {
      batched = false;
      plan.batchNote = "inputs run as declared (the model's batch is fixed to " +
                       std::to_string(graph.exportBatch) + ")";
      return;
    }
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
    if (!batched)
      plan.batchNote = (graph.batchSymbolic ? "running all windows in one pass: "
                                            : "running window by window: ") +
                       plan.batchNote;
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

}  // namespace imuwb::engine
