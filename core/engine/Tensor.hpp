#pragma once
// A dense, contiguous, C-order tensor: the value type that crosses the engine's public API
// (model inputs, outputs, taps, initializers). Storage is 64-byte aligned so kernels can use
// wide vector loads; copies are deep.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace imuwb::engine {

enum class DType : std::uint8_t { Float32, Float64, Int64, Int32, Bool, Uint8, Int8 };

std::size_t dtypeSize(DType dtype);
std::string_view dtypeName(DType dtype);  // "float32", "int64", ...

using Shape = std::vector<std::int64_t>;
// The product of the dimensions. Never overflows: a shape with a negative dimension, or whose
// extent (the product with zero dimensions counted as 1) exceeds the tensor_elements limit,
// throws imuwb::Error. Use checkedElementCount to name the place in the message.
std::int64_t elementCount(const Shape& shape);
// As elementCount, but the error names where ("model.onnx: node 'pool1' (MaxPool)") and what
// ("output 0"). Call it on every shape that comes from a file before allocating for it.
std::int64_t checkedElementCount(const Shape& shape, const std::string& where,
                                 std::string_view what);
std::string shapeToString(const Shape& shape);  // "[1,100,9]"

class Tensor {
 public:
  Tensor() = default;
  // Zero-filled tensor of the given dtype and shape.
  Tensor(DType dtype, Shape shape);
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  static Tensor fromFloats(Shape shape, std::span<const float> values);
  static Tensor fromInt64s(Shape shape, std::span<const std::int64_t> values);
  static Tensor scalarFloat(float value) {
    return fromFloats({}, std::span<const float>(&value, 1));
  }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  std::size_t rank() const { return shape_.size(); }
  std::int64_t dim(std::size_t axis) const { return shape_.at(axis); }
  std::int64_t elementCount() const { return count_; }
  std::size_t byteSize() const { return static_cast<std::size_t>(count_) * dtypeSize(dtype_); }
  bool empty() const { return count_ == 0; }

  void* raw() { return data_.get(); }
  const void* raw() const { return data_.get(); }
  // Typed access; throws std::logic_error when T does not match dtype().
  template <class T>
  T* data();
  template <class T>
  const T* data() const;
  std::span<float> floats() { return {data<float>(), static_cast<std::size_t>(count_)}; }
  std::span<const float> floats() const {
    return {data<float>(), static_cast<std::size_t>(count_)};
  }

  // Same data, new shape with the same element count (throws std::logic_error otherwise).
  void reshape(Shape shape);
  // Reallocates (contents zeroed) unless dtype and element count already match.
  void resize(DType dtype, Shape shape);

  // Window i..i+count of the leading dimension, copied out.
  Tensor sliceLeading(std::int64_t begin, std::int64_t count) const;

 private:
  struct AlignedFree {
    void operator()(std::byte* pointer) const;
  };
  DType dtype_ = DType::Float32;
  Shape shape_;
  std::int64_t count_ = 0;
  std::unique_ptr<std::byte[], AlignedFree> data_;
};

// A named tensor, as inputs and outputs are passed around.
struct NamedTensor {
  std::string name;
  Tensor tensor;
};

template <class T>
constexpr DType dtypeOf();
template <>
constexpr DType dtypeOf<float>() {
  return DType::Float32;
}
template <>
constexpr DType dtypeOf<double>() {
  return DType::Float64;
}
template <>
constexpr DType dtypeOf<std::int64_t>() {
  return DType::Int64;
}
template <>
constexpr DType dtypeOf<std::int32_t>() {
  return DType::Int32;
}
template <>
constexpr DType dtypeOf<bool>() {
  return DType::Bool;
}
template <>
constexpr DType dtypeOf<std::uint8_t>() {
  return DType::Uint8;
}
template <>
constexpr DType dtypeOf<std::int8_t>() {
  return DType::Int8;
}

void throwDtypeMismatch(DType have, DType want);

template <class T>
T* Tensor::data() {
  if (dtype_ != dtypeOf<T>()) throwDtypeMismatch(dtype_, dtypeOf<T>());
  return reinterpret_cast<T*>(data_.get());
}
template <class T>
const T* Tensor::data() const {
  if (dtype_ != dtypeOf<T>()) throwDtypeMismatch(dtype_, dtypeOf<T>());
  return reinterpret_cast<const T*>(data_.get());
}

}  // namespace imuwb::engine
