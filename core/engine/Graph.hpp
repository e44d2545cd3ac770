#pragma once
// The model as the planner sees it, built once per session: values (constants decoded), nodes in
// topological order with build-time constants folded away and Conv+BN(+activation) fused, and
// the weight hook already applied. Batch-size specific work happens in ExecutionPlan.
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/InferenceSession.hpp"
#include "engine/Kernel.hpp"
#include "engine/OnnxModel.hpp"

namespace imuwb::engine {

struct GraphValue {
  std::string name;
  std::shared_ptr<const Tensor> constant;  // set for initializers and folded values
  int graphInput = -1;                     // index into Graph::inputs, or -1
  bool keep = false;  // graph output, tap or keepUnfused output: never fused away
};

struct GraphNode {
  NodeSpec spec;
  std::vector<int> inputs;  // value ids, -1 for an omitted optional input
  std::vector<int> outputs;
  std::vector<std::string> covered;  // ONNX node names computed by this node (fusion)
  std::string fusion;
};

struct Graph {
  std::string where;  // the model path, for errors
  std::vector<GraphValue> values;
  std::unordered_map<std::string, int> ids;
  std::vector<GraphNode> nodes;
  std::vector<int> inputs;
  std::vector<int> outputs;
  std::vector<ValueInfo> inputInfos;
  std::vector<ValueInfo> outputInfos;
  std::vector<std::string> folded;
  std::vector<std::pair<std::string, std::string>> fusedAway;
  std::int64_t exportBatch = 1;
  // Running windows (a leading dimension N the model does not declare) is possible only when
  // the batch is symbolic or 1. Then inputWindowed[i] says input i carries the windows first
  // (its leading dim is symbolic, or 1); every other input is taken exactly as declared.
  bool batchSymbolic = false;
  bool windowable = false;
  std::vector<bool> inputWindowed;

  int idOf(const std::string& name) const {
    auto it = ids.find(name);
    return it == ids.end() ? -1 : it->second;
  }
};

// tapNames: tensors that must stay materialized (not fused away). Throws imuwb::Error.
Graph buildGraph(const OnnxModel& model, const SessionOptions& options,
                 const std::vector<std::string>& tapNames, const KernelRegistry& registry);

// Evaluates one node whose inputs are all known (constant folding). Returns its outputs.
std::vector<Tensor> evaluateNode(const NodeSpec& spec, const std::vector<const Tensor*>& inputs,
                                 std::size_t outputCount, const KernelRegistry& registry);

}  // namespace imuwb::engine
