#include "engine/NpyTensor.hpp"

#include <cstring>

#include "common/Error.hpp"
#include "io/Npy.hpp"

namespace imuwb::engine {
namespace {

DType toDType(io::NpyDType dtype) {
  switch (dtype) {
    case io::NpyDType::Float32:
      return DType::Float32;
    case io::NpyDType::Float64:
      return DType::Float64;
    case io::NpyDType::Int64:
      return DType::Int64;
    case io::NpyDType::Int32:
      return DType::Int32;
    case io::NpyDType::Int8:
      return DType::Int8;
    case io::NpyDType::Uint8:
      return DType::Uint8;
    case io::NpyDType::Bool:
      return DType::Bool;
  }
  return DType::Float32;
}

io::NpyDType toNpy(DType dtype) {
  switch (dtype) {
    case DType::Float32:
      return io::NpyDType::Float32;
    case DType::Float64:
      return io::NpyDType::Float64;
    case DType::Int64:
      return io::NpyDType::Int64;
    case DType::Int32:
      return io::NpyDType::Int32;
    case DType::Int8:
      return io::NpyDType::Int8;
    case DType::Uint8:
      return io::NpyDType::Uint8;
    case DType::Bool:
      return io::NpyDType::Bool;
  }
  return io::NpyDType::Float32;
}

template <class T>
void toFloats(const Tensor& source, float* target) {
  const T* values = source.data<T>();
  for (std::int64_t i = 0; i < source.elementCount(); ++i)
    target[i] = static_cast<float>(values[i]);
}

}  // namespace

Tensor readNpyTensor(const std::filesystem::path& path) {
  io::NpyArray array = io::readNpy(path);
  Tensor tensor(toDType(array.dtype), array.shape);
  if (!array.bytes.empty()) std::memcpy(tensor.raw(), array.bytes.data(), array.bytes.size());
  return tensor;
}

Tensor readNpyAsFloat32(const std::filesystem::path& path) {
  Tensor tensor = readNpyTensor(path);
  if (tensor.dtype() == DType::Float32) return tensor;
  Tensor result(DType::Float32, tensor.shape());
  float* target = result.data<float>();
  switch (tensor.dtype()) {
    case DType::Float64:
      toFloats<double>(tensor, target);
      break;
    case DType::Int64:
      toFloats<std::int64_t>(tensor, target);
      break;
    case DType::Int32:
      toFloats<std::int32_t>(tensor, target);
      break;
    case DType::Int8:
      toFloats<std::int8_t>(tensor, target);
      break;
    case DType::Uint8:
      toFloats<std::uint8_t>(tensor, target);
      break;
    case DType::Bool:
      toFloats<bool>(tensor, target);
      break;
    case DType::Float32:
      break;
  }
  return result;
}

void writeNpyTensor(const std::filesystem::path& path, const Tensor& tensor) {
  io::writeNpy(path, toNpy(tensor.dtype()), tensor.shape(), tensor.raw());
}

}  // namespace imuwb::engine
