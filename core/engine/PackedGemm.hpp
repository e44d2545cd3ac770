#pragma once
// C = A * B for a constant A (conv weights) packed once at plan time into panels of 8 rows; the
// per-run product streams B's rows through a register-tiled micro-kernel chosen for the CPU at
// run time (AVX-512: 8 x 32 tile, AVX2+FMA: 4 x 24, generic: 4 x 8; see engine/isa/). Faster
// than Eigen's general GEMM for the conv shapes of IMU models (K up to ~800, N = windows x steps).
#include <cstdint>
#include <vector>

#include "engine/isa/KernelTable.hpp"

namespace imuwb::engine {

class PackedGemm {
 public:
  static constexpr std::int64_t kPanelRows = 8;

  PackedGemm() = default;
  // a: row-major [rows, depth]. Uses the kernels of activeIsa() (throws if IMUWB_ISA is bad).
  PackedGemm(const float* a, std::int64_t rows, std::int64_t depth);
  // The same with one level's kernels (tests compare levels); throws if the CPU lacks it.
  PackedGemm(const float* a, std::int64_t rows, std::int64_t depth, Isa isa);

  std::int64_t rows() const { return rows_; }
  std::int64_t depth() const { return depth_; }
  Isa isa() const { return kernels_->isa; }
  // C[rowBegin : rowBegin+rowCount, 0:n] = A[rowBegin : ..., :] * B[0:depth, 0:n].
  // b is row-major with leading dimension ldb, c row-major with ldc. rowBegin must be a
  // multiple of kPanelRows (callers splitting work split on panel boundaries).
  void multiply(std::int64_t rowBegin, std::int64_t rowCount, const float* b, std::int64_t ldb,
                std::int64_t n, float* c, std::int64_t ldc) const;

 private:
  PackedGemm(const float* a, std::int64_t rows, std::int64_t depth, const KernelTable& kernels);

  std::int64_t rows_ = 0, depth_ = 0;
  const KernelTable* kernels_ = nullptr;
  std::vector<float> packed_;  // [panel][k][8], zero past the last row
};

}  // namespace imuwb::engine
