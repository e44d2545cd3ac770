// Gemm: kept by default (the Hailo DFC maps it to a dense layer), or, with gemmAsConv, a 1x1
// Conv: Unsqueeze [N,K] -> [N,K,1,1], Conv with W [M,K,1,1] = alpha * (transB ? B : B^T) and
// bias beta * C, Flatten back to [N,M]. The Unsqueeze usually cancels the Squeeze in front of
// it (removeUnitDimChains), leaving GlobalAveragePool -> Conv 1x1.
#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {
namespace {

std::int64_t defaultOpset(const onnx::ModelProto& model) {
  for (const auto& import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx") return import.version();
  return 0;
}

onnx::NodeProto makeNode(const std::string& op, const std::string& name,
                         std::vector<std::string> inputs, const std::string& output) {
  onnx::NodeProto node;
  node.set_op_type(op);
  node.set_name(name);
  for (auto& input : inputs) node.add_input(input);
  node.add_output(output);
  return node;
}

// The dense weight [M,K,1,1] and bias [M], or nothing when B/C are not plain float constants.
bool convWeights(const onnx::GraphProto& graph, const onnx::NodeProto& gemm,
                 std::vector<float>& weight, std::vector<float>& bias, Ints& dims) {
  const auto* b = constantTensor(graph, gemm.input(1));
  if (!b || b->data_type() != onnx::TensorProto::FLOAT || b->dims_size() != 2) return false;
  const bool transB = intAttribute(gemm, "transB", 0) != 0;
  const auto* alpha = findAttribute(gemm, "alpha");
  const auto* beta = findAttribute(gemm, "beta");
  const float a = alpha ? alpha->f() : 1.0f, c = beta ? beta->f() : 1.0f;
  const auto rows = b->dims(0), cols = b->dims(1);
  const auto m = transB ? rows : cols, k = transB ? cols : rows;
  const auto values = tensorFloats(*b);
  weight.assign(static_cast<std::size_t>(m * k), 0.0f);
  for (std::int64_t o = 0; o < m; ++o)
    for (std::int64_t i = 0; i < k; ++i)
      weight[o * k + i] = a * (transB ? values[o * k + i] : values[i * m + o]);
  dims = {m, k, 1, 1};
  bias.assign(static_cast<std::size_t>(m), 0.0f);
  if (gemm.input_size() > 2 && !gemm.input(2).empty()) {
    const auto* tensor = constantTensor(graph, gemm.input(2));
    if (!tensor || tensor->data_type() != onnx::TensorProto::FLOAT) return false;
    const auto cValues = tensorFloats(*tensor);
    if (cValues.size() != 1 && cValues.size() != static_cast<std::size_t>(m)) return false;
    for (std::int64_t o = 0; o < m; ++o) bias[o] = c * cValues[cValues.size() == 1 ? 0 : o];
  }
  return true;
}

}  // namespace

void convertGemm(onnx::ModelProto& model, const ConvertOptions& options, ConvertLog& log) {
  auto& graph = *model.mutable_graph();
  nameUnnamedNodes(graph);
  const auto opset = defaultOpset(model);
  const auto shapes = inferShapes(model);
  for (int n = 0; n < graph.node_size(); ++n) {
    const auto gemm = graph.node(n);
    if (gemm.op_type() != "Gemm") continue;
    const auto name = nodeName(graph, n);
    std::vector<float> weight, bias;
    Ints dims;
    const auto in = shapes.count(gemm.input(0)) ? shapes.at(gemm.input(0)) : Ints{};
    if (!options.gemmAsConv || intAttribute(gemm, "transA", 0) != 0 || in.size() != 2 ||
        !convWeights(graph, gemm, weight, bias, dims)) {
      log.add("gemm_kept", {name}, "Gemm kept: the Hailo DFC maps it to a dense layer");
      continue;
    }
    auto unsqueeze = makeNode("Unsqueeze", freshName(graph, name + "/Unsqueeze"), {gemm.input(0)},
                              freshName(graph, gemm.input(0) + "_nchw"));
    if (opset >= 13)
      unsqueeze.add_input(addIntsInitializer(graph, name + "_axes", {2, 3}));
    else
      setIntsAttribute(unsqueeze, "axes", {2, 3});
    const auto w = addFloatInitializer(graph, gemm.input(1) + "_1x1", dims, weight);
    const auto b = addFloatInitializer(graph, name + "_bias_1x1", {dims[0]}, bias);
    auto conv = makeNode("Conv", name, {unsqueeze.output(0), w, b},
                         freshName(graph, gemm.output(0) + "_nchw"));
    setIntsAttribute(conv, "kernel_shape", {1, 1});
    auto flatten =
        makeNode("Flatten", freshName(graph, name + "/Flatten"), {conv.output(0)}, gemm.output(0));
    setIntAttribute(flatten, "axis", 1);
    *graph.mutable_node(n) = unsqueeze;
    *graph.add_node() = conv;
    *graph.add_node() = flatten;
    log.add("gemm_to_conv1x1", {name},
            "Gemm [" + std::to_string(dims[1]) + " -> " + std::to_string(dims[0]) +
                "] as a 1x1 Conv between Unsqueeze and Flatten");
  }
  sortTopologically(graph);
  removeDeadNodes(graph);
}

}  // namespace imuwb::convert
