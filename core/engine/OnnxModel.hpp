#pragma once
// An ONNX model read through libonnx: parsed, checked (onnx::checker), shape-inferred, with its
// IR version and opset validated. This is the engine's view of a model file; the manifest and
// the deployment-contract checks live in core/model and build on it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/Tensor.hpp"

namespace onnx {
class ModelProto;
class TensorProto;
}  // namespace onnx

namespace imuwb::engine {

// One dimension of a declared shape: a fixed size, or a symbol ("batch") / unknown.
struct Dim {
  std::int64_t value = -1;  // -1 when not fixed
  std::string symbol;       // dim_param, empty when fixed or anonymous
  bool fixed() const { return value >= 0; }
};

struct ValueInfo {
  std::string name;
  DType dtype = DType::Float32;
  bool dtypeSupported = true;  // false for ONNX types the engine has no DType for (string, fp16)
  std::vector<Dim> shape;
  bool shapeKnown = false;        // false when the rank itself is unknown
  std::string shapeText() const;  // "[1,100,9]" or "[batch,100,9]"
};

struct NodeInfo {
  std::string name;  // the ONNX node name; "<OpType>_<index>" when the file leaves it empty
  std::string opType;
  std::string domain;
  std::vector<std::string> inputs;  // "" for an omitted optional input
  std::vector<std::string> outputs;
};

struct InitializerInfo {
  std::string name;
  DType dtype = DType::Float32;
  Shape shape;
};

// The supported range of the default ONNX domain.
inline constexpr std::int64_t kMinSupportedOpset = 7;
inline constexpr std::int64_t kMaxSupportedOpset = 17;

class OnnxModel {
 public:
  const std::filesystem::path& path() const { return path_; }
  const std::string& sha256() const { return sha256_; }  // of the .onnx file's bytes
  std::int64_t irVersion() const { return irVersion_; }
  std::int64_t opset() const { return opset_; }              // default ("" / "ai.onnx") domain
  const std::string& producer() const { return producer_; }  // "pytorch 2.8.0"
  const std::string& graphName() const { return graphName_; }

  // Graph inputs exclude initializers (old exporters list initializers as inputs too).
  const std::vector<ValueInfo>& inputs() const { return inputs_; }
  const std::vector<ValueInfo>& outputs() const { return outputs_; }
  // Nodes in file order (ONNX requires topological order; the planner does not rely on it).
  const std::vector<NodeInfo>& nodes() const { return nodes_; }
  const std::vector<InitializerInfo>& initializers() const { return initializers_; }
  // Shapes that shape inference found for intermediate values, by tensor name.
  const std::map<std::string, ValueInfo>& inferredValues() const { return inferred_; }

  // Decodes one initializer (raw_data or typed fields, or external data). Throws imuwb::Error.
  Tensor initializer(const std::string& name) const;
  std::int64_t parameterCount() const;  // elements over all float initializers

  // The parsed (and shape-inferred) protobuf, for code that needs attributes.
  const onnx::ModelProto& proto() const { return *proto_; }

 private:
  friend OnnxModel loadOnnxModel(const std::filesystem::path& path);
  std::filesystem::path path_;
  std::string sha256_;
  std::int64_t irVersion_ = 0;
  std::int64_t opset_ = 0;
  std::string producer_;
  std::string graphName_;
  std::vector<ValueInfo> inputs_;
  std::vector<ValueInfo> outputs_;
  std::vector<NodeInfo> nodes_;
  std::vector<InitializerInfo> initializers_;
  std::map<std::string, ValueInfo> inferred_;
  std::shared_ptr<const onnx::ModelProto> proto_;
};

// Reads, checks and shape-infers an ONNX file. External data must live inside the model's folder.
// Throws imuwb::Error (naming the file and what is wrong) for a missing, corrupt or truncated
// file, a checker failure, an unsupported IR version or opset, or unsafe external data.
OnnxModel loadOnnxModel(const std::filesystem::path& path);

// Decodes an onnx::TensorProto (used by the loader and the planner for Constant nodes).
// modelDir resolves external data; where names the place for errors.
Tensor decodeTensorProto(const onnx::TensorProto& tensorProto,
                         const std::filesystem::path& modelDir, const std::string& where);

}  // namespace imuwb::engine
