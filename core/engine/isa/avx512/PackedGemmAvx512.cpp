// The packed-panel GEMM for AVX-512 (compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq
// -mavx2 -mfma): an 8 x 32 register tile, 16 zmm accumulators, B's rows streamed.
// Only <immintrin.h> and IsaKernels.hpp are included and every helper has internal linkage, so
// nothing compiled here can stand in for generic code elsewhere (see IsaKernels.hpp).
#include <immintrin.h>

#include "engine/isa/IsaKernels.hpp"

namespace imuwb::engine::isa::avx512 {
namespace {

constexpr std::int64_t kPanelRows = 8;

// 8 rows x (16 * kVectors) columns; the last vector's columns are limited by lastMask. Every
// loop has a compile-time trip count so the 8 x kVectors accumulators stay in registers.
template <int kVectors>
inline void microKernel(const float* panel, const float* b, std::int64_t ldb, std::int64_t depth,
                        float* c, std::int64_t ldc, std::int64_t rows, __mmask16 lastMask) {
  __m512 acc[8][kVectors];
#pragma GCC unroll 8
  for (int r = 0; r < 8; ++r)
#pragma GCC unroll 2
    for (int v = 0; v < kVectors; ++v) acc[r][v] = _mm512_setzero_ps();
  for (std::int64_t k = 0; k < depth; ++k) {
    __m512 bv[kVectors];
#pragma GCC unroll 2
    for (int v = 0; v < kVectors - 1; ++v) bv[v] = _mm512_loadu_ps(b + k * ldb + 16 * v);
    bv[kVectors - 1] = _mm512_maskz_loadu_ps(lastMask, b + k * ldb + 16 * (kVectors - 1));
    const float* a = panel + k * 8;
#pragma GCC unroll 8
    for (int r = 0; r < 8; ++r) {
      const __m512 broadcast = _mm512_set1_ps(a[r]);
#pragma GCC unroll 2
      for (int v = 0; v < kVectors; ++v) acc[r][v] = _mm512_fmadd_ps(broadcast, bv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < 8; ++r) {
    if (r >= rows) break;
#pragma GCC unroll 2
    for (int v = 0; v < kVectors - 1; ++v) _mm512_storeu_ps(c + r * ldc + 16 * v, acc[r][v]);
    _mm512_mask_storeu_ps(c + r * ldc + 16 * (kVectors - 1), lastMask, acc[r][kVectors - 1]);
  }
}

}  // namespace

void packedGemm(const float* panels, std::int64_t depth, std::int64_t rows, const float* b,
                std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc) {
  // Column blocks outside, row panels inside: a 32-column block of B stays in cache while
  // every panel of A streams past it.
  for (std::int64_t n0 = 0; n0 < n; n0 += 32) {
    const std::int64_t width = n - n0 < 32 ? n - n0 : 32;
    // The last vector of the block may be partial: mask its columns.
    const std::int64_t lastWidth = width > 16 ? width - 16 : width;
    const auto mask = static_cast<__mmask16>(lastWidth == 16 ? 0xFFFFu : (1u << lastWidth) - 1u);
    for (std::int64_t row = 0; row < rows; row += kPanelRows) {
      const float* panel = panels + (row / kPanelRows) * depth * kPanelRows;
      const std::int64_t panelRows = rows - row < kPanelRows ? rows - row : kPanelRows;
      float* target = c + row * ldc + n0;
      if (width > 16)
        microKernel<2>(panel, b + n0, ldb, depth, target, ldc, panelRows, mask);
      else
        microKernel<1>(panel, b + n0, ldb, depth, target, ldc, panelRows, mask);
    }
  }
}

}  // namespace imuwb::engine::isa::avx512
