#pragma once
// The one table of ONNX TensorProto element types: their size in raw_data and the engine DType
// each maps to, shared by the model loader (inputs, outputs, initializers), the file validation
// (raw_data sizes) and the Cast kernel's "to" attribute.
#include <onnx/onnx_pb.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "engine/Tensor.hpp"

namespace imuwb::engine {

struct OnnxElementType {
  std::int64_t onnxType;
  std::size_t rawBytes;        // bytes per element in raw_data
  std::optional<DType> dtype;  // nullopt: stored in files, but the engine does not run it
};

inline constexpr std::array<OnnxElementType, 15> kOnnxElementTypes = {{
    {onnx::TensorProto::FLOAT, 4, DType::Float32},
    {onnx::TensorProto::DOUBLE, 8, DType::Float64},
    {onnx::TensorProto::INT64, 8, DType::Int64},
    {onnx::TensorProto::INT32, 4, DType::Int32},
    {onnx::TensorProto::BOOL, 1, DType::Bool},
    {onnx::TensorProto::UINT8, 1, DType::Uint8},
    {onnx::TensorProto::INT8, 1, DType::Int8},
    {onnx::TensorProto::UINT32, 4, std::nullopt},
    {onnx::TensorProto::UINT64, 8, std::nullopt},
    {onnx::TensorProto::COMPLEX64, 8, std::nullopt},
    {onnx::TensorProto::COMPLEX128, 16, std::nullopt},
    {onnx::TensorProto::INT16, 2, std::nullopt},
    {onnx::TensorProto::UINT16, 2, std::nullopt},
    {onnx::TensorProto::FLOAT16, 2, std::nullopt},
    {onnx::TensorProto::BFLOAT16, 2, std::nullopt},
}};

// The table's row for elemType, or nullptr for types of no fixed size (string, undefined...).
inline const OnnxElementType* onnxElementType(std::int64_t elemType) {
  for (const auto& row : kOnnxElementTypes)
    if (row.onnxType == elemType) return &row;
  return nullptr;
}

// nullopt for element types the engine does not run (the caller names the type in its error).
inline std::optional<DType> dtypeFromOnnx(std::int64_t elemType) {
  const auto* row = onnxElementType(elemType);
  return row ? row->dtype : std::nullopt;
}

// Bytes per element of raw_data, or 0 for types whose size is not fixed (string...).
inline std::size_t onnxRawItemSize(std::int64_t elemType) {
  const auto* row = onnxElementType(elemType);
  return row ? row->rawBytes : 0;
}

}  // namespace imuwb::engine
