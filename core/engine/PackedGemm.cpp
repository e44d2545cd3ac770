#include "engine/PackedGemm.hpp"

#include <algorithm>

#if defined(__AVX512F__)
#include <immintrin.h>
#else
#include <Eigen/Core>
#endif

namespace imuwb::engine {

PackedGemm::PackedGemm(const float* a, std::int64_t rows, std::int64_t depth)
    : rows_(rows), depth_(depth) {
#if defined(__AVX512F__)
  const std::int64_t panels = (rows + kPanelRows - 1) / kPanelRows;
  packed_.assign(panels * depth * kPanelRows, 0.f);
  for (std::int64_t p = 0; p < panels; ++p)
    for (std::int64_t k = 0; k < depth; ++k)
      for (std::int64_t r = 0; r < kPanelRows; ++r) {
        const std::int64_t row = p * kPanelRows + r;
        if (row < rows) packed_[(p * depth + k) * kPanelRows + r] = a[row * depth + k];
      }
#else
  original_.assign(a, a + rows * depth);
#endif
}

#if defined(__AVX512F__)
namespace {

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
#endif

void PackedGemm::multiply(std::int64_t rowBegin, std::int64_t rowCount, const float* b,
                          std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc) const {
#if defined(__AVX512F__)
  const std::int64_t rowEnd = std::min(rows_, rowBegin + rowCount);
  // Column blocks outside, row panels inside: a 32-column block of B stays in cache while
  // every panel of A streams past it.
  for (std::int64_t n0 = 0; n0 < n; n0 += 32) {
    const std::int64_t width = std::min<std::int64_t>(32, n - n0);
    for (std::int64_t row = rowBegin; row < rowEnd; row += kPanelRows) {
      const float* panel = packed_.data() + (row / kPanelRows) * depth_ * kPanelRows;
      const std::int64_t rows = std::min(kPanelRows, rowEnd - row);
      float* target = c + (row - rowBegin) * ldc + n0;
      // The last vector of the block may be partial: mask its columns.
      const std::int64_t lastWidth = width > 16 ? width - 16 : width;
      const auto mask = static_cast<__mmask16>(lastWidth == 16 ? 0xFFFFu : (1u << lastWidth) - 1u);
      if (width > 16)
        microKernel<2>(panel, b + n0, ldb, depth_, target, ldc, rows, mask);
      else
        microKernel<1>(panel, b + n0, ldb, depth_, target, ldc, rows, mask);
    }
  }
#else
  using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Stride = Eigen::OuterStride<>;
  const std::int64_t count = std::min(rowCount, rows_ - rowBegin);
  Eigen::Map<const RowMatrix> a(original_.data() + rowBegin * depth_, count, depth_);
  Eigen::Map<const RowMatrix, 0, Stride> bm(b, depth_, n, Stride(ldb));
  Eigen::Map<RowMatrix, 0, Stride> cm(c, count, n, Stride(ldc));
  cm.noalias() = a * bm;
#endif
}

}  // namespace imuwb::engine
