#include "engine/Graph.hpp"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <queue>
#include <set>

#include "common/Error.hpp"

namespace imuwb::engine {

std::vector<Tensor> evaluateNode(const NodeSpec& spec, const std::vector<const Tensor*>& inputs,
                                 std::size_t outputCount, const KernelRegistry& registry) {
  const KernelFactory* factory = registry.find(spec.opType, spec.opset);
  if (!factory) throw Error(spec.where, "op '" + spec.opType + "' is not supported");
  std::vector<TensorMeta> metas;
  for (const Tensor* input : inputs) {
    TensorMeta meta;
    meta.present = input != nullptr;
    if (input) {
      meta.dtype = input->dtype();
      meta.shape = input->shape();
      meta.constant = input;
    }
    metas.push_back(std::move(meta));
  }
  PrepareContext ctx(spec, std::move(metas), outputCount);
  ctx.inputBatchLeading.assign(inputs.size(), false);
  auto kernel = (*factory)(ctx);
  if (!ctx.constantOutputs.empty()) return std::move(ctx.constantOutputs);
  std::vector<Tensor> outputs(outputCount);
  if (ctx.aliasOutput0) {
    outputs[0] = *inputs[0];
    outputs[0].reshape(ctx.outputs[0].shape);
    return outputs;
  }
  std::vector<TensorView> in(inputs.size()), out(outputCount);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i])
      in[i] = {inputs[i]->dtype(), inputs[i]->shape(), const_cast<void*>(inputs[i]->raw()),
               inputs[i]->elementCount()};
  for (std::size_t i = 0; i < outputCount; ++i) {
    outputs[i] = Tensor(ctx.outputs[i].dtype, ctx.outputs[i].shape);
    out[i] = {outputs[i].dtype(), outputs[i].shape(), outputs[i].raw(), outputs[i].elementCount()};
  }
  if (kernel) kernel->run(in.data(), out.data(), nullptr);
  return outputs;
}

namespace {

// Folds BatchNormalization (scale, bias, mean, var, eps) into the conv weight and bias.
void foldBatchNorm(Tensor& weight, Tensor& bias, const Tensor& scale, const Tensor& shift,
                   const Tensor& mean, const Tensor& variance, float epsilon) {
  const std::int64_t channels = weight.dim(0);
  const std::int64_t perChannel = weight.elementCount() / channels;
  float* w = weight.data<float>();
  float* b = bias.data<float>();
  for (std::int64_t c = 0; c < channels; ++c) {
    const double s =
        double(scale.data<float>()[c]) / std::sqrt(double(variance.data<float>()[c]) + epsilon);
    for (std::int64_t k = 0; k < perChannel; ++k)
      w[c * perChannel + k] = static_cast<float>(w[c * perChannel + k] * s);
    b[c] = static_cast<float>((double(b[c]) - mean.data<float>()[c]) * s + shift.data<float>()[c]);
  }
}

bool isFloatVector(const std::shared_ptr<const Tensor>& tensor, std::int64_t length) {
  return tensor && tensor->dtype() == DType::Float32 && tensor->elementCount() == length;
}

class GraphBuilder {
 public:
  GraphBuilder(const OnnxModel& model, const SessionOptions& options,
               const std::vector<std::string>& tapNames, const KernelRegistry& registry)
      : model_(model), options_(options), tapNames_(tapNames), registry_(registry) {}

  Graph build() {
    graph_.where = model_.path().string();
    addValues();
    addNodes();
    sortTopologically();
    foldConstants();
    markKeep();
    if (options_.enableFusion && !options_.tapAll) fuseConvolutions();
    removeDeadNodes();
    if (options_.weightHook) applyWeightHook();
    return std::move(graph_);
  }

 private:
  int addValue(const std::string& name) {
    auto [it, inserted] = graph_.ids.emplace(name, static_cast<int>(graph_.values.size()));
    if (inserted) graph_.values.push_back({name});
    return it->second;
  }

  void addValues() {
    const auto& proto = model_.proto().graph();
    const auto modelDir = model_.path().parent_path();
    for (const auto& init : proto.initializer()) {
      const int id = addValue(init.name());
      graph_.values[id].constant = std::make_shared<Tensor>(
          decodeTensorProto(init, modelDir, graph_.where + ": initializer '" + init.name() + "'"));
    }
    for (const auto& input : model_.inputs()) {
      const int id = addValue(input.name);
      graph_.values[id].graphInput = static_cast<int>(graph_.inputs.size());
      graph_.inputs.push_back(id);
      graph_.inputInfos.push_back(input);
    }
    const auto leading = [](const ValueInfo& info) {
      return info.shapeKnown && !info.shape.empty() ? info.shape[0] : Dim{};
    };
    if (!model_.inputs().empty() && leading(model_.inputs()[0]).fixed())
      graph_.exportBatch = leading(model_.inputs()[0]).value;
    graph_.batchSymbolic = !model_.inputs().empty() && !leading(model_.inputs()[0]).fixed();
    if (graph_.exportBatch < 1) graph_.exportBatch = 1;
    for (const auto& input : model_.inputs()) {
      const bool windowed = input.shapeKnown && !input.shape.empty() &&
                            (!leading(input).fixed() || leading(input).value == 1);
      graph_.inputWindowed.push_back(graph_.exportBatch == 1 && windowed);
      graph_.windowable = graph_.windowable || graph_.inputWindowed.back();
    }
  }

  void addNodes() {
    const auto& proto = model_.proto().graph();
    std::set<std::string> produced;
    for (int index = 0; index < proto.node_size(); ++index) {
      const auto& node = proto.node(index);
      const auto& info = model_.nodes()[index];
      GraphNode graphNode;
      graphNode.spec.name = info.name;
      graphNode.spec.opType = node.op_type();
      graphNode.spec.opset = model_.opset();
      graphNode.spec.proto = &node;
      graphNode.spec.attributes = NodeAttributes(&node);
      graphNode.spec.where = graph_.where + ": node '" + info.name + "' (" + node.op_type() + ")";
      if (!node.domain().empty() && node.domain() != "ai.onnx")
        throw Error(graphNode.spec.where,
                    "op domain '" + node.domain() + "' is not supported (custom or contrib op)",
                    "the engine runs standard ONNX ops only: " + registry_.opTypesText());
      if (!registry_.knows(node.op_type()))
        throw Error(graphNode.spec.where, "op '" + node.op_type() + "' is not supported",
                    "supported ops: " + registry_.opTypesText());
      if (!registry_.find(node.op_type(), graphNode.spec.opset))
        throw Error(graphNode.spec.where,
                    "op '" + node.op_type() + "' is not supported at opset " +
                        std::to_string(graphNode.spec.opset),
                    "re-export the model with another opset");
      for (const auto& input : node.input())
        graphNode.inputs.push_back(input.empty() ? -1 : addValue(input));
      for (const auto& output : node.output()) {
        if (output.empty()) {
          graphNode.outputs.push_back(-1);
          continue;
        }
        if (!produced.insert(output).second)
          throw Error(graphNode.spec.where, "tensor '" + output + "' is produced twice",
                      "the graph is not valid SSA; re-export it");
        graphNode.outputs.push_back(addValue(output));
      }
      while (!graphNode.outputs.empty() && graphNode.outputs.back() < 0)
        graphNode.outputs.pop_back();
      graphNode.covered = {info.name};
      graph_.nodes.push_back(std::move(graphNode));
    }
    for (const auto& output : model_.outputs()) {
      const int id = graph_.idOf(output.name);
      if (id < 0) throw Error(graph_.where, "graph output '" + output.name + "' is never produced");
      graph_.outputs.push_back(id);
      graph_.outputInfos.push_back(output);
    }
  }

  void sortTopologically() {
    std::vector<int> producer(graph_.values.size(), -1);
    for (std::size_t n = 0; n < graph_.nodes.size(); ++n)
      for (int out : graph_.nodes[n].outputs)
        if (out >= 0) producer[out] = static_cast<int>(n);
    for (auto& node : graph_.nodes)
      for (int in : node.inputs)
        if (in >= 0 && producer[in] < 0 && !graph_.values[in].constant &&
            graph_.values[in].graphInput < 0)
          throw Error(node.spec.where, "input '" + graph_.values[in].name + "' is never produced",
                      "the graph is incomplete; re-export it");
    std::vector<int> pending(graph_.nodes.size(), 0);
    std::vector<std::vector<int>> consumers(graph_.nodes.size());
    for (std::size_t n = 0; n < graph_.nodes.size(); ++n)
      for (int in : graph_.nodes[n].inputs)
        if (in >= 0 && producer[in] >= 0) {
          ++pending[n];
          consumers[producer[in]].push_back(static_cast<int>(n));
        }
    std::queue<int> ready;
    for (std::size_t n = 0; n < graph_.nodes.size(); ++n)
      if (pending[n] == 0) ready.push(static_cast<int>(n));
    std::vector<GraphNode> ordered;
    std::vector<bool> done(graph_.nodes.size(), false);
    while (!ready.empty()) {
      const int n = ready.front();
      ready.pop();
      done[n] = true;
      for (int c : consumers[n])
        if (--pending[c] == 0) ready.push(c);
      ordered.push_back(std::move(graph_.nodes[n]));
    }
    if (ordered.size() != graph_.nodes.size()) {
      for (std::size_t n = 0; n < done.size(); ++n)
        if (!done[n])
          throw Error(graph_.nodes[n].spec.where, "is part of a cycle",
                      "ONNX graphs must be acyclic; re-export the model");
    }
    graph_.nodes = std::move(ordered);
  }

  void foldConstants() {
    std::vector<GraphNode> remaining;
    for (auto& node : graph_.nodes) {
      bool allConstant = true;
      std::vector<const Tensor*> inputs;
      for (int in : node.inputs) {
        if (in < 0) {
          inputs.push_back(nullptr);
          continue;
        }
        if (!graph_.values[in].constant) allConstant = false;
        inputs.push_back(graph_.values[in].constant.get());
      }
      // Nodes with no inputs (Constant) fold too; Shape needs a runtime input so it never does.
      if (!allConstant) {
        remaining.push_back(std::move(node));
        continue;
      }
      auto outputs = evaluateNode(node.spec, inputs, node.outputs.size(), registry_);
      for (std::size_t i = 0; i < node.outputs.size(); ++i)
        if (node.outputs[i] >= 0)
          graph_.values[node.outputs[i]].constant = std::make_shared<Tensor>(std::move(outputs[i]));
      graph_.folded.push_back(node.spec.name);
    }
    graph_.nodes = std::move(remaining);
  }

  void markKeep() {
    for (int id : graph_.outputs) graph_.values[id].keep = true;
    for (const auto& name : tapNames_) {
      const int id = graph_.idOf(name);
      if (id >= 0) graph_.values[id].keep = true;
    }
    for (const auto& node : graph_.nodes)
      if (options_.keepUnfused.count(node.spec.name))
        for (int out : node.outputs)
          if (out >= 0) graph_.values[out].keep = true;
  }

  std::vector<int> consumersOf(int value) const {
    std::vector<int> result;
    for (std::size_t n = 0; n < graph_.nodes.size(); ++n)
      for (int in : graph_.nodes[n].inputs)
        if (in == value) {
          result.push_back(static_cast<int>(n));
          break;
        }
    return result;
  }

  // The single consumer of node n's only output, when fusing into it is allowed.
  int fusableSuccessor(int n) const {
    const auto& node = graph_.nodes[n];
    if (node.outputs.size() != 1 || graph_.values[node.outputs[0]].keep) return -1;
    auto consumers = consumersOf(node.outputs[0]);
    if (consumers.size() != 1) return -1;
    const auto& next = graph_.nodes[consumers[0]];
    if (options_.keepUnfused.count(next.spec.name)) return -1;
    if (next.inputs.empty() || next.inputs[0] != node.outputs[0]) return -1;
    return consumers[0];
  }

  std::shared_ptr<const Tensor> constantInput(const GraphNode& node, std::size_t i) const {
    if (i >= node.inputs.size() || node.inputs[i] < 0) return nullptr;
    return graph_.values[node.inputs[i]].constant;
  }

  bool tryActivation(const GraphNode& node, FusedActivation& activation) const {
    const auto& op = node.spec.opType;
    if (op == "Relu") {
      activation.kind = FusedActivation::Kind::Relu;
      return true;
    }
    if (op == "LeakyRelu") {
      activation.kind = FusedActivation::Kind::LeakyRelu;
      activation.alpha = node.spec.attributes.getFloat("alpha", 0.01f);
      return true;
    }
    if (op == "Clip") {
      activation.kind = FusedActivation::Kind::Clip;
      if (node.spec.opset < 11) {
        activation.minValue = node.spec.attributes.getFloat("min", activation.minValue);
        activation.maxValue = node.spec.attributes.getFloat("max", activation.maxValue);
        return true;
      }
      for (std::size_t i = 1; i < node.inputs.size(); ++i) {
        if (node.inputs[i] < 0) continue;
        auto bound = constantInput(node, i);
        if (!bound || bound->dtype() != DType::Float32 || bound->elementCount() != 1) return false;
        (i == 1 ? activation.minValue : activation.maxValue) = bound->data<float>()[0];
      }
      return true;
    }
    return false;
  }

  // A Slice keeping columns [0, end) of the last axis with step 1 (causal-conv "chomp").
  bool isTrailingCrop(const GraphNode& slice, std::int64_t rank, std::int64_t& end) const {
    if (slice.spec.opType != "Slice" || slice.outputs.size() != 1) return false;
    std::vector<std::int64_t> starts, ends, axes, steps;
    auto ints = [&](std::size_t index, std::vector<std::int64_t>& values) {
      if (index >= slice.inputs.size() || slice.inputs[index] < 0) return true;  // omitted
      auto tensor = constantInput(slice, index);
      if (!tensor || tensor->dtype() != DType::Int64) return false;
      values.assign(tensor->data<std::int64_t>(),
                    tensor->data<std::int64_t>() + tensor->elementCount());
      return true;
    };
    if (slice.spec.opset < 10) {
      starts = slice.spec.attributes.getInts("starts");
      ends = slice.spec.attributes.getInts("ends");
      axes = slice.spec.attributes.getInts("axes");
    } else if (!ints(1, starts) || !ints(2, ends) || !ints(3, axes) || !ints(4, steps)) {
      return false;
    }
    if (starts.size() != 1 || ends.size() != 1) return false;
    if (!steps.empty() && (steps.size() != 1 || steps[0] != 1)) return false;
    const std::int64_t axis = axes.empty() ? 0 : axes[0];
    if (axis != rank - 1 && axis != -1) return false;
    if (starts[0] != 0) return false;
    end = ends[0];
    return true;
  }

  void fuseConvolutions() {
    std::vector<bool> removed(graph_.nodes.size(), false);
    for (std::size_t n = 0; n < graph_.nodes.size(); ++n) {
      auto& conv = graph_.nodes[n];
      if (removed[n] || conv.spec.opType != "Conv" || options_.keepUnfused.count(conv.spec.name))
        continue;
      auto weight = constantInput(conv, 1);
      if (!weight || weight->dtype() != DType::Float32 || weight->rank() < 3) continue;
      const std::int64_t channels = weight->dim(0);
      auto bias = constantInput(conv, 2);
      if (conv.inputs.size() > 2 && conv.inputs[2] >= 0 && !isFloatVector(bias, channels)) continue;
      int last = static_cast<int>(n);
      std::string fusion = "Conv";
      int next = fusableSuccessor(last);
      if (next >= 0 && graph_.nodes[next].spec.opType == "BatchNormalization" &&
          graph_.nodes[next].outputs.size() == 1) {
        const auto& bn = graph_.nodes[next];
        auto scale = constantInput(bn, 1), shift = constantInput(bn, 2);
        auto mean = constantInput(bn, 3), variance = constantInput(bn, 4);
        if (isFloatVector(scale, channels) && isFloatVector(shift, channels) &&
            isFloatVector(mean, channels) && isFloatVector(variance, channels)) {
          Tensor newWeight = *weight;
          Tensor newBias = bias ? *bias : Tensor(DType::Float32, {channels});
          foldBatchNorm(newWeight, newBias, *scale, *shift, *mean, *variance,
                        bn.spec.attributes.getFloat("epsilon", 1e-5f));
          setConstantInput(conv, 1, std::move(newWeight), "bn_folded");
          setConstantInput(conv, 2, std::move(newBias), "bn_folded");
          absorb(conv, last, next, removed);
          fusion += "+BatchNormalization";
          last = next;
          next = fusableSuccessor(last);
        }
      }
      std::int64_t cropEnd = 0;
      if (next >= 0 && isTrailingCrop(graph_.nodes[next], weight->rank(), cropEnd)) {
        conv.spec.hasCrop = true;
        conv.spec.cropEnd = cropEnd;
        absorb(conv, last, next, removed);
        fusion += "+Slice";
        last = next;
        next = fusableSuccessor(last);
      }
      FusedActivation activation;
      if (next >= 0 && tryActivation(graph_.nodes[next], activation)) {
        conv.spec.activation = activation;
        absorb(conv, last, next, removed);
        fusion += "+" + graph_.nodes[next].spec.opType;
        last = next;
      }
      if (last != static_cast<int>(n)) {
        conv.outputs = graph_.nodes[last].outputs;
        conv.fusion = fusion;
      }
    }
    std::vector<GraphNode> kept;
    for (std::size_t n = 0; n < graph_.nodes.size(); ++n)
      if (!removed[n]) kept.push_back(std::move(graph_.nodes[n]));
    graph_.nodes = std::move(kept);
  }

  void absorb(GraphNode& conv, int previous, int next, std::vector<bool>& removed) {
    graph_.fusedAway.emplace_back(graph_.values[graph_.nodes[previous].outputs[0]].name,
                                  conv.spec.name);
    conv.covered.push_back(graph_.nodes[next].spec.name);
    removed[next] = true;
  }

  void setConstantInput(GraphNode& node, std::size_t index, Tensor value, const char* tag) {
    const std::string original = index < node.inputs.size() && node.inputs[index] >= 0
                                     ? graph_.values[node.inputs[index]].name
                                     : node.spec.name + "_bias";
    const std::string name = original + "::" + tag + "@" + node.spec.name;
    const int id = addValue(name);
    graph_.values[id].constant = std::make_shared<Tensor>(std::move(value));
    originalName_[id] = original;
    if (node.inputs.size() <= index) node.inputs.resize(index + 1, -1);
    node.inputs[index] = id;
  }

  void removeDeadNodes() {
    // Nodes whose outputs nobody needs (after folding/fusion) are dropped, back to front.
    std::vector<bool> needed(graph_.values.size(), false);
    for (int id : graph_.outputs) needed[id] = true;
    for (const auto& name : tapNames_)
      if (graph_.idOf(name) >= 0) needed[graph_.idOf(name)] = true;
    std::vector<GraphNode> kept;
    for (auto it = graph_.nodes.rbegin(); it != graph_.nodes.rend(); ++it) {
      bool used = false;
      for (int out : it->outputs)
        if (out >= 0 && needed[out]) used = true;
      if (!used) continue;
      for (int in : it->inputs)
        if (in >= 0) needed[in] = true;
      kept.push_back(std::move(*it));
    }
    std::reverse(kept.begin(), kept.end());
    graph_.nodes = std::move(kept);
  }

  void applyWeightHook() {
    for (auto& node : graph_.nodes) {
      const auto& op = node.spec.opType;
      if (op != "Conv" && op != "Gemm" && op != "MatMul") continue;
      for (std::size_t index = 1; index <= 2 && index < node.inputs.size(); ++index) {
        if (op == "MatMul" && index == 2) continue;
        auto constant = constantInput(node, index);
        if (!constant || constant->dtype() != DType::Float32) continue;
        WeightSite site;
        const int id = node.inputs[index];
        auto original = originalName_.find(id);
        site.name = original != originalName_.end() ? original->second : graph_.values[id].name;
        site.nodeName = node.spec.name;
        site.opType = op;
        site.inputIndex = static_cast<int>(index);
        if (index == 1 && op == "Gemm")
          site.outputChannelAxis = node.spec.attributes.getInt("transB", 0) ? 0 : 1;
        else if (index == 1 && op == "MatMul")
          site.outputChannelAxis = static_cast<int>(constant->rank()) - 1;
        else
          site.outputChannelAxis = 0;
        site.fusedNodes.assign(node.covered.begin() + 1, node.covered.end());
        Tensor copy = *constant;
        const Shape shapeBefore = copy.shape();
        options_.weightHook(site, copy);
        if (copy.dtype() != DType::Float32 || copy.shape() != shapeBefore)
          throw Error(node.spec.where,
                      "the weight hook changed the shape or dtype of '" + site.name + "'",
                      "a weight hook must modify values in place only");
        setConstantInput(node, index, std::move(copy), "hooked");
        originalName_[node.inputs[index]] = site.name;
      }
    }
  }

  const OnnxModel& model_;
  const SessionOptions& options_;
  const std::vector<std::string>& tapNames_;
  const KernelRegistry& registry_;
  Graph graph_;
  std::unordered_map<int, std::string> originalName_;
};

}  // namespace

Graph buildGraph(const OnnxModel& model, const SessionOptions& options,
                 const std::vector<std::string>& tapNames, const KernelRegistry& registry) {
  return GraphBuilder(model, options, tapNames, registry).build();
}

}  // namespace imuwb::engine
