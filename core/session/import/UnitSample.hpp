#pragma once
// The rows unit detection looks at, in bounded memory: blocks of 50 rows (the stillness
// window of UnitConversion, so windows of the sample are windows of the file) spread evenly
// over the file. While the file has at most kBlocks blocks, every row is kept and detection
// sees exactly what it would on the whole file; past that, every other kept block is dropped
// and only every 2nd, 4th, ... block of the file is kept from then on.
#include <array>
#include <cstddef>
#include <vector>

#include "common/Channels.hpp"

namespace imuwb {

class UnitSample {
 public:
  static constexpr std::size_t kBlockRows = 50;
  static constexpr std::size_t kBlocks = 4096;  // 204 800 rows a device at most

  // Reserves the sample's full size up front (pages are only touched as rows arrive).
  explicit UnitSample(std::size_t devices = 0);

  // Whether row (0-based, in file order) is kept; call before add() for that row.
  bool keeps(std::size_t row);
  // One device's values of the kept row: 9 channels, NaN where the file has none.
  void add(std::size_t device, const std::array<float, kChannelCount>& values);

  // Row-major [rows, 9] of one device.
  const std::vector<float>& rows(std::size_t device) const { return rows_[device]; }
  std::size_t rowCount() const { return rows_.empty() ? 0 : rows_[0].size() / kChannelCount; }
  bool everyRow() const { return stride_ == 1; }

 private:
  void halve();
  std::vector<std::vector<float>> rows_;
  std::vector<std::size_t> blocks_;  // file block of each kept block, in order
  std::size_t stride_ = 1;
};

}  // namespace imuwb
