#include "engine/OnnxAxisValidation.hpp"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "common/Error.hpp"

namespace imuwb::engine {
namespace {

const std::set<std::string> kAxisAttributes = {"axis", "axes", "perm", "batch_axis", "time_axis"};
const char* const kFix = "fix the exporter settings and re-export the model";

bool isDefaultDomain(const std::string& domain) {
  return domain.empty() || domain == "ai.onnx";
}

std::optional<int> rankOf(const onnx::TypeProto& type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return std::nullopt;
  return type.tensor_type().shape().dim_size();
}

onnx::TypeProto typeOfInitializer(const onnx::TensorProto& tensor) {
  onnx::TypeProto type;
  auto* tensorType = type.mutable_tensor_type();
  tensorType->set_elem_type(tensor.data_type());
  auto* shape = tensorType->mutable_shape();
  for (const auto dim : tensor.dims()) shape->add_dim()->set_dim_value(dim);
  return type;
}

std::string listText(const std::vector<std::int64_t>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    text += (i ? "," : "") + std::to_string(values[i]);
  return text + "]";
}

// The ranks of one graph's values. Graph inputs and initializers are known up front; the
// values nodes produce are learned, when first needed, by running ONNX's shape inference over
// the stretch of nodes not yet inferred that ends before the asking node. Every node of such
// a stretch has already passed the axis check, and each node is inferred once, so the cost is
// one inference of the graph. Without a model (subgraphs of If, Loop, Scan), only the graph's
// own inputs and initializers are known.
class RankOracle {
 public:
  RankOracle(const onnx::GraphProto& graph, const onnx::ModelProto* model)
      : graph_(graph), model_(model) {
    for (const auto& input : graph.input()) types_[input.name()] = input.type();
    for (const auto& init : graph.initializer()) {
      // As ONNX's inference does: a declared input type wins over the initializer's dims.
      types_.emplace(init.name(), typeOfInitializer(init));
      // Inference reads integer initializers' values (Reshape shapes, Unsqueeze axes).
      if (init.data_type() == onnx::TensorProto::INT64 ||
          init.data_type() == onnx::TensorProto::INT32)
        integerInitializers_[init.name()] = &init;
    }
    for (const auto& value : graph.value_info()) declared_[value.name()] = &value;
  }

  // The rank of value as the node at index node sees it, if it can be known.
  std::optional<int> rank(const std::string& value, int node) {
    if (auto found = types_.find(value); found != types_.end()) return rankOf(found->second);
    if (!model_ || inferred_ >= node) return std::nullopt;
    inferNodes(inferred_, node);
    inferred_ = node;
    if (auto found = types_.find(value); found != types_.end()) return rankOf(found->second);
    return std::nullopt;
  }

 private:
  // Shape inference over nodes [first, last), fed the types known so far.
  void inferNodes(int first, int last) {
    onnx::ModelProto chunk;
    chunk.set_ir_version(model_->ir_version());
    *chunk.mutable_opset_import() = model_->opset_import();
    *chunk.mutable_functions() = model_->functions();
    auto* graph = chunk.mutable_graph();
    std::set<std::string> produced, fed;
    for (int index = first; index < last; ++index) {
      const auto& node = graph_.node(index);
      *graph->add_node() = node;
      for (const auto& input : node.input()) {
        if (input.empty() || produced.count(input) || !fed.insert(input).second) continue;
        if (auto init = integerInitializers_.find(input); init != integerInitializers_.end())
          *graph->add_initializer() = *init->second;
        if (auto type = types_.find(input); type != types_.end()) {
          auto* value = graph->add_input();
          value->set_name(input);
          *value->mutable_type() = type->second;
        }
      }
      for (const auto& output : node.output()) {
        produced.insert(output);
        if (auto declared = declared_.find(output); declared != declared_.end())
          *graph->add_value_info() = *declared->second;
      }
    }
    try {
      const onnx::ShapeInferenceOptions options(/*check_type=*/false, /*strict=*/0,
                                                /*data_prop=*/true);
      onnx::shape_inference::InferShapes(chunk, onnx::OpSchemaRegistry::Instance(), options,
                                         &shapeData_);
    } catch (const std::exception&) {
      // Whatever failed here fails again, and is reported, in the loader's own inference.
    }
    for (const auto& value : chunk.graph().value_info())
      if (produced.count(value.name())) types_[value.name()] = value.type();
  }

  const onnx::GraphProto& graph_;
  const onnx::ModelProto* model_;
  std::unordered_map<std::string, onnx::TypeProto> types_;
  std::unordered_map<std::string, const onnx::TensorProto*> integerInitializers_;
  std::unordered_map<std::string, const onnx::ValueInfoProto*> declared_;
  std::unordered_map<std::string, onnx::TensorShapeProto> shapeData_;
  int inferred_ = 0;
};

// One axis-valued attribute of one node, and where to say it is wrong.
struct AxisAttribute {
  const onnx::NodeProto& node;
  const onnx::AttributeProto& attribute;
  std::string place;                 // "model.onnx: node 'ln' (LayerNormalization)"
  std::vector<std::int64_t> values;  // i, or ints
  bool list = false;                 // values came from ints

  std::string label(std::size_t i) const {
    return list ? attribute.name() + "[" + std::to_string(i) + "]" : attribute.name();
  }
};

// Valid axes for an input of rank r are [-span, span-1] shifted by the op's convention:
// Flatten's axis may equal r, OneHot's axis indexes its output (rank r+1), Unsqueeze's axes
// index its output (rank r + number of axes).
std::pair<std::int64_t, std::int64_t> validRange(const AxisAttribute& a, std::int64_t rank) {
  const auto& op = a.node.op_type();
  if (op == "Flatten") return {-rank, rank};
  if (op == "OneHot") return {-rank - 1, rank};
  if (op == "Unsqueeze" && a.attribute.name() == "axes") {
    const auto out = rank + static_cast<std::int64_t>(a.values.size());
    return {-out, out - 1};
  }
  return {-rank, rank - 1};
}

void checkBound(const AxisAttribute& a) {
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (a.values[i] < -kMaxAxisMagnitude || a.values[i] > kMaxAxisMagnitude)
      throw Error(a.place,
                  "attribute " + a.label(i) + " = " + std::to_string(a.values[i]) +
                      " is beyond any tensor's rank (|" + a.attribute.name() +
                      "| must be <= " + std::to_string(kMaxAxisMagnitude) + ")",
                  kFix);
}

// perm must be a permutation of 0..n-1 whatever the rank; n must be the rank where known.
void checkPerm(const AxisAttribute& a, const std::string& input, std::optional<int> rank) {
  std::vector<bool> seen(a.values.size(), false);
  for (const auto value : a.values) {
    if (value < 0 || value >= static_cast<std::int64_t>(a.values.size()) || seen[value])
      throw Error(a.place,
                  "attribute perm = " + listText(a.values) + " is not a permutation of 0.." +
                      std::to_string(static_cast<std::int64_t>(a.values.size()) - 1),
                  kFix);
    seen[value] = true;
  }
  if (rank && static_cast<std::size_t>(*rank) != a.values.size())
    throw Error(a.place,
                "attribute perm = " + listText(a.values) + " has " +
                    std::to_string(a.values.size()) + " entries, but input '" + input +
                    "' has rank " + std::to_string(*rank),
                "perm must be a permutation of 0.." + std::to_string(*rank - 1) + "; " + kFix);
}

void checkRange(const AxisAttribute& a, const std::string& input, int rank) {
  const auto [low, high] = validRange(a, rank);
  std::set<std::int64_t> normalized;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const auto value = a.values[i];
    if (value < low || value > high)
      throw Error(a.place,
                  "attribute " + a.label(i) + " = " + std::to_string(value) +
                      " is out of range for input '" + input + "' of rank " + std::to_string(rank) +
                      (low > high ? " (it has no axis to name)"
                                  : " (valid: " + std::to_string(low) + " to " +
                                        std::to_string(high) + ")"),
                  kFix);
    if (a.attribute.name() == "axes" && !normalized.insert(value < 0 ? value - low : value).second)
      throw Error(a.place,
                  "attribute axes = " + listText(a.values) + " names axis " +
                      std::to_string(value) + " twice (input '" + input + "' has rank " +
                      std::to_string(rank) + ")",
                  kFix);
  }
}

// The inputs an attribute indexes: every input of Concat, the first input otherwise.
std::vector<std::string> indexedInputs(const onnx::NodeProto& node) {
  if (node.input_size() == 0) return {};
  if (node.op_type() == "Concat") return {node.input().begin(), node.input().end()};
  return {node.input(0)};
}

void checkNode(const onnx::NodeProto& node, int index, RankOracle& ranks, const std::string& where);

void checkGraph(const onnx::GraphProto& graph, const onnx::ModelProto* model,
                const std::string& where) {
  RankOracle ranks(graph, model);
  for (int index = 0; index < graph.node_size(); ++index)
    checkNode(graph.node(index), index, ranks, where);
}

void checkNode(const onnx::NodeProto& node, int index, RankOracle& ranks,
               const std::string& where) {
  const std::string name =
      node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
  const std::string place = where + ": node '" + name + "' (" + node.op_type() + ")";
  for (const auto& attribute : node.attribute()) {
    // Subgraphs (If, Loop, Scan) go through shape inference too; their outer-scope values
    // are not known here, so their own inputs and initializers are.
    if (attribute.has_g())
      checkGraph(attribute.g(), nullptr, place + ": attribute " + attribute.name());
    for (const auto& graph : attribute.graphs())
      checkGraph(graph, nullptr, place + ": attribute " + attribute.name());
    if (!kAxisAttributes.count(attribute.name())) continue;
    AxisAttribute a{node, attribute, place, {}, attribute.ints_size() > 0};
    if (a.list)
      a.values.assign(attribute.ints().begin(), attribute.ints().end());
    else if (attribute.has_i())
      a.values.push_back(attribute.i());
    // Exact where the rank is known (ops outside the default domain have no ONNX inference
    // function that could misuse the value), then the bound that holds for any rank.
    if (isDefaultDomain(node.domain())) {
      for (const auto& input : indexedInputs(node)) {
        const auto rank = input.empty() ? std::nullopt : ranks.rank(input, index);
        if (attribute.name() == "perm" && !a.values.empty())  // perm=[]: the default, reversed
          checkPerm(a, input, rank);
        else if (rank)
          checkRange(a, input, *rank);
      }
    }
    checkBound(a);
  }
}

}  // namespace

void validateOnnxAxes(const onnx::ModelProto& model, const std::string& where) {
  checkGraph(model.graph(), &model, where);
}

}  // namespace imuwb::engine
