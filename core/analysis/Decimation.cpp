#include "analysis/Decimation.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace imuwb::analysis {

MinMaxPyramid::MinMaxPyramid(StridedChannel channel) : channel_(channel) {
  // Level 0 straight from the samples; each further level from the one below it.
  std::size_t block = kFirstBlock;
  if (channel_.count < block) return;
  std::vector<MinMax> level(channel_.count / block);
  for (std::size_t b = 0; b < level.size(); ++b) level[b] = rawRange(b * block, (b + 1) * block);
  blockSizes_.push_back(block);
  levels_.push_back(std::move(level));
  buildUpperLevels();
}

template <std::size_t Channels>
void MinMaxPyramid::level0Fixed(const float* rows, std::size_t blocks,
                                std::vector<MinMaxPyramid>& out) {
  for (std::size_t b = 0; b < blocks; ++b) {
    std::array<float, Channels> lo, hi;
    lo.fill(std::numeric_limits<float>::infinity());
    hi.fill(-std::numeric_limits<float>::infinity());
    const float* row = rows + b * kFirstBlock * Channels;
    for (std::size_t r = 0; r < kFirstBlock; ++r, row += Channels)
      for (std::size_t c = 0; c < Channels; ++c) {
        // The same comparisons as MinMax::add, so NaN is skipped here too (minps/maxps keep the
        // second operand when either is NaN).
        lo[c] = row[c] < lo[c] ? row[c] : lo[c];
        hi[c] = row[c] > hi[c] ? row[c] : hi[c];
      }
    for (std::size_t c = 0; c < Channels; ++c) out[c].levels_[0][b] = MinMax{lo[c], hi[c]};
  }
}

std::vector<MinMaxPyramid> MinMaxPyramid::buildInterleaved(const float* rows, std::size_t count,
                                                           std::size_t channels) {
  std::vector<MinMaxPyramid> out(channels);
  const std::size_t blocks = count / kFirstBlock;
  for (std::size_t c = 0; c < channels; ++c) {
    out[c].channel_ = StridedChannel{rows + c, count, channels};
    if (blocks == 0) continue;
    out[c].blockSizes_.push_back(kFirstBlock);
    out[c].levels_.emplace_back(blocks);
  }
  if (blocks == 0) return out;
  if (channels == 9) {
    level0Fixed<9>(rows, blocks, out);  // the IMU row: fixed width lets the compiler vectorise
  } else if (channels == 6) {
    level0Fixed<6>(rows, blocks, out);  // a 6-axis IMU row
  } else {
    std::vector<MinMax> block(channels);
    for (std::size_t b = 0; b < blocks; ++b) {
      std::fill(block.begin(), block.end(), MinMax{});
      const float* row = rows + b * kFirstBlock * channels;
      for (std::size_t r = 0; r < kFirstBlock; ++r, row += channels)
        for (std::size_t c = 0; c < channels; ++c) block[c].add(row[c]);
      for (std::size_t c = 0; c < channels; ++c) out[c].levels_[0][b] = block[c];
    }
  }
  for (auto& pyramid : out) pyramid.buildUpperLevels();
  return out;
}

void MinMaxPyramid::buildUpperLevels() {
  std::size_t block = blockSizes_.back();
  while (levels_.back().size() >= kLevelFactor) {
    const auto& below = levels_.back();
    std::vector<MinMax> next(below.size() / kLevelFactor);
    for (std::size_t b = 0; b < next.size(); ++b)
      for (std::size_t k = 0; k < kLevelFactor; ++k) next[b].merge(below[b * kLevelFactor + k]);
    block *= kLevelFactor;
    blockSizes_.push_back(block);
    levels_.push_back(std::move(next));
  }
}

MinMax MinMaxPyramid::rawRange(std::size_t begin, std::size_t end) const {
  MinMax out;
  const float* p = channel_.data + begin * channel_.stride;
  for (std::size_t i = begin; i < end; ++i, p += channel_.stride) out.add(*p);
  return out;
}

MinMax MinMaxPyramid::query(std::size_t begin, std::size_t end) const {
  end = std::min(end, channel_.count);
  if (begin >= end) return {};
  // Climb the levels: at each step take the ragged edges at the current granularity and hand
  // the aligned middle to the next coarser level. Each edge is < one coarse block of fine units.
  MinMax out;
  std::size_t unit = 1;  // current granularity in samples (1 = raw)
  int level = -1;
  auto take = [&](std::size_t from, std::size_t to) {  // [from,to) in samples, multiples of unit
    if (from >= to) return;
    if (level < 0) {
      out.merge(rawRange(from, to));
      return;
    }
    const auto& blocks = levels_[static_cast<std::size_t>(level)];
    for (std::size_t b = from / unit; b < to / unit; ++b) out.merge(blocks[b]);
  };
  while (true) {
    const std::size_t next = static_cast<std::size_t>(level + 1);
    if (next < levels_.size()) {
      const std::size_t coarse = blockSizes_[next];
      const std::size_t alignedBegin = (begin + coarse - 1) / coarse * coarse;
      const std::size_t alignedEnd = std::min(end / coarse, levels_[next].size()) * coarse;
      if (alignedBegin < alignedEnd) {
        take(begin, alignedBegin);
        take(alignedEnd, end);
        begin = alignedBegin;
        end = alignedEnd;
        unit = coarse;
        level = static_cast<int>(next);
        continue;
      }
    }
    take(begin, end);
    return out;
  }
}

std::vector<MinMax> MinMaxPyramid::decimate(std::span<const std::size_t> boundaries) const {
  std::vector<MinMax> out;
  if (boundaries.size() < 2) return out;
  out.reserve(boundaries.size() - 1);
  for (std::size_t k = 0; k + 1 < boundaries.size(); ++k)
    out.push_back(query(boundaries[k], boundaries[k + 1]));
  return out;
}

std::vector<std::size_t> MinMaxPyramid::snapToBlocks(std::vector<std::size_t> boundaries) const {
  if (boundaries.size() < 2) return boundaries;
  std::size_t narrowest = std::numeric_limits<std::size_t>::max();
  for (std::size_t k = 0; k + 1 < boundaries.size(); ++k) {
    if (boundaries[k + 1] < boundaries[k]) return boundaries;  // not a tiling: leave it alone
    narrowest = std::min(narrowest, boundaries[k + 1] - boundaries[k]);
  }
  std::size_t block = 0;
  for (const std::size_t size : blockSizes_)
    if (size * kLevelFactor <= narrowest) block = size;
  if (block == 0) return boundaries;
  for (auto& edge : boundaries) {
    if (edge == 0 || edge >= channel_.count) continue;
    edge = std::min((edge + block / 2) / block * block, channel_.count);
  }
  return boundaries;
}

std::size_t MinMaxPyramid::memoryBytes() const {
  std::size_t bytes = 0;
  for (const auto& level : levels_) bytes += level.size() * sizeof(MinMax);
  return bytes;
}

std::size_t uniformIndexAt(double t_s, double sample_rate_hz, std::size_t count) {
  if (!(t_s > 0)) return 0;  // also catches NaN
  const double index = std::ceil(t_s * sample_rate_hz - 1e-9);
  if (index >= static_cast<double>(count)) return count;
  return static_cast<std::size_t>(index);
}

std::size_t indexAt(double t_s, std::span<const double> time_s) {
  return static_cast<std::size_t>(std::lower_bound(time_s.begin(), time_s.end(), t_s) -
                                  time_s.begin());
}

std::vector<std::size_t> columnBoundaries(double t0_s, double t1_s, int columns,
                                          const std::function<std::size_t(double)>& indexOfTime) {
  std::vector<std::size_t> out;
  if (columns <= 0) return out;
  out.reserve(static_cast<std::size_t>(columns) + 1);
  const double step = (t1_s - t0_s) / columns;
  for (int k = 0; k <= columns; ++k) out.push_back(indexOfTime(t0_s + step * k));
  return out;
}

}  // namespace imuwb::analysis
