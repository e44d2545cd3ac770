// Rewrite: every Conv1d becomes a Conv2d with a unit height: weight [O,I,k] -> [O,I,1,k], kernel
// (1,k), dilation (1,d), strides (1,s), pads (0,b,0,e). The [N,C,T] tensors around the convs
// become [N,C,1,T] as far as the per-op rules (LiftOps.cpp) carry them; where they stop (an op
// with no rule, a graph output) a Squeeze gives back the original tensor, so the result is
// always the same function. The inputs are rewritten first (TimeMajorInput.cpp).
#include <sstream>

#include "convert/Lift.hpp"

namespace imuwb::convert {
namespace {

std::int64_t defaultOpset(const onnx::ModelProto& model) {
  for (const auto& import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx") return import.version();
  return 0;
}

bool isConv1d(const onnx::GraphProto& graph, const onnx::NodeProto& node) {
  if (node.op_type() != "Conv" || node.input_size() < 2) return false;
  if (!node.domain().empty() && node.domain() != "ai.onnx") return false;
  const auto* weight = constantTensor(graph, node.input(1));
  return weight && weight->dims_size() == 3 && weight->data_type() == onnx::TensorProto::FLOAT;
}

std::string text(const Ints& values) {
  std::ostringstream out;
  out << "(";
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  out << ")";
  return out.str();
}

void liftConv(Lift& lift, onnx::NodeProto& node, const std::string& name, ConvertLog& log) {
  auto& graph = lift.graph();
  node.set_input(0, lift.liftedForm(node.input(0)));
  const auto* weight = constantTensor(graph, node.input(1));
  Ints dims(weight->dims().begin(), weight->dims().end());
  const auto kernel = dims[2];
  dims.insert(dims.begin() + 2, 1);
  node.set_input(1, addFloatInitializer(graph, node.input(1) + "_2d", dims, tensorFloats(*weight)));
  liftSpatialAttributes(node);
  lift.lifted.insert(node.output(0));
  log.add("conv1d_to_conv2d", {name},
          "kernel " + std::to_string(kernel) + " -> (1," + std::to_string(kernel) +
              "), dilations " + text(intsAttribute(node, "dilations", {1, 1})) + ", pads " +
              text(intsAttribute(node, "pads", {0, 0, 0, 0})));
}

void renameTensor(onnx::GraphProto& graph, const std::string& from, const std::string& to) {
  for (auto& node : *graph.mutable_node()) {
    for (auto& input : *node.mutable_input())
      if (input == from) input = to;
    for (auto& output : *node.mutable_output())
      if (output == from) output = to;
  }
}

// A graph output keeps its declared rank-3 shape: the lifted tensor is renamed and a Squeeze
// gives the output back under its own name.
void restoreLiftedOutputs(Lift& lift) {
  auto& graph = lift.graph();
  for (const auto& output : graph.output()) {
    if (!lift.lifted.count(output.name())) continue;
    const auto inner = freshName(graph, output.name() + "_h");
    renameTensor(graph, output.name(), inner);
    lift.lifted.insert(inner);
    const auto squeezed = lift.rank3Form(inner);
    renameTensor(graph, squeezed, output.name());
  }
}

}  // namespace

void liftConv1dToConv2d(onnx::ModelProto& model, const ConvertOptions& options, ConvertLog& log) {
  auto& graph = *model.mutable_graph();
  nameUnnamedNodes(graph);
  Lift lift(model);
  lift.opset = defaultOpset(model);
  lift.shapes = inferShapes(model);
  std::set<std::string> conv1dInputs;
  for (const auto& node : graph.node())
    if (isConv1d(graph, node)) conv1dInputs.insert(node.input(0));
  if (conv1dInputs.empty()) return;
  graph.clear_value_info();  // shapes change; the loader infers them again

  seedInputLayout(lift, conv1dInputs, options, log);
  const int count = graph.node_size();  // nodes appended from here on are border copies
  for (int n = 0; n < count; ++n) {
    auto& node = *graph.mutable_node(n);
    if (isConv1d(graph, node)) {
      liftConv(lift, node, nodeName(graph, n), log);
      continue;
    }
    bool reads = false;
    for (const auto& input : node.input()) reads = reads || lift.lifted.count(input);
    if (!reads) continue;
    if (const auto outcome = liftNode(lift, node); outcome.handled) {
      if (outcome.outputsLifted)
        for (const auto& output : node.output()) lift.lifted.insert(output);
      continue;
    }
    for (int slot = 0; slot < node.input_size(); ++slot)
      if (lift.lifted.count(node.input(slot)))
        node.set_input(slot, lift.rank3Form(node.input(slot)));
  }
  restoreLiftedOutputs(lift);
  sortTopologically(graph);
  removeDeadNodes(graph);
}

}  // namespace imuwb::convert
