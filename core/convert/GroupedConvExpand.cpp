// Rewrite: a grouped or depthwise Conv (group g > 1) becomes a regular Conv (group 1) whose
// weight [O, I, ...] is zero outside each output channel's own group of inputs. The weight
// grows g times, so it is done only while the whole model stays within the device budget;
// every expansion is reported with its growth, and a refused one says why.
#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {
namespace {

std::int64_t floatParameters(const onnx::GraphProto& graph) {
  std::int64_t count = 0;
  for (const auto& initializer : graph.initializer()) {
    if (initializer.data_type() != onnx::TensorProto::FLOAT) continue;
    std::int64_t elements = 1;
    for (auto dim : initializer.dims()) elements *= dim;
    count += elements;
  }
  return count;
}

}  // namespace

void expandGroupedConv(onnx::ModelProto& model, const ConvertOptions& options, ConvertLog& log) {
  auto& graph = *model.mutable_graph();
  nameUnnamedNodes(graph);
  for (int n = 0; n < graph.node_size(); ++n) {
    auto& conv = *graph.mutable_node(n);
    const auto group = intAttribute(conv, "group", 1);
    if (conv.op_type() != "Conv" || group <= 1 || conv.input_size() < 2) continue;
    const auto* weight = constantTensor(graph, conv.input(1));
    const auto name = nodeName(graph, n);
    if (!weight || weight->data_type() != onnx::TensorProto::FLOAT || weight->dims_size() < 3) {
      log.warnings.push_back("Conv '" + name + "' (group " + std::to_string(group) +
                             ") kept: its weight is not a float constant");
      continue;
    }
    Ints dims(weight->dims().begin(), weight->dims().end());
    const auto outChannels = dims[0], perGroupIn = dims[1];
    std::int64_t kernel = 1;
    for (std::size_t i = 2; i < dims.size(); ++i) kernel *= dims[i];
    const auto before = outChannels * perGroupIn * kernel;
    const auto after = before * group;
    const auto total = floatParameters(graph) + after - before;
    const std::string growth = std::to_string(before) + " -> " + std::to_string(after) +
                               " weight parameters (x" + std::to_string(group) + ")";
    if (total > options.maxParameters || outChannels % group != 0) {
      log.warnings.push_back("Conv '" + name + "' (group " + std::to_string(group) +
                             ") kept grouped: expanding it would give " + growth + ", the model " +
                             std::to_string(total) + " parameters, over the " +
                             std::to_string(options.maxParameters) + " budget");
      continue;
    }
    const auto values = tensorFloats(*weight);
    const auto inChannels = perGroupIn * group, outPerGroup = outChannels / group;
    std::vector<float> expanded(static_cast<std::size_t>(after), 0.0f);
    for (std::int64_t o = 0; o < outChannels; ++o) {
      const auto firstIn = (o / outPerGroup) * perGroupIn;
      for (std::int64_t i = 0; i < perGroupIn; ++i)
        for (std::int64_t k = 0; k < kernel; ++k)
          expanded[(o * inChannels + firstIn + i) * kernel + k] =
              values[(o * perGroupIn + i) * kernel + k];
    }
    dims[1] = inChannels;
    conv.set_input(1, addFloatInitializer(graph, conv.input(1) + "_dense", dims, expanded));
    setIntAttribute(conv, "group", 1);
    log.add("grouped_conv_expand", {name},
            (perGroupIn == 1 ? "depthwise" : "grouped") + std::string(" Conv (group ") +
                std::to_string(group) + ") expanded to group 1: " + growth);
    log.warnings.push_back("Conv '" + name + "' expanded from group " + std::to_string(group) +
                           " to group 1: " + growth);
  }
  removeDeadNodes(graph);
}

}  // namespace imuwb::convert
