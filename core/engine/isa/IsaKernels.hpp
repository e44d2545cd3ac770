#pragma once
// The entry points of the per-ISA kernels. Each level's kernels live in their own namespace and
// their own translation units, compiled with that level's -m flags (core/CMakeLists.txt).
//
// This header is the ONLY project header those translation units include, and it holds nothing
// inline: an inline function or template instantiated in an AVX-512 translation unit is a weak
// symbol the linker may pick for every caller, so AVX-512 code would run on a CPU without it
// (the ODR trap). The build checks the ISA objects define no weak symbols (cmake/CheckIsaObjects).
#include <cstdint>

namespace imuwb::engine::isa {

// C[0:rows, 0:n] = A * B, with A packed by PackedGemm into panels of 8 rows ([panel][k][8],
// zero-padded past `rows`); B row-major [depth, n] with leading dimension ldb; C row-major with
// leading dimension ldc. Writes only C's first `rows` rows and `n` columns.
using PackedGemmFn = void (*)(const float* panels, std::int64_t depth, std::int64_t rows,
                              const float* b, std::int64_t ldb, std::int64_t n, float* c,
                              std::int64_t ldc);

namespace generic {
void packedGemm(const float* panels, std::int64_t depth, std::int64_t rows, const float* b,
                std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc);
}
namespace avx2 {
void packedGemm(const float* panels, std::int64_t depth, std::int64_t rows, const float* b,
                std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc);
}
namespace avx512 {
void packedGemm(const float* panels, std::int64_t depth, std::int64_t rows, const float* b,
                std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc);
}

}  // namespace imuwb::engine::isa
