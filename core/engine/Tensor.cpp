#include "engine/Tensor.hpp"

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"

namespace imuwb::engine {

std::size_t dtypeSize(DType dtype) {
  switch (dtype) {
    case DType::Float32:
      return 4;
    case DType::Float64:
      return 8;
    case DType::Int64:
      return 8;
    case DType::Int32:
      return 4;
    case DType::Bool:
      return 1;
    case DType::Uint8:
      return 1;
    case DType::Int8:
      return 1;
  }
  return 1;
}

std::string_view dtypeName(DType dtype) {
  switch (dtype) {
    case DType::Float32:
      return "float32";
    case DType::Float64:
      return "float64";
    case DType::Int64:
      return "int64";
    case DType::Int32:
      return "int32";
    case DType::Bool:
      return "bool";
    case DType::Uint8:
      return "uint8";
    case DType::Int8:
      return "int8";
  }
  return "?";
}

std::int64_t checkedElementCount(const Shape& shape, const std::string& where,
                                 std::string_view what) {
  const std::uint64_t limit = limits::value(limits::kTensorElements);
  std::uint64_t extent = 1;
  bool anyZero = false;
  for (auto dim : shape) {
    if (dim < 0)
      throw Error(where, std::string(what) + " has a negative dimension in " + shapeToString(shape),
                  "the model or file is corrupt; re-export it");
    anyZero = anyZero || dim == 0;
    // Zero dimensions count as 1 so that [0, 2^62] cannot hide a loop over 2^62 empty rows.
    if (__builtin_mul_overflow(extent, static_cast<std::uint64_t>(dim ? dim : 1), &extent) ||
        extent > limit)
      throw Error(where,
                  std::string(what) + " has shape " + shapeToString(shape) +
                      ", more elements than the tensor_elements limit of " + std::to_string(limit),
                  "the model or file is corrupt or hostile; if it is genuine, raise the limit "
                  "with IMUWB_LIMIT_TENSOR_ELEMENTS=N");
  }
  return anyZero ? 0 : static_cast<std::int64_t>(extent);
}

std::int64_t elementCount(const Shape& shape) {
  return checkedElementCount(shape, "tensor", "the tensor");
}

std::string shapeToString(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) text += ',';
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

void throwDtypeMismatch(DType have, DType want) {
  throw std::logic_error("tensor holds " + std::string(dtypeName(have)) + ", accessed as " +
                         std::string(dtypeName(want)));
}

void Tensor::AlignedFree::operator()(std::byte* pointer) const {
  ::operator delete[](pointer, std::align_val_t{64});
}

namespace {
constexpr std::size_t kAlignment = 64;
}

Tensor::Tensor(DType dtype, Shape shape) {
  resize(dtype, std::move(shape));
}

Tensor::Tensor(const Tensor& other) : dtype_(other.dtype_), shape_(other.shape_) {
  count_ = other.count_;
  const std::size_t bytes = byteSize();
  // Always allocate at least one element so raw() is never null.
  data_.reset(static_cast<std::byte*>(
      ::operator new[](bytes ? bytes : kAlignment, std::align_val_t{kAlignment})));
  if (bytes) std::memcpy(data_.get(), other.data_.get(), bytes);
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) {
    Tensor copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Tensor Tensor::fromFloats(Shape shape, std::span<const float> values) {
  Tensor tensor(DType::Float32, std::move(shape));
  if (static_cast<std::int64_t>(values.size()) != tensor.count_)
    throw std::logic_error("fromFloats: " + std::to_string(values.size()) + " values for shape " +
                           shapeToString(tensor.shape_));
  if (!values.empty()) std::memcpy(tensor.raw(), values.data(), values.size() * sizeof(float));
  return tensor;
}

Tensor Tensor::fromInt64s(Shape shape, std::span<const std::int64_t> values) {
  Tensor tensor(DType::Int64, std::move(shape));
  if (static_cast<std::int64_t>(values.size()) != tensor.count_)
    throw std::logic_error("fromInt64s: " + std::to_string(values.size()) + " values for shape " +
                           shapeToString(tensor.shape_));
  if (!values.empty()) std::memcpy(tensor.raw(), values.data(), values.size() * 8);
  return tensor;
}

void Tensor::reshape(Shape shape) {
  for (auto dim : shape)
    if (dim < 0) throw std::logic_error("reshape to a negative dimension " + shapeToString(shape));
  if (engine::elementCount(shape) != count_)
    throw std::logic_error("reshape " + shapeToString(shape_) + " -> " + shapeToString(shape));
  shape_ = std::move(shape);
}

void Tensor::resize(DType dtype, Shape shape) {
  const std::int64_t count = engine::elementCount(shape);
  const bool fits = data_ && dtype == dtype_ && count == count_;
  dtype_ = dtype;
  shape_ = std::move(shape);
  if (fits) return;
  count_ = count;
  const std::size_t bytes = byteSize();
  data_.reset(static_cast<std::byte*>(
      ::operator new[](bytes ? bytes : kAlignment, std::align_val_t{kAlignment})));
  std::memset(data_.get(), 0, bytes ? bytes : kAlignment);
}

Tensor Tensor::sliceLeading(std::int64_t begin, std::int64_t count) const {
  if (shape_.empty() || begin < 0 || count < 0 || begin > shape_[0] || count > shape_[0] - begin)
    throw std::logic_error("sliceLeading out of range");
  Shape shape = shape_;
  shape[0] = count;
  Tensor slice(dtype_, shape);
  const std::size_t rowBytes = shape_[0] ? byteSize() / shape_[0] : 0;
  if (count) std::memcpy(slice.raw(), data_.get() + begin * rowBytes, count * rowBytes);
  return slice;
}

}  // namespace imuwb::engine
