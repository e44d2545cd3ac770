#pragma once
// Strided element copies shared by the data-movement kernels (Transpose, Slice, Expand) and the
// row-major strides they walk.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/Tensor.hpp"

namespace imuwb::engine {

// Row-major strides (in elements) of a dense tensor of `shape`.
std::vector<std::int64_t> stridesOf(const Shape& shape);

// Copies elements: out[i...] = in[base + sum(i_d * inStride_d)], itemsize bytes each.
void stridedCopy(const std::byte* in, std::byte* out, const Shape& outShape,
                 const std::vector<std::int64_t>& inStrides, std::int64_t base,
                 std::size_t itemSize);

}  // namespace imuwb::engine
