// Rewrite: BatchNormalization right after a Conv (the Conv's only reader, constant statistics)
// folded into the Conv's weight and bias: per output channel o, with g = scale / sqrt(var + eps),
// W'[o] = W[o] * g and b'[o] = (b[o] - mean[o]) * g + beta[o].
#include <cmath>

#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {
namespace {

struct BatchNormParameters {
  std::vector<float> scale, beta, mean, var;
};

std::optional<BatchNormParameters> parameters(const onnx::GraphProto& graph,
                                              const onnx::NodeProto& bn, std::size_t channels) {
  if (bn.input_size() < 5 || bn.output_size() > 1) return {};
  BatchNormParameters p;
  std::vector<float>* into[] = {&p.scale, &p.beta, &p.mean, &p.var};
  for (int slot = 1; slot < 5; ++slot) {
    const auto* tensor = constantTensor(graph, bn.input(slot));
    if (!tensor || tensor->data_type() != onnx::TensorProto::FLOAT) return {};
    *into[slot - 1] = tensorFloats(*tensor);
    if (into[slot - 1]->size() != channels) return {};
  }
  return p;
}

}  // namespace

void foldBatchNormIntoConv(onnx::ModelProto& model, ConvertLog& log) {
  auto& graph = *model.mutable_graph();
  nameUnnamedNodes(graph);
  const auto uses = consumers(graph);
  std::set<int> removed;
  for (int n = 0; n < graph.node_size(); ++n) {
    auto& conv = *graph.mutable_node(n);
    if (conv.op_type() != "Conv" || conv.input_size() < 2) continue;
    const auto found = uses.find(conv.output(0));
    if (found == uses.end() || found->second.size() != 1 || isGraphOutput(graph, conv.output(0)))
      continue;
    const int bnIndex = found->second[0].node;
    const auto& bn = graph.node(bnIndex);
    if (bn.op_type() != "BatchNormalization" || found->second[0].slot != 0) continue;
    const auto* weight = constantTensor(graph, conv.input(1));
    if (!weight || weight->data_type() != onnx::TensorProto::FLOAT || weight->dims_size() < 3)
      continue;
    const auto channels = static_cast<std::size_t>(weight->dims(0));
    const auto p = parameters(graph, bn, channels);
    const onnx::TensorProto* biasTensor = conv.input_size() > 2 && !conv.input(2).empty()
                                              ? constantTensor(graph, conv.input(2))
                                              : nullptr;
    if (!p || (conv.input_size() > 2 && !conv.input(2).empty() && !biasTensor)) continue;
    const float epsilon = findAttribute(bn, "epsilon") ? findAttribute(bn, "epsilon")->f() : 1e-5f;
    auto w = tensorFloats(*weight);
    std::vector<float> bias =
        biasTensor ? tensorFloats(*biasTensor) : std::vector<float>(channels, 0.0f);
    const std::size_t per = w.size() / channels;
    for (std::size_t o = 0; o < channels; ++o) {
      const double g = p->scale[o] / std::sqrt(static_cast<double>(p->var[o]) + epsilon);
      for (std::size_t i = 0; i < per; ++i) w[o * per + i] = static_cast<float>(w[o * per + i] * g);
      bias[o] = static_cast<float>((bias[o] - p->mean[o]) * g + p->beta[o]);
    }
    const Ints dims(weight->dims().begin(), weight->dims().end());
    const auto weightName = addFloatInitializer(graph, conv.input(1) + "_bn", dims, w);
    const auto biasName = addFloatInitializer(graph, conv.name() + "_bias_bn",
                                              {static_cast<std::int64_t>(channels)}, bias);
    conv.set_input(1, weightName);
    if (conv.input_size() > 2)
      conv.set_input(2, biasName);
    else
      conv.add_input(biasName);
    log.add("batchnorm_fold", {nodeName(graph, n), nodeName(graph, bnIndex)},
            "BatchNormalization folded into the Conv's weight and bias (" +
                std::to_string(channels) + " channels)");
    conv.set_output(0, bn.output(0));
    removed.insert(bnIndex);
  }
  removeNodes(graph, removed);
  removeDeadNodes(graph);
}

}  // namespace imuwb::convert
