#include "session/import/UnitSample.hpp"

#include <algorithm>

namespace imuwb {

UnitSample::UnitSample(std::size_t devices) : rows_(devices) {
  for (auto& rows : rows_) rows.reserve(kBlocks * kBlockRows * kChannelCount);
}

bool UnitSample::keeps(std::size_t row) {
  const std::size_t block = row / kBlockRows;
  if (block % stride_ != 0) return false;
  if (blocks_.empty() || blocks_.back() != block) {
    if (blocks_.size() == kBlocks) {
      halve();
      if (block % stride_ != 0) return false;
    }
    blocks_.push_back(block);
  }
  return true;
}

void UnitSample::add(std::size_t device, const std::array<float, kChannelCount>& values) {
  rows_[device].insert(rows_[device].end(), values.begin(), values.end());
}

// Keeps the blocks at multiples of twice the stride. Every kept block but the last is full.
void UnitSample::halve() {
  stride_ *= 2;
  const std::size_t width = kBlockRows * kChannelCount;
  for (auto& rows : rows_) {
    std::size_t out = 0;
    for (std::size_t k = 0; k < blocks_.size(); ++k) {
      if (blocks_[k] % stride_ != 0) continue;
      const std::size_t begin = k * width, end = std::min(rows.size(), begin + width);
      std::copy(rows.begin() + static_cast<std::ptrdiff_t>(begin),
                rows.begin() + static_cast<std::ptrdiff_t>(end),
                rows.begin() + static_cast<std::ptrdiff_t>(out));
      out += end - begin;
    }
    rows.resize(out);
  }
  blocks_.erase(std::remove_if(blocks_.begin(), blocks_.end(),
                               [&](std::size_t b) { return b % stride_ != 0; }),
                blocks_.end());
}

}  // namespace imuwb
