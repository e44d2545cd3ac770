#include "engine/OnnxValidation.hpp"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <set>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "engine/OnnxDType.hpp"
#include "engine/Tensor.hpp"

namespace imuwb::engine {
namespace {

// Plausible bounds of the version fields: anything outside is a corrupt header, not a newer
// exporter (ONNX IR versions are single digits, opsets two digits).
constexpr std::int64_t kMaxPlausibleVersion = 1000;
// Windowed-op attributes stay far below this; the bound keeps (k-1)*d and in+pads in int64.
constexpr std::int64_t kMaxWindowValue = INT32_MAX;

// Attributes that are a size, a step or a count wherever ONNX uses them: they must be >= 1
// (strides=[0] divides by zero inside shape inference, kernel_shape=[-5] pools nothing).
const std::set<std::string> kPositiveInts = {"kernel_shape", "strides", "dilations", "blocksize"};
// Ops whose "pads" are non-negative paddings (Pad-2's "pads" may crop, so it is not listed).
const std::set<std::string> kWindowedOps = {"Conv",        "ConvTranspose", "ConvInteger",
                                            "QLinearConv", "MaxPool",       "AveragePool",
                                            "LpPool",      "MaxUnpool",     "DeformConv"};

std::string valueText(std::int64_t value) {
  return std::to_string(value);
}

// How many values the typed field of tensor's dtype holds (float_data, int64_data, ...); the
// narrow integer types and bool are stored in int32_data.
int typedEntryCount(const onnx::TensorProto& tensor) {
  switch (tensor.data_type()) {
    case onnx::TensorProto::FLOAT:
      return tensor.float_data_size();
    case onnx::TensorProto::DOUBLE:
      return tensor.double_data_size();
    case onnx::TensorProto::INT64:
      return tensor.int64_data_size();
    default:
      return tensor.int32_data_size();
  }
}

// The data a tensor holds (bytes of raw_data, or typed values) is not what its dims need.
[[noreturn]] void throwDataMismatch(const onnx::TensorProto& tensor, const std::string& where,
                                    const std::string& held, const Shape& shape,
                                    std::uint64_t needed) {
  throw Error(where,
              "tensor '" + tensor.name() + "' holds " + held + " but its dims " +
                  shapeToString(shape) + " need " + std::to_string(needed),
              "the file is truncated or corrupt; re-export it");
}

void checkVersion(std::int64_t version, const std::string& where, const std::string& field) {
  if (version < 1 || version > kMaxPlausibleVersion)
    throw Error(where,
                field + " is " + valueText(version) +
                    ", which is not a valid ONNX version number (the file's header is corrupt)",
                "re-export the model; valid IR versions are 3 to 8 and opsets 7 to 17 here");
}

void checkWindowAttributes(const onnx::NodeProto& node, const std::string& where) {
  const bool windowed = kWindowedOps.count(node.op_type()) > 0;
  for (const auto& attribute : node.attribute()) {
    const std::string& name = attribute.name();
    const bool positive = kPositiveInts.count(name) > 0;
    const bool pads = windowed && name == "pads";
    if (positive || pads) {
      auto check = [&](std::int64_t value, const std::string& label) {
        const std::int64_t lowest = positive ? 1 : 0;
        if (value < lowest || value > kMaxWindowValue)
          throw Error(where,
                      "attribute " + label + " = " + valueText(value) + ", must be >= " +
                          valueText(lowest) + (value > kMaxWindowValue ? " and <= 2^31-1" : ""),
                      "fix the exporter settings and re-export the model");
      };
      for (int i = 0; i < attribute.ints_size(); ++i)
        check(attribute.ints(i), name + "[" + std::to_string(i) + "]");
      if (attribute.type() == onnx::AttributeProto::INT) check(attribute.i(), name);
    }
    if (name == "group" && (node.op_type() == "Conv" || node.op_type() == "ConvTranspose") &&
        attribute.i() < 1)
      throw Error(where, "attribute group = " + valueText(attribute.i()) + ", must be >= 1",
                  "re-export the model");
  }
}

void validateGraph(const onnx::GraphProto& graph, const std::string& where);

void validateNode(const onnx::NodeProto& node, int index, const std::string& where) {
  const std::string name =
      node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
  const std::string place = where + ": node '" + name + "' (" + node.op_type() + ")";
  checkWindowAttributes(node, place);
  for (const auto& attribute : node.attribute()) {
    const std::string label = place + ": attribute " + attribute.name();
    if (attribute.has_t()) validateTensorProto(attribute.t(), label);
    for (const auto& tensor : attribute.tensors()) validateTensorProto(tensor, label);
    // Subgraphs (If, Loop, Scan) go through shape inference as well.
    if (attribute.has_g()) validateGraph(attribute.g(), label);
    for (const auto& graph : attribute.graphs()) validateGraph(graph, label);
  }
}

void validateValueInfo(const onnx::ValueInfoProto& value, const std::string& where) {
  if (!value.type().has_tensor_type() || !value.type().tensor_type().has_shape()) return;
  Shape shape;
  const auto& dims = value.type().tensor_type().shape().dim();
  for (int d = 0; d < dims.size(); ++d) {
    if (!dims[d].has_dim_value()) {
      shape.push_back(1);  // symbolic: bounded when the planner fixes it
      continue;
    }
    if (dims[d].dim_value() < 0)
      throw Error(where + " '" + value.name() + "'",
                  "dimension " + std::to_string(d) + " is " + valueText(dims[d].dim_value()) +
                      "; dimensions must be >= 0",
                  "re-export the model with valid shapes");
    shape.push_back(dims[d].dim_value());
  }
  checkedElementCount(shape, where + " '" + value.name() + "'", "the declared shape");
}

void validateGraph(const onnx::GraphProto& graph, const std::string& where) {
  for (const auto& init : graph.initializer())
    validateTensorProto(init, where + ": initializer '" + init.name() + "'");
  for (const auto& value : graph.input()) validateValueInfo(value, where + ": input");
  for (const auto& value : graph.output()) validateValueInfo(value, where + ": output");
  for (const auto& value : graph.value_info()) validateValueInfo(value, where + ": value");
  for (int index = 0; index < graph.node_size(); ++index)
    validateNode(graph.node(index), index, where);
}

}  // namespace

void validateTensorProto(const onnx::TensorProto& tensor, const std::string& where) {
  Shape shape;
  for (int d = 0; d < tensor.dims_size(); ++d) {
    if (tensor.dims(d) < 0)
      throw Error(where,
                  "tensor '" + tensor.name() + "' has dimension " + std::to_string(d) + " = " +
                      valueText(tensor.dims(d)) + "; dimensions must be >= 0",
                  "the file is corrupt; re-export it");
    shape.push_back(tensor.dims(d));
  }
  const auto count = static_cast<std::uint64_t>(checkedElementCount(shape, where, "the tensor"));
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) return;  // checked when decoded
  if (tensor.has_raw_data()) {
    const std::size_t item = onnxRawItemSize(tensor.data_type());
    if (item && tensor.raw_data().size() != count * item)
      throwDataMismatch(tensor, where,
                        std::to_string(tensor.raw_data().size()) + " bytes of raw_data", shape,
                        count * item);
    return;
  }
  // Typed fields are checked for the types the engine runs (one entry per element).
  if (dtypeFromOnnx(tensor.data_type()) &&
      static_cast<std::uint64_t>(typedEntryCount(tensor)) != count)
    throwDataMismatch(tensor, where, std::to_string(typedEntryCount(tensor)) + " values", shape,
                      count);
}

void validateOnnxModel(const onnx::ModelProto& model, const std::string& where) {
  checkVersion(model.ir_version(), where, "the IR version");
  for (int i = 0; i < model.opset_import_size(); ++i) {
    const auto& import = model.opset_import(i);
    const std::string domain = import.domain().empty() ? "ai.onnx" : import.domain();
    checkVersion(import.version(), where,
                 "opset_import[" + std::to_string(i) + "] (domain '" + domain + "') version");
  }
  validateGraph(model.graph(), where);
}

}  // namespace imuwb::engine
