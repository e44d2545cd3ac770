#pragma once
// C = A * B for a constant A (conv weights) packed once at plan time into panels of 8 rows,
// with an AVX-512 micro-kernel (8 rows x 32 columns, 16 accumulators) that streams B's rows.
// Faster than Eigen's general GEMM for the conv shapes of IMU models (K up to ~800, N = windows
// x time steps). Without AVX-512 it falls back to Eigen, so results stay correct everywhere.
#include <cstdint>
#include <vector>

namespace imuwb::engine {

class PackedGemm {
 public:
  static constexpr std::int64_t kPanelRows = 8;

  PackedGemm() = default;
  // a: row-major [rows, depth].
  PackedGemm(const float* a, std::int64_t rows, std::int64_t depth);

  std::int64_t rows() const { return rows_; }
  std::int64_t depth() const { return depth_; }
  // C[rowBegin : rowBegin+rowCount, 0:n] = A[rowBegin : ..., :] * B[0:depth, 0:n].
  // b is row-major with leading dimension ldb, c row-major with ldc. rowBegin must be a
  // multiple of kPanelRows (callers splitting work split on panel boundaries).
  void multiply(std::int64_t rowBegin, std::int64_t rowCount, const float* b, std::int64_t ldb,
                std::int64_t n, float* c, std::int64_t ldc) const;

 private:
  std::int64_t rows_ = 0, depth_ = 0;
  std::vector<float> packed_;    // [panel][k][8]
  std::vector<float> original_;  // row-major copy for the non-AVX-512 fallback
};

}  // namespace imuwb::engine
