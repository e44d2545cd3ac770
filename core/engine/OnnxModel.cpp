#include "engine/OnnxModel.hpp"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/Error.hpp"
#include "common/SafeRead.hpp"
#include "common/Sha256.hpp"
#include "engine/LegacyOpset.hpp"
#include "engine/OnnxAxisValidation.hpp"
#include "engine/OnnxDType.hpp"
#include "engine/OnnxValidation.hpp"

namespace fs = std::filesystem;

namespace imuwb::engine {
namespace {

constexpr std::int64_t kMinIrVersion = 3;
constexpr std::int64_t kMaxIrVersion = 8;  // what libonnx 1.12 understands

std::string onnxTypeName(int elemType) {
  return onnx::TensorProto::DataType_IsValid(elemType)
             ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(elemType))
             : "type " + std::to_string(elemType);
}

ValueInfo toValueInfo(const onnx::ValueInfoProto& proto) {
  ValueInfo info;
  info.name = proto.name();
  if (!proto.type().has_tensor_type()) {
    info.dtypeSupported = false;
    return info;
  }
  const auto& tensorType = proto.type().tensor_type();
  if (auto dtype = dtypeFromOnnx(tensorType.elem_type()))
    info.dtype = *dtype;
  else
    info.dtypeSupported = false;
  if (tensorType.has_shape()) {
    info.shapeKnown = true;
    for (const auto& dim : tensorType.shape().dim()) {
      Dim d;
      if (dim.has_dim_value()) d.value = dim.dim_value();
      if (dim.has_dim_param()) d.symbol = dim.dim_param();
      info.shape.push_back(d);
    }
  }
  return info;
}

// Bounded by the model_bytes limit, regular files only (a FIFO or /dev/zero would block or
// never end).
std::string readFileBytes(const fs::path& path) {
  return readFileBounded(path, "model", limits::kModelBytes);
}

// External data must stay inside the model's folder: a model file is not allowed to make the
// workbench read arbitrary files (../../etc/passwd, absolute paths, symlinks out).
fs::path resolveExternalData(const onnx::TensorProto& tensor, const fs::path& modelDir,
                             const std::string& where, std::int64_t& offset, std::int64_t& length) {
  std::string location;
  offset = 0;
  length = -1;
  for (const auto& entry : tensor.external_data()) {
    if (entry.key() == "location") location = entry.value();
    auto number = [&](const std::string& text) {
      try {
        std::size_t used = 0;
        const long long value = std::stoll(text, &used);
        if (used != text.size() || value < 0) throw std::invalid_argument(text);
        return static_cast<std::int64_t>(value);
      } catch (const std::exception&) {
        throw Error(
            where,
            "external data " + entry.key() + " '" + text + "' is not a non-negative whole number",
            "re-export the model");
      }
    };
    if (entry.key() == "offset") offset = number(entry.value());
    if (entry.key() == "length") length = number(entry.value());
  }
  if (location.empty())
    throw Error(where, "external data without a 'location'", "re-export the model");
  const fs::path relative(location);
  if (relative.is_absolute())
    throw Error(where, "external data path '" + location + "' is absolute",
                "external data must be a relative path inside the model's folder");
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(modelDir.empty() ? fs::path(".") : modelDir, ec);
  const fs::path resolved = fs::weakly_canonical(base / relative, ec);
  const auto baseText = base.string() + "/";
  if (ec || resolved.string().compare(0, baseText.size(), baseText) != 0)
    throw Error(where, "external data path '" + location + "' points outside the model's folder",
                "keep the external data file next to the .onnx (no '..' or symlinks out)");
  return resolved;
}

// A BOOL tensor's raw bytes may hold anything; any nonzero byte is true (as numpy and ONNX
// Runtime read it), stored as 1, since loading another value as a C++ bool is undefined.
void normalizeBools(Tensor& tensor) {
  if (tensor.dtype() != DType::Bool) return;
  auto* bytes = static_cast<unsigned char*>(tensor.raw());
  for (std::size_t i = 0; i < tensor.byteSize(); ++i) bytes[i] = bytes[i] != 0;
}

template <class Src, class Dst>
void convertInto(const Src& source, Dst* target, std::int64_t count) {
  for (std::int64_t i = 0; i < count; ++i) target[i] = static_cast<Dst>(source.Get(i));
}

}  // namespace

std::string ValueInfo::shapeText() const {
  if (!shapeKnown) return "[?]";
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ',';
    text += shape[i].fixed() ? std::to_string(shape[i].value)
                             : (shape[i].symbol.empty() ? "?" : shape[i].symbol);
  }
  return text + "]";
}

Tensor decodeTensorProto(const onnx::TensorProto& proto, const fs::path& modelDir,
                         const std::string& where) {
  const auto dtype = dtypeFromOnnx(proto.data_type());
  if (!dtype)
    throw Error(where,
                "tensor '" + proto.name() + "' has element type " +
                    onnxTypeName(proto.data_type()) + ", which the engine does not support",
                "supported: FLOAT, DOUBLE, INT64, INT32, INT8, UINT8, BOOL");
  Shape shape(proto.dims().begin(), proto.dims().end());
  for (auto dim : shape)
    if (dim < 0) throw Error(where, "tensor '" + proto.name() + "' has a negative dimension");
  const auto claimed = checkedElementCount(shape, where, "tensor '" + proto.name() + "'");
  if (proto.data_location() != onnx::TensorProto::EXTERNAL) {
    validateTensorProto(proto, where);
  } else {
    // The external file must hold the bytes before they are reserved.
    std::int64_t offset = 0, length = -1;
    const fs::path file = resolveExternalData(proto, modelDir, where, offset, length);
    requireRegularFile(file, "external data");
    std::error_code ec;
    const auto fileSize = fs::file_size(file, ec);
    const auto need = static_cast<std::uintmax_t>(claimed) * dtypeSize(*dtype);
    if (ec || static_cast<std::uintmax_t>(offset) > fileSize || need > fileSize - offset)
      throw Error(where,
                  "tensor '" + proto.name() + "' needs " + std::to_string(need) +
                      " bytes at offset " + std::to_string(offset) + " of '" + file.string() +
                      "', which holds " + std::to_string(ec ? 0 : fileSize),
                  "the external data file is truncated or belongs to another model");
  }
  Tensor tensor(*dtype, shape);
  const std::int64_t count = tensor.elementCount();
  const std::size_t bytes = tensor.byteSize();
  auto mismatch = [&](std::size_t have) {
    return Error(where,
                 "tensor '" + proto.name() + "' holds " + std::to_string(have) + " bytes but " +
                     shapeToString(shape) + " " + std::string(dtypeName(*dtype)) + " needs " +
                     std::to_string(bytes),
                 "the file is truncated or corrupt; re-export it");
  };
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    std::int64_t offset = 0, length = -1;
    const fs::path file = resolveExternalData(proto, modelDir, where, offset, length);
    std::ifstream in(file, std::ios::binary);
    if (!in)
      throw Error(where, "external data file '" + file.string() + "' cannot be opened",
                  "keep it next to the model");
    if (length >= 0 && static_cast<std::size_t>(length) != bytes) throw mismatch(length);
    in.seekg(offset);
    in.read(static_cast<char*>(tensor.raw()), static_cast<std::streamsize>(bytes));
    if (static_cast<std::size_t>(in.gcount()) != bytes) throw mismatch(in.gcount());
    normalizeBools(tensor);
    return tensor;
  }
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != bytes) throw mismatch(proto.raw_data().size());
    if (bytes) std::memcpy(tensor.raw(), proto.raw_data().data(), bytes);
    normalizeBools(tensor);
    return tensor;
  }
  auto checkCount = [&](int have) {
    if (have != count) throw mismatch(static_cast<std::size_t>(have) * dtypeSize(*dtype));
  };
  switch (*dtype) {
    case DType::Float32:
      checkCount(proto.float_data_size());
      convertInto(proto.float_data(), tensor.data<float>(), count);
      break;
    case DType::Float64:
      checkCount(proto.double_data_size());
      convertInto(proto.double_data(), tensor.data<double>(), count);
      break;
    case DType::Int64:
      checkCount(proto.int64_data_size());
      convertInto(proto.int64_data(), tensor.data<std::int64_t>(), count);
      break;
    case DType::Int32:
      checkCount(proto.int32_data_size());
      convertInto(proto.int32_data(), tensor.data<std::int32_t>(), count);
      break;
    case DType::Bool:
      checkCount(proto.int32_data_size());
      convertInto(proto.int32_data(), tensor.data<bool>(), count);
      break;
    case DType::Uint8:
      checkCount(proto.int32_data_size());
      convertInto(proto.int32_data(), tensor.data<std::uint8_t>(), count);
      break;
    case DType::Int8:
      checkCount(proto.int32_data_size());
      convertInto(proto.int32_data(), tensor.data<std::int8_t>(), count);
      break;
  }
  return tensor;
}

Tensor OnnxModel::initializer(const std::string& name) const {
  for (const auto& init : proto_->graph().initializer())
    if (init.name() == name)
      return decodeTensorProto(init, path_.parent_path(),
                               path_.string() + ": initializer '" + name + "'");
  throw Error(path_.string(), "no initializer named '" + name + "'");
}

std::int64_t OnnxModel::parameterCount() const {
  std::int64_t total = 0;
  for (const auto& init : initializers_)
    if (init.dtype == DType::Float32 || init.dtype == DType::Float64)
      total += elementCount(init.shape);
  return total;
}

namespace {

// Ops from another domain (ai.onnx.ml for scikit-learn exports, com.microsoft contrib ops)
// are named with their domain before anything else: no version or re-export advice fits them.
void refuseForeignDomains(const onnx::ModelProto& proto, const std::string& where) {
  std::map<std::string, std::set<std::string>> foreign;
  for (const auto& node : proto.graph().node())
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      foreign[node.domain()].insert(node.op_type());
  if (foreign.empty()) return;
  std::string text;
  for (const auto& [domain, ops] : foreign) {
    std::string names;
    for (const auto& op : ops) names += (names.empty() ? "" : ", ") + op;
    text += (text.empty() ? "" : "; ") + ("op domain '" + domain + "' (" + names + ")");
  }
  throw Error(where, "uses ops outside the default ONNX domain: " + text,
              "the engine runs the default ONNX domain (ai.onnx) only; run models with "
              "ai.onnx.ml or vendor ops in ONNX Runtime");
}

}  // namespace

OnnxModel loadOnnxModel(const fs::path& path) {
  const std::string where = path.string();
  const std::string bytes = readFileBytes(path);
  if (bytes.empty()) throw Error(where, "the file is empty", "re-export the model");
  auto proto = std::make_shared<onnx::ModelProto>();
  if (!proto->ParseFromString(bytes))
    throw Error(where, "is not a valid ONNX protobuf (corrupt or truncated file)",
                "re-export the model or copy it again");
  if (!proto->has_graph() || proto->graph().node_size() == 0)
    throw Error(where, "holds no graph nodes (truncated or not an ONNX model)",
                "re-export the model");

  OnnxModel model;
  model.path_ = path;
  model.sha256_ = sha256Hex(bytes.data(), bytes.size());
  model.irVersion_ = proto->ir_version();
  model.producer_ = proto->producer_name() +
                    (proto->producer_version().empty() ? "" : " " + proto->producer_version());
  model.graphName_ = proto->graph().name();

  // Versions, dims, initializer sizes and attributes, before the checker and shape inference
  // (which trust them: strides=[0] raised SIGFPE inside inference).
  validateOnnxModel(*proto, where);
  refuseForeignDomains(*proto, where);
  if (model.irVersion_ < kMinIrVersion || model.irVersion_ > kMaxIrVersion)
    throw Error(where, "IR version " + std::to_string(model.irVersion_) + " is not supported",
                "supported IR versions are " + std::to_string(kMinIrVersion) + " to " +
                    std::to_string(kMaxIrVersion) + "; re-export with an older exporter/opset");
  bool haveDefaultDomain = false;
  for (const auto& import : proto->opset_import()) {
    if (import.domain().empty() || import.domain() == "ai.onnx") {
      model.opset_ = import.version();
      haveDefaultDomain = true;
    }
  }
  if (!haveDefaultDomain)
    throw Error(where, "declares no opset for the default ONNX domain", "re-export the model");
  if (model.opset_ < kMinSupportedOpset && model.opset_ >= 1)
    checkLegacyOpset(*proto, model.opset_, where);
  else if (model.opset_ < kMinSupportedOpset || model.opset_ > kMaxSupportedOpset)
    throw Error(where, "opset " + std::to_string(model.opset_) + " is not supported",
                "supported opsets are " + std::to_string(kMinSupportedOpset) + " to " +
                    std::to_string(kMaxSupportedOpset) + "; export with opset_version=17 or lower");

  // Validate external data locations before the checker or anything else touches them.
  const fs::path modelDir = path.parent_path();
  bool externalData = false;
  for (const auto& init : proto->graph().initializer())
    if (init.data_location() == onnx::TensorProto::EXTERNAL) {
      externalData = true;
      std::int64_t offset = 0, length = -1;
      resolveExternalData(init, modelDir, where + ": initializer '" + init.name() + "'", offset,
                          length);
    }

  try {
    // The path form resolves external data relative to the model's folder (checked above).
    if (externalData)
      onnx::checker::check_model(path.string());
    else
      onnx::checker::check_model(*proto);
  } catch (const std::exception& error) {
    throw Error(where, std::string("fails the ONNX checker: ") + error.what(),
                "fix the exporter settings or re-export the model");
  }
  // Axis attributes against the ranks they index: inference trusts them (LayerNormalization
  // with axis=-2817 segfaulted inside it).
  validateOnnxAxes(*proto, where);
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/false, /*strict=*/0,
                                        /*data_prop=*/true);
    onnx::shape_inference::InferShapes(*proto, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& error) {
    throw Error(where, std::string("ONNX shape inference failed: ") + error.what(),
                "the graph has inconsistent shapes; re-export it");
  }

  const auto& graph = proto->graph();
  std::set<std::string> initializerNames;
  for (const auto& init : graph.initializer()) {
    initializerNames.insert(init.name());
    InitializerInfo info;
    info.name = init.name();
    info.dtype = dtypeFromOnnx(init.data_type()).value_or(DType::Float32);
    info.shape.assign(init.dims().begin(), init.dims().end());
    model.initializers_.push_back(info);
  }
  for (const auto& input : graph.input())
    if (!initializerNames.count(input.name())) model.inputs_.push_back(toValueInfo(input));
  for (const auto& output : graph.output()) model.outputs_.push_back(toValueInfo(output));
  for (const auto& value : graph.value_info()) model.inferred_[value.name()] = toValueInfo(value);
  int index = 0;
  for (const auto& node : graph.node()) {
    NodeInfo info;
    info.name = node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name();
    info.opType = node.op_type();
    info.domain = node.domain();
    info.inputs.assign(node.input().begin(), node.input().end());
    info.outputs.assign(node.output().begin(), node.output().end());
    model.nodes_.push_back(std::move(info));
    ++index;
  }
  for (const auto& input : model.inputs_)
    if (!input.dtypeSupported)
      throw Error(where + ": input '" + input.name + "'", "has a type the engine does not support",
                  "inputs must be float32, float64, int64, int32, int8, uint8 or bool tensors");
  model.proto_ = std::move(proto);
  return model;
}

}  // namespace imuwb::engine
