// The packed-panel GEMM for any x86-64 (baseline SSE2, the flags of the rest of the build): plain
// loops over a 4 x 8 tile that the compiler vectorises. Without FMA each step rounds the product
// and the sum separately, so results differ from the AVX2/AVX-512 kernels in the last bits.
#include "engine/isa/IsaKernels.hpp"

namespace imuwb::engine::isa::generic {
namespace {

constexpr std::int64_t kPanelRows = 8;
constexpr std::int64_t kTileRows = 4;
constexpr std::int64_t kTileColumns = 8;

// Rows [0, rows) (rows <= 4) of a half panel x `width` (<= 8) columns; a walks the panel with
// stride 8 per k. A full-width tile has compile-time bounds so the accumulators stay in registers.
template <bool kFullWidth>
void tile(const float* a, const float* b, std::int64_t ldb, std::int64_t depth, float* c,
          std::int64_t ldc, std::int64_t rows, std::int64_t width) {
  const std::int64_t columns = kFullWidth ? kTileColumns : width;
  float acc[kTileRows][kTileColumns] = {};
  for (std::int64_t k = 0; k < depth; ++k) {
    const float* column = a + k * kPanelRows;
    const float* bRow = b + k * ldb;
    for (std::int64_t r = 0; r < kTileRows; ++r)
      for (std::int64_t j = 0; j < columns; ++j) acc[r][j] += column[r] * bRow[j];
  }
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t j = 0; j < columns; ++j) c[r * ldc + j] = acc[r][j];
}

}  // namespace

void packedGemm(const float* panels, std::int64_t depth, std::int64_t rows, const float* b,
                std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc) {
  for (std::int64_t n0 = 0; n0 < n; n0 += kTileColumns) {
    const std::int64_t width = n - n0 < kTileColumns ? n - n0 : kTileColumns;
    for (std::int64_t row = 0; row < rows; row += kTileRows) {
      const float* a = panels + (row / kPanelRows) * depth * kPanelRows + row % kPanelRows;
      const std::int64_t tileRows = rows - row < kTileRows ? rows - row : kTileRows;
      float* target = c + row * ldc + n0;
      if (width == kTileColumns)
        tile<true>(a, b + n0, ldb, depth, target, ldc, tileRows, width);
      else
        tile<false>(a, b + n0, ldb, depth, target, ldc, tileRows, width);
    }
  }
}

}  // namespace imuwb::engine::isa::generic
