#pragma once
// The one mapping from ONNX TensorProto element types to engine DTypes, shared by the model
// loader (inputs, outputs, initializers) and the Cast kernel's "to" attribute.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>

#include "engine/Tensor.hpp"

namespace imuwb::engine {

// nullopt for element types the engine does not run (the caller names the type in its error).
inline std::optional<DType> dtypeFromOnnx(std::int64_t elemType) {
  switch (elemType) {
    case onnx::TensorProto::FLOAT:
      return DType::Float32;
    case onnx::TensorProto::DOUBLE:
      return DType::Float64;
    case onnx::TensorProto::INT64:
      return DType::Int64;
    case onnx::TensorProto::INT32:
      return DType::Int32;
    case onnx::TensorProto::BOOL:
      return DType::Bool;
    case onnx::TensorProto::UINT8:
      return DType::Uint8;
    case onnx::TensorProto::INT8:
      return DType::Int8;
    default:
      return std::nullopt;
  }
}

}  // namespace imuwb::engine
