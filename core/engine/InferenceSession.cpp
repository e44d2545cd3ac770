#include "engine/InferenceSession.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/Error.hpp"
#include "engine/SessionImpl.hpp"

namespace imuwb::engine {

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

  try {
    s.reference =
        std::make_unique<ExecutionPlan>(graph, s.registry, graph.exportBatch, s.keepAlive);
  } catch (const NeedsRunValues& needs) {
    s.planPerRun(needs);
  }
  if (s.reference) {
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
  }

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

std::string_view runModeName(RunMode mode) {
  switch (mode) {
    case RunMode::AsDeclared:
      return "as declared";
    case RunMode::Batched:
      return "batched";
    case RunMode::WindowByWindow:
      return "window by window";
  }
  return "?";
}

RunMode InferenceSession::runModeFor(std::span<const Tensor* const> inputs) const {
  return impl_->choose(inputs).mode;
}

const std::vector<bool>& InferenceSession::windowedInputs() const {
  return impl_->graph.inputWindowed;
}

void InferenceSession::runInto(std::span<const Tensor* const> inputs, RunResult& result) {
  auto& s = *impl_;
  const auto start = std::chrono::steady_clock::now();
  const Impl::Choice choice = s.choose(inputs);
  result.mode = choice.mode;
  if (choice.whole)
    s.runWhole(inputs, result, choice.batch);
  else
    s.runSplit(inputs, result, choice.batch);
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
