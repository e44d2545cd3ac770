#include "engine/kernels/StridedCopy.hpp"

#include <cstring>

#include "engine/Kernel.hpp"

namespace imuwb::engine {

std::vector<std::int64_t> stridesOf(const Shape& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

void stridedCopy(const std::byte* in, std::byte* out, const Shape& outShape,
                 const std::vector<std::int64_t>& inStrides, std::int64_t base,
                 std::size_t itemSize) {
  const std::int64_t total = elementCount(outShape);
  if (total == 0) return;
  const int rank = static_cast<int>(outShape.size());
  if (rank == 0) {
    std::memcpy(out, in + base * itemSize, itemSize);
    return;
  }
  DimIndex index;
  const std::int64_t inner = outShape[rank - 1];
  const std::int64_t innerStride = inStrides[rank - 1];
  std::int64_t offset = base;
  for (std::int64_t done = 0; done < total; done += inner) {
    if (innerStride == 1) {
      std::memcpy(out, in + offset * itemSize, inner * itemSize);
      out += inner * itemSize;
    } else if (itemSize == 4) {
      const float* source = reinterpret_cast<const float*>(in) + offset;
      float* target = reinterpret_cast<float*>(out);
      for (std::int64_t i = 0; i < inner; ++i) target[i] = source[i * innerStride];
      out += inner * 4;
    } else {
      for (std::int64_t i = 0; i < inner; ++i, out += itemSize)
        std::memcpy(out, in + (offset + i * innerStride) * itemSize, itemSize);
    }
    for (int d = rank - 2; d >= 0; --d) {
      offset += inStrides[d];
      if (++index[d] < outShape[d]) break;
      offset -= inStrides[d] * outShape[d];
      index[d] = 0;
    }
  }
}

}  // namespace imuwb::engine
