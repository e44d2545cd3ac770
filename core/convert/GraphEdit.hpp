#pragma once
// Small edits on an ONNX graph (onnx::GraphProto) that every rewrite shares: attributes,
// constants (initializers and Constant nodes), consumers, fresh names, inferred shapes and the
// removal of nodes nothing reads any more. Only the rewrites include this header (it needs the
// ONNX protobuf headers); the rest of the workbench sees convert/Convert.hpp.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace imuwb::convert {

using Ints = std::vector<std::int64_t>;

const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name);
Ints intsAttribute(const onnx::NodeProto& node, const std::string& name, Ints fallback = {});
std::int64_t intAttribute(const onnx::NodeProto& node, const std::string& name,
                          std::int64_t fallback);
std::string stringAttribute(const onnx::NodeProto& node, const std::string& name);
void setIntsAttribute(onnx::NodeProto& node, const std::string& name, const Ints& values);
void setIntAttribute(onnx::NodeProto& node, const std::string& name, std::int64_t value);
void removeAttribute(onnx::NodeProto& node, const std::string& name);

// "Conv '/net/conv1'" style name of a node: its name, or "<op>_<index>" when unnamed.
std::string nodeName(const onnx::GraphProto& graph, int index);

// Names every unnamed node "<op>_<index>" (its position now, as the engine and `imuwb check` call
// it), so the names the log reports stay those of the original graph. Every rewrite calls it
// first; it changes nothing on a graph whose nodes are named.
void nameUnnamedNodes(onnx::GraphProto& graph);

// The constant behind a tensor name: an initializer or a Constant node's value; null otherwise.
const onnx::TensorProto* constantTensor(const onnx::GraphProto& graph, const std::string& name);
std::optional<Ints> constantInts(const onnx::GraphProto& graph, const std::string& name);
// A float32 tensor's values (raw_data or float_data).
std::vector<float> tensorFloats(const onnx::TensorProto& tensor);
Ints tensorInts(const onnx::TensorProto& tensor);  // int64 or int32
void setTensorFloats(onnx::TensorProto& tensor, const Ints& dims, const std::vector<float>& values);
onnx::TensorProto* mutableInitializer(onnx::GraphProto& graph, const std::string& name);
// Adds an int64 initializer under a fresh name derived from base; returns the name.
std::string addIntsInitializer(onnx::GraphProto& graph, const std::string& base,
                               const Ints& values);
std::string addFloatInitializer(onnx::GraphProto& graph, const std::string& base, const Ints& dims,
                                const std::vector<float>& values);

// A name no node output, input, initializer or graph value uses yet.
std::string freshName(const onnx::GraphProto& graph, const std::string& base);

struct Use {
  int node;  // index in graph.node()
  int slot;  // input index
};
std::map<std::string, std::vector<Use>> consumers(const onnx::GraphProto& graph);
std::map<std::string, int> producers(const onnx::GraphProto& graph);  // tensor -> node index
bool isGraphOutput(const onnx::GraphProto& graph, const std::string& name);
bool isGraphInput(const onnx::GraphProto& graph, const std::string& name);

// Inferred static shapes (onnx shape inference on a copy): tensor -> dims (-1 unknown).
std::map<std::string, Ints> inferShapes(const onnx::ModelProto& model);

// Removes the nodes at these indices, keeping the others' order.
void removeNodes(onnx::GraphProto& graph, const std::set<int>& indices);
// Inserts node before position `at` (its order in the file stays topological).
onnx::NodeProto* insertNode(onnx::GraphProto& graph, int at, const onnx::NodeProto& node);
// Drops nodes no output depends on and initializers nothing reads (repeatedly).
void removeDeadNodes(onnx::GraphProto& graph);
// Sorts the nodes topologically (Kahn, stable), after rewrites that inserted nodes anywhere.
void sortTopologically(onnx::GraphProto& graph);

}  // namespace imuwb::convert
