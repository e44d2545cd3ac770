#include "convert/GraphEdit.hpp"

#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cstring>

namespace imuwb::convert {

const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& attribute : node.attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

Ints intsAttribute(const onnx::NodeProto& node, const std::string& name, Ints fallback) {
  const auto* attribute = findAttribute(node, name);
  if (!attribute) return fallback;
  return {attribute->ints().begin(), attribute->ints().end()};
}

std::int64_t intAttribute(const onnx::NodeProto& node, const std::string& name,
                          std::int64_t fallback) {
  const auto* attribute = findAttribute(node, name);
  return attribute ? attribute->i() : fallback;
}

std::string stringAttribute(const onnx::NodeProto& node, const std::string& name) {
  const auto* attribute = findAttribute(node, name);
  return attribute ? attribute->s() : std::string();
}

namespace {
onnx::AttributeProto* mutableAttribute(onnx::NodeProto& node, const std::string& name,
                                       onnx::AttributeProto::AttributeType type) {
  for (auto& attribute : *node.mutable_attribute())
    if (attribute.name() == name) {
      attribute.Clear();
      attribute.set_name(name);
      attribute.set_type(type);
      return &attribute;
    }
  auto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(type);
  return attribute;
}
}  // namespace

void setIntsAttribute(onnx::NodeProto& node, const std::string& name, const Ints& values) {
  auto* attribute = mutableAttribute(node, name, onnx::AttributeProto::INTS);
  for (auto value : values) attribute->add_ints(value);
}

void setIntAttribute(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
  mutableAttribute(node, name, onnx::AttributeProto::INT)->set_i(value);
}

void removeAttribute(onnx::NodeProto& node, const std::string& name) {
  auto* attributes = node.mutable_attribute();
  for (int i = 0; i < attributes->size(); ++i)
    if (attributes->Get(i).name() == name) {
      attributes->DeleteSubrange(i, 1);
      return;
    }
}

std::string nodeName(const onnx::GraphProto& graph, int index) {
  const auto& node = graph.node(index);
  return node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
}

void nameUnnamedNodes(onnx::GraphProto& graph) {
  for (int n = 0; n < graph.node_size(); ++n)
    if (graph.node(n).name().empty())
      graph.mutable_node(n)->set_name(freshName(graph, nodeName(graph, n)));
}

const onnx::TensorProto* constantTensor(const onnx::GraphProto& graph, const std::string& name) {
  if (name.empty()) return nullptr;
  for (const auto& initializer : graph.initializer())
    if (initializer.name() == name) return &initializer;
  for (const auto& node : graph.node())
    if (node.op_type() == "Constant" && node.output_size() == 1 && node.output(0) == name)
      if (const auto* value = findAttribute(node, "value"); value && value->has_t())
        return &value->t();
  return nullptr;
}

Ints tensorInts(const onnx::TensorProto& tensor) {
  Ints values;
  if (tensor.data_type() == onnx::TensorProto::INT64) {
    if (tensor.has_raw_data()) {
      values.resize(tensor.raw_data().size() / sizeof(std::int64_t));
      std::memcpy(values.data(), tensor.raw_data().data(), values.size() * sizeof(std::int64_t));
    } else {
      values.assign(tensor.int64_data().begin(), tensor.int64_data().end());
    }
  } else if (tensor.data_type() == onnx::TensorProto::INT32) {
    if (tensor.has_raw_data()) {
      std::vector<std::int32_t> raw(tensor.raw_data().size() / sizeof(std::int32_t));
      std::memcpy(raw.data(), tensor.raw_data().data(), raw.size() * sizeof(std::int32_t));
      values.assign(raw.begin(), raw.end());
    } else {
      values.assign(tensor.int32_data().begin(), tensor.int32_data().end());
    }
  }
  return values;
}

std::optional<Ints> constantInts(const onnx::GraphProto& graph, const std::string& name) {
  const auto* tensor = constantTensor(graph, name);
  if (!tensor || (tensor->data_type() != onnx::TensorProto::INT64 &&
                  tensor->data_type() != onnx::TensorProto::INT32))
    return std::nullopt;
  return tensorInts(*tensor);
}

std::vector<float> tensorFloats(const onnx::TensorProto& tensor) {
  std::vector<float> values;
  if (tensor.has_raw_data()) {
    values.resize(tensor.raw_data().size() / sizeof(float));
    std::memcpy(values.data(), tensor.raw_data().data(), values.size() * sizeof(float));
  } else {
    values.assign(tensor.float_data().begin(), tensor.float_data().end());
  }
  return values;
}

void setTensorFloats(onnx::TensorProto& tensor, const Ints& dims,
                     const std::vector<float>& values) {
  tensor.clear_dims();
  for (auto dim : dims) tensor.add_dims(dim);
  tensor.clear_float_data();
  tensor.set_data_type(onnx::TensorProto::FLOAT);
  tensor.set_raw_data(
      std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
}

onnx::TensorProto* mutableInitializer(onnx::GraphProto& graph, const std::string& name) {
  for (auto& initializer : *graph.mutable_initializer())
    if (initializer.name() == name) return &initializer;
  return nullptr;
}

std::string addIntsInitializer(onnx::GraphProto& graph, const std::string& base,
                               const Ints& values) {
  const auto name = freshName(graph, base);
  auto* tensor = graph.add_initializer();
  tensor->set_name(name);
  tensor->set_data_type(onnx::TensorProto::INT64);
  tensor->add_dims(static_cast<std::int64_t>(values.size()));
  for (auto value : values) tensor->add_int64_data(value);
  return name;
}

std::string addFloatInitializer(onnx::GraphProto& graph, const std::string& base, const Ints& dims,
                                const std::vector<float>& values) {
  const auto name = freshName(graph, base);
  auto* tensor = graph.add_initializer();
  tensor->set_name(name);
  setTensorFloats(*tensor, dims, values);
  return name;
}

std::string freshName(const onnx::GraphProto& graph, const std::string& base) {
  std::set<std::string> used;
  for (const auto& node : graph.node()) {
    used.insert(node.name());
    used.insert(node.input().begin(), node.input().end());
    used.insert(node.output().begin(), node.output().end());
  }
  for (const auto& initializer : graph.initializer()) used.insert(initializer.name());
  for (const auto& value : graph.input()) used.insert(value.name());
  for (const auto& value : graph.output()) used.insert(value.name());
  if (!used.count(base)) return base;
  for (int n = 1;; ++n)
    if (auto name = base + "_" + std::to_string(n); !used.count(name)) return name;
}

std::map<std::string, std::vector<Use>> consumers(const onnx::GraphProto& graph) {
  std::map<std::string, std::vector<Use>> uses;
  for (int n = 0; n < graph.node_size(); ++n)
    for (int slot = 0; slot < graph.node(n).input_size(); ++slot)
      if (!graph.node(n).input(slot).empty()) uses[graph.node(n).input(slot)].push_back({n, slot});
  return uses;
}

std::map<std::string, int> producers(const onnx::GraphProto& graph) {
  std::map<std::string, int> byTensor;
  for (int n = 0; n < graph.node_size(); ++n)
    for (const auto& output : graph.node(n).output()) byTensor[output] = n;
  return byTensor;
}

bool isGraphOutput(const onnx::GraphProto& graph, const std::string& name) {
  return std::any_of(graph.output().begin(), graph.output().end(),
                     [&](const auto& value) { return value.name() == name; });
}

bool isGraphInput(const onnx::GraphProto& graph, const std::string& name) {
  return std::any_of(graph.input().begin(), graph.input().end(),
                     [&](const auto& value) { return value.name() == name; });
}

std::map<std::string, Ints> inferShapes(const onnx::ModelProto& model) {
  onnx::ModelProto copy = model;
  copy.mutable_graph()->clear_value_info();
  onnx::ShapeInferenceOptions options(/*check_type=*/false, /*strict=*/0, /*data_prop=*/true);
  onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), options);
  std::map<std::string, Ints> shapes;
  auto take = [&](const onnx::ValueInfoProto& value) {
    if (!value.type().has_tensor_type() || !value.type().tensor_type().has_shape()) return;
    Ints dims;
    for (const auto& dim : value.type().tensor_type().shape().dim())
      dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    shapes[value.name()] = dims;
  };
  for (const auto& value : copy.graph().input()) take(value);
  for (const auto& value : copy.graph().value_info()) take(value);
  for (const auto& value : copy.graph().output()) take(value);
  for (const auto& initializer : copy.graph().initializer())
    shapes[initializer.name()] = Ints(initializer.dims().begin(), initializer.dims().end());
  return shapes;
}

void removeNodes(onnx::GraphProto& graph, const std::set<int>& indices) {
  google::protobuf::RepeatedPtrField<onnx::NodeProto> kept;
  for (int n = 0; n < graph.node_size(); ++n)
    if (!indices.count(n)) *kept.Add() = std::move(*graph.mutable_node(n));
  graph.mutable_node()->Swap(&kept);
}

onnx::NodeProto* insertNode(onnx::GraphProto& graph, int at, const onnx::NodeProto& node) {
  auto* nodes = graph.mutable_node();
  *nodes->Add() = node;
  for (int i = nodes->size() - 1; i > at; --i) nodes->SwapElements(i, i - 1);
  return nodes->Mutable(at);
}

void removeDeadNodes(onnx::GraphProto& graph) {
  for (bool changed = true; changed;) {
    changed = false;
    const auto uses = consumers(graph);
    std::set<int> dead;
    for (int n = 0; n < graph.node_size(); ++n) {
      bool live = false;
      for (const auto& output : graph.node(n).output())
        if (!output.empty() && (uses.count(output) || isGraphOutput(graph, output))) live = true;
      if (!live) dead.insert(n);
    }
    if (!dead.empty()) {
      removeNodes(graph, dead);
      changed = true;
    }
  }
  const auto uses = consumers(graph);
  google::protobuf::RepeatedPtrField<onnx::TensorProto> kept;
  for (auto& initializer : *graph.mutable_initializer())
    if (uses.count(initializer.name()) || isGraphOutput(graph, initializer.name()))
      *kept.Add() = std::move(initializer);
  graph.mutable_initializer()->Swap(&kept);
}

void sortTopologically(onnx::GraphProto& graph) {
  const auto made = producers(graph);
  std::vector<int> waiting(graph.node_size(), 0);
  std::vector<std::vector<int>> next(graph.node_size());
  for (int n = 0; n < graph.node_size(); ++n)
    for (const auto& input : graph.node(n).input())
      if (auto found = made.find(input); found != made.end() && found->second != n) {
        ++waiting[n];
        next[found->second].push_back(n);
      }
  std::set<int> ready;  // by file position, so untouched parts keep their order
  for (int n = 0; n < graph.node_size(); ++n)
    if (!waiting[n]) ready.insert(n);
  std::vector<int> order;
  while (!ready.empty()) {
    const int n = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(n);
    for (int m : next[n])
      if (--waiting[m] == 0) ready.insert(m);
  }
  if (order.size() != static_cast<std::size_t>(graph.node_size())) return;  // a cycle: leave it
  google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
  for (int n : order) *sorted.Add() = graph.node(n);
  graph.mutable_node()->Swap(&sorted);
}

}  // namespace imuwb::convert
