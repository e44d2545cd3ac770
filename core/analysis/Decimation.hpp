#pragma once
// Min/max-per-pixel-column decimation for plotting long recordings (as Qwt and PlotJuggler do).
// A plot of N samples on W pixel columns only needs, per column, the smallest and largest value;
// drawing a vertical stroke from min to max per column looks identical to drawing every sample
// and never loses a spike. MinMaxPyramid precomputes block extremes at several block sizes so a
// 24 h channel (8.6 M samples) decimates in well under a millisecond at any zoom level, and each
// column's extremes are exact (edges are completed from finer levels, down to raw samples).
#include <cstddef>
#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace imuwb::analysis {

struct MinMax {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  bool empty() const { return !(min <= max); }  // no finite sample (or only NaN) in the range
  void add(float value) {
    if (value < min) min = value;  // NaN compares false and is skipped
    if (value > max) max = value;
  }
  void merge(const MinMax& other) {
    if (other.min < min) min = other.min;
    if (other.max > max) max = other.max;
  }
};

// A strided view of one channel inside interleaved rows: value(i) = data[i * stride].
struct StridedChannel {
  const float* data = nullptr;
  std::size_t count = 0;
  std::size_t stride = 1;
  float at(std::size_t i) const { return data[i * stride]; }
};

class MinMaxPyramid {
 public:
  static constexpr std::size_t kFirstBlock = 32;  // level 0 block size, in samples
  static constexpr std::size_t kLevelFactor = 8;  // each level's block is 8 blocks of the last

  MinMaxPyramid() = default;
  // Scans the channel once. The pyramid keeps a view of the data, not a copy: the caller
  // keeps the samples alive (and unchanged) for the pyramid's lifetime.
  explicit MinMaxPyramid(StridedChannel channel);

  // All channels of interleaved rows ([count, channels] row-major) in one pass over memory:
  // much faster than one strided pass per channel on long recordings.
  static std::vector<MinMaxPyramid> buildInterleaved(const float* rows, std::size_t count,
                                                     std::size_t channels);

  std::size_t size() const { return channel_.count; }
  // Exact extremes of samples [begin, end), clamped to the data.
  MinMax query(std::size_t begin, std::size_t end) const;
  // One MinMax per column; column k covers samples [boundaries[k], boundaries[k+1]).
  std::vector<MinMax> decimate(std::span<const std::size_t> boundaries) const;
  // Zoomed out, a column covers thousands of samples. Moving each column edge to the nearest
  // edge of the coarsest block that fits 8 times into the narrowest column lets query() answer
  // from block extremes alone, without touching raw samples (strided and cold in cache). Each
  // column still reports the exact extremes of the samples it covers and the columns still tile
  // the range; an edge moves by at most 1/16 of a column. Edges at 0 and size() stay put, and
  // columns narrower than 8 level-0 blocks are returned unchanged.
  std::vector<std::size_t> snapToBlocks(std::vector<std::size_t> boundaries) const;
  std::size_t levelCount() const { return levels_.size(); }
  std::size_t memoryBytes() const;

 private:
  MinMax rawRange(std::size_t begin, std::size_t end) const;
  template <std::size_t Channels>
  static void level0Fixed(const float* rows, std::size_t blocks, std::vector<MinMaxPyramid>& out);
  void buildUpperLevels();
  StridedChannel channel_;
  std::vector<std::size_t> blockSizes_;
  std::vector<std::vector<MinMax>> levels_;  // levels_[l][b]: samples [b*B_l, (b+1)*B_l)
};

// Sample index of the first sample at or after time t_s, for uniform sampling from t = 0.
std::size_t uniformIndexAt(double t_s, double sample_rate_hz, std::size_t count);
// Same for an explicit, sorted time vector.
std::size_t indexAt(double t_s, std::span<const double> time_s);

// Column boundaries for `columns` equal time slices of [t0_s, t1_s): columns+1 sample indices.
// indexOfTime maps a time to the first sample at or after it (one of the two functions above).
std::vector<std::size_t> columnBoundaries(double t0_s, double t1_s, int columns,
                                          const std::function<std::size_t(double)>& indexOfTime);

}  // namespace imuwb::analysis
