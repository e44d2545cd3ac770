// The packed-panel GEMM for AVX2 + FMA (compiled with -mavx2 -mfma): each 8-row panel is done as
// two 4-row halves with a 4 x 24 register tile (12 ymm accumulators + 3 B vectors + 1 broadcast
// = all 16 ymm registers), B's rows streamed. Same product order as the AVX-512 kernel (one FMA
// per k, k ascending), so both give bit-identical results.
// Only <immintrin.h> and IsaKernels.hpp are included and every helper has internal linkage, so
// nothing compiled here can stand in for generic code elsewhere (see IsaKernels.hpp).
#include <immintrin.h>

#include "engine/isa/IsaKernels.hpp"

namespace imuwb::engine::isa::avx2 {
namespace {

constexpr std::int64_t kPanelRows = 8;
constexpr std::int64_t kTileRows = 4;
constexpr std::int64_t kBlockColumns = 24;

// Rows [0, rows) (rows <= 4) of a half panel x (8 * kVectors) columns; when kPartial the last
// vector's columns are limited by lastMask (masked moves are slow on some CPUs: full blocks use
// plain ones). a walks the panel with stride 8 per k.
template <int kVectors, bool kPartial>
inline void microKernel(const float* a, const float* b, std::int64_t ldb, std::int64_t depth,
                        float* c, std::int64_t ldc, std::int64_t rows, __m256i lastMask) {
  __m256 acc[kTileRows][kVectors];
#pragma GCC unroll 4
  for (int r = 0; r < kTileRows; ++r)
#pragma GCC unroll 3
    for (int v = 0; v < kVectors; ++v) acc[r][v] = _mm256_setzero_ps();
  for (std::int64_t k = 0; k < depth; ++k) {
    __m256 bv[kVectors];
#pragma GCC unroll 3
    for (int v = 0; v < kVectors - 1; ++v) bv[v] = _mm256_loadu_ps(b + k * ldb + 8 * v);
    if constexpr (kPartial)
      bv[kVectors - 1] = _mm256_maskload_ps(b + k * ldb + 8 * (kVectors - 1), lastMask);
    else
      bv[kVectors - 1] = _mm256_loadu_ps(b + k * ldb + 8 * (kVectors - 1));
    const float* column = a + k * kPanelRows;
#pragma GCC unroll 4
    for (int r = 0; r < kTileRows; ++r) {
      const __m256 broadcast = _mm256_broadcast_ss(column + r);
#pragma GCC unroll 3
      for (int v = 0; v < kVectors; ++v) acc[r][v] = _mm256_fmadd_ps(broadcast, bv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 4
  for (int r = 0; r < kTileRows; ++r) {
    if (r >= rows) break;
#pragma GCC unroll 3
    for (int v = 0; v < kVectors - 1; ++v) _mm256_storeu_ps(c + r * ldc + 8 * v, acc[r][v]);
    if constexpr (kPartial)
      _mm256_maskstore_ps(c + r * ldc + 8 * (kVectors - 1), lastMask, acc[r][kVectors - 1]);
    else
      _mm256_storeu_ps(c + r * ldc + 8 * (kVectors - 1), acc[r][kVectors - 1]);
  }
}

}  // namespace

void packedGemm(const float* panels, std::int64_t depth, std::int64_t rows, const float* b,
                std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  // Column blocks outside, row panels inside: a 24-column block of B stays in cache while
  // every panel of A streams past it.
  for (std::int64_t n0 = 0; n0 < n; n0 += kBlockColumns) {
    const std::int64_t width = n - n0 < kBlockColumns ? n - n0 : kBlockColumns;
    const int vectors = static_cast<int>((width + 7) / 8);
    const auto lastWidth = static_cast<int>(width - 8 * (vectors - 1));
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(lastWidth), lane);
    for (std::int64_t row = 0; row < rows; row += kTileRows) {
      const float* a = panels + (row / kPanelRows) * depth * kPanelRows + row % kPanelRows;
      const std::int64_t tileRows = rows - row < kTileRows ? rows - row : kTileRows;
      float* target = c + row * ldc + n0;
      if (width == kBlockColumns)
        microKernel<3, false>(a, b + n0, ldb, depth, target, ldc, tileRows, mask);
      else if (vectors == 3)
        microKernel<3, true>(a, b + n0, ldb, depth, target, ldc, tileRows, mask);
      else if (vectors == 2)
        microKernel<2, true>(a, b + n0, ldb, depth, target, ldc, tileRows, mask);
      else
        microKernel<1, true>(a, b + n0, ldb, depth, target, ldc, tileRows, mask);
    }
  }
}

}  // namespace imuwb::engine::isa::avx2
