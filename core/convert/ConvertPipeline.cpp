// The order of the rewrites, and the test hook that breaks one on purpose.
#include "common/Error.hpp"
#include "convert/Convert.hpp"
#include "convert/GraphEdit.hpp"

namespace imuwb::convert {
namespace {

std::vector<InputRemap> unchangedInputs(const onnx::GraphProto& graph) {
  std::vector<InputRemap> inputs;
  for (const auto& input : graph.input()) {
    InputRemap remap{input.name(), {}, {}, {}};
    for (const auto& dim : input.type().tensor_type().shape().dim())
      remap.originalShape.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    remap.newShape = remap.originalShape;
    for (std::size_t i = 0; i < remap.originalShape.size(); ++i)
      remap.perm.push_back(static_cast<int>(i));
    inputs.push_back(remap);
  }
  return inputs;
}

}  // namespace

ConvertLog convertForHailo8(onnx::ModelProto& model, const ConvertOptions& options) {
  auto& graph = *model.mutable_graph();
  for (const auto& initializer : graph.initializer())
    if (initializer.data_location() == onnx::TensorProto::EXTERNAL)
      throw Error("initializer '" + initializer.name() + "'",
                  "the model keeps its weights in external data files",
                  "save the model with its weights inside the .onnx to convert it");
  for (const auto& node : graph.node())
    if (node.op_type() == "If" || node.op_type() == "Loop" || node.op_type() == "Scan")
      throw Error("node '" + node.name() + "'",
                  node.op_type() + " (control flow) cannot be converted",
                  "export the model without control flow");
  const auto original = unchangedInputs(graph);
  graph.clear_value_info();  // the shapes change; the loader infers them again
  ConvertLog log;
  liftConv1dToConv2d(model, options, log);
  foldChompIntoPads(model, log);
  foldBatchNormIntoConv(model, log);
  expandGroupedConv(model, options, log);
  convertGemm(model, options, log);
  removeUnitDimChains(model, log);
  for (const auto& input : original) {
    bool listed = false;
    for (const auto& remap : log.inputs) listed = listed || remap.name == input.name;
    if (!listed) log.inputs.push_back(input);
  }
  if (!options.breakRewrite.empty()) breakRewriteForTest(model, options.breakRewrite, log);
  return log;
}

std::string convertToBytes(const engine::OnnxModel& model, const ConvertOptions& options,
                           ConvertLog& log) {
  onnx::ModelProto proto = model.proto();
  log = convertForHailo8(proto, options);
  proto.set_producer_name("imuwb convert --to hailo8");
  std::string bytes;
  if (!proto.SerializeToString(&bytes))
    throw Error(model.path().string(), "the converted model could not be serialized",
                "the model may be over protobuf's 2 GB limit");
  return bytes;
}

void breakRewriteForTest(onnx::ModelProto& model, const std::string& rule, const ConvertLog& log) {
  const RewriteRecord* record = nullptr;
  for (const auto& r : log.rewrites)
    if (r.rule == rule && !record) record = &r;
  if (!record) return;
  auto& graph = *model.mutable_graph();
  onnx::NodeProto* conv = nullptr;
  for (auto& node : *graph.mutable_node()) {  // the rewrite's own Conv, else the first one
    if (node.op_type() != "Conv") continue;
    if (node.name() == record->nodes.front()) {
      conv = &node;
      break;
    }
    if (!conv) conv = &node;
  }
  if (!conv) return;
  // The wrong side for the padding (an anti-causal chomp), or else a scaled weight.
  auto pads = intsAttribute(*conv, "pads");
  if (pads.size() >= 4 && pads[pads.size() / 2 - 1] != pads.back()) {
    std::swap(pads[pads.size() / 2 - 1], pads.back());
    setIntsAttribute(*conv, "pads", pads);
    return;
  }
  const auto* weight = constantTensor(graph, conv->input(1));
  auto values = tensorFloats(*weight);
  values[0] = values[0] * 2.0f + 1.0f;
  conv->set_input(1,
                  addFloatInitializer(graph, conv->input(1) + "_broken",
                                      Ints(weight->dims().begin(), weight->dims().end()), values));
}

}  // namespace imuwb::convert
