#include "engine/PackedGemm.hpp"

#include <algorithm>

namespace imuwb::engine {

PackedGemm::PackedGemm(const float* a, std::int64_t rows, std::int64_t depth)
    : PackedGemm(a, rows, depth, kernelTable()) {}

PackedGemm::PackedGemm(const float* a, std::int64_t rows, std::int64_t depth, Isa isa)
    : PackedGemm(a, rows, depth, kernelTableFor(isa)) {}

PackedGemm::PackedGemm(const float* a, std::int64_t rows, std::int64_t depth,
                       const KernelTable& kernels)
    : rows_(rows), depth_(depth), kernels_(&kernels) {
  const std::int64_t panels = (rows + kPanelRows - 1) / kPanelRows;
  packed_.assign(panels * depth * kPanelRows, 0.f);
  for (std::int64_t p = 0; p < panels; ++p)
    for (std::int64_t k = 0; k < depth; ++k)
      for (std::int64_t r = 0; r < kPanelRows; ++r) {
        const std::int64_t row = p * kPanelRows + r;
        if (row < rows) packed_[(p * depth + k) * kPanelRows + r] = a[row * depth + k];
      }
}

void PackedGemm::multiply(std::int64_t rowBegin, std::int64_t rowCount, const float* b,
                          std::int64_t ldb, std::int64_t n, float* c, std::int64_t ldc) const {
  const std::int64_t rows = std::min(rowCount, rows_ - rowBegin);
  if (rows <= 0 || n <= 0) return;
  kernels_->packedGemm(packed_.data() + (rowBegin / kPanelRows) * depth_ * kPanelRows, depth_, rows,
                       b, ldb, n, c, ldc);
}

}  // namespace imuwb::engine
