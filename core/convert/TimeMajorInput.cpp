// Rewrite: the input layout. A time-major input [N,T,C] read only through Transpose(0,2,1)
// (PyTorch's x.transpose(1, 2) before the first Conv1d) loses the Transpose: the input itself
// becomes [N,C,1,T] (NCHW), or [N,1,T,C] (NHWC, Hailo's host-side order) with one
// Transpose(0,3,1,2) left for the compiler to absorb. A channel-major [N,C,T] input read by a
// Conv1d becomes [N,C,1,T] / [N,1,T,C] the same way. The log records how to permute windows
// of the old layout into the new one, for the equivalence proof and the manifest.
#include "convert/Lift.hpp"

namespace imuwb::convert {
namespace {

void setShape(onnx::ValueInfoProto& value, const onnx::TensorShapeProto_Dimension& batch,
              const Ints& rest) {
  auto* shape = value.mutable_type()->mutable_tensor_type()->mutable_shape();
  shape->clear_dim();
  *shape->add_dim() = batch;
  for (auto dim : rest) shape->add_dim()->set_dim_value(dim);
}

onnx::NodeProto transposeNode(const std::string& name, const std::string& input,
                              const std::string& output, const Ints& perm) {
  onnx::NodeProto node;
  node.set_op_type("Transpose");
  node.set_name(name);
  node.add_input(input);
  node.add_output(output);
  setIntsAttribute(node, "perm", perm);
  return node;
}

// The Transpose(0,2,1) that is the input's only reader, or -1.
int timeMajorTranspose(const onnx::GraphProto& graph, const std::string& input) {
  const auto uses = consumers(graph);
  const auto found = uses.find(input);
  if (found == uses.end() || found->second.size() != 1) return -1;
  const auto& node = graph.node(found->second[0].node);
  if (node.op_type() != "Transpose" || intsAttribute(node, "perm") != Ints{0, 2, 1}) return -1;
  return found->second[0].node;
}

void redirect(onnx::GraphProto& graph, const std::string& from, const std::string& to) {
  for (auto& node : *graph.mutable_node())
    for (auto& input : *node.mutable_input())
      if (input == from) input = to;
}

}  // namespace

void seedInputLayout(Lift& lift, const std::set<std::string>& conv1dInputs,
                     const ConvertOptions& options, ConvertLog& log) {
  auto& graph = lift.graph();
  const bool nhwc = options.inputLayout == InputLayoutChoice::NHWC;
  for (auto& input : *graph.mutable_input()) {
    const auto& name = input.name();
    const auto shape = lift.shapes.count(name) ? lift.shapes.at(name) : Ints{};
    InputRemap remap{name, shape, shape, {0, 1, 2}};
    const int transpose = shape.size() == 3 ? timeMajorTranspose(graph, name) : -1;
    const bool timeMajor = transpose >= 0 && conv1dInputs.count(graph.node(transpose).output(0));
    const bool channelMajor = !timeMajor && shape.size() == 3 && conv1dInputs.count(name);
    if ((!timeMajor && !channelMajor) || shape[1] <= 0 || shape[2] <= 0) {
      remap.perm.resize(shape.size());
      for (std::size_t i = 0; i < shape.size(); ++i) remap.perm[i] = static_cast<int>(i);
      log.inputs.push_back(remap);
      continue;
    }
    const auto channels = timeMajor ? shape[2] : shape[1];
    const auto steps = timeMajor ? shape[1] : shape[2];
    const auto batch = input.type().tensor_type().shape().dim(0);
    remap.newShape = nhwc ? Ints{shape[0], 1, steps, channels} : Ints{shape[0], channels, 1, steps};
    remap.perm = timeMajor == nhwc ? std::vector<int>{0, 1, 2} : std::vector<int>{0, 2, 1};
    setShape(input, batch, {remap.newShape.begin() + 1, remap.newShape.end()});
    const std::string layout = nhwc ? "NHWC" : "NCHW";
    std::string lifted = name;
    if (timeMajor) {
      auto& node = *graph.mutable_node(transpose);
      const auto transposeName = nodeName(graph, transpose);
      if (nhwc) {
        setIntsAttribute(node, "perm", {0, 3, 1, 2});
        lifted = node.output(0);
      } else {
        redirect(graph, node.output(0), name);
        removeNodes(graph, {transpose});
      }
      log.add("time_major_input", {transposeName},
              "input '" + name + "' [N,T,C] read through Transpose(0,2,1) becomes " + layout +
                  (nhwc ? " [N,1,T,C] (one Transpose(0,3,1,2) for the compiler)" : " [N,C,1,T]"));
    } else {
      if (nhwc) {
        lifted = freshName(graph, name + "_nchw");
        redirect(graph, name, lifted);
        *graph.add_node() =
            transposeNode(freshName(graph, name + "/Transpose"), name, lifted, {0, 3, 1, 2});
      }
      log.add("input_layout", {name},
              "channel-major input '" + name + "' [N,C,T] becomes " + layout +
                  (nhwc ? " [N,1,T,C]" : " [N,C,1,T]"));
    }
    lift.lifted.insert(lifted);
    log.inputs.push_back(remap);
  }
}

}  // namespace imuwb::convert
