// Decimation must never lose an extreme: every pixel column's min/max equals a brute-force scan
// of the raw samples in that column, computed here independently of the pyramid.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "analysis/Decimation.hpp"

using imuwb::analysis::columnBoundaries;
using imuwb::analysis::indexAt;
using imuwb::analysis::MinMaxPyramid;
using imuwb::analysis::StridedChannel;
using imuwb::analysis::uniformIndexAt;

namespace {

struct Brute {
  float lo, hi;
  bool any;
};

// The reference: look at every sample of one channel in [begin,end).
Brute bruteForce(const std::vector<float>& rows, int stride, int channel, std::size_t begin,
                 std::size_t end) {
  Brute b{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), false};
  for (std::size_t i = begin; i < end; ++i) {
    const float v = rows[i * stride + channel];
    if (std::isnan(v)) continue;
    b.lo = std::min(b.lo, v);
    b.hi = std::max(b.hi, v);
    b.any = true;
  }
  return b;
}

std::vector<float> randomRows(std::size_t n, int stride, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, 1.f);
  std::uniform_real_distribution<float> spike(-1000.f, 1000.f);
  std::vector<float> rows(n * stride);
  for (auto& v : rows) v = noise(rng);
  // Isolated spikes are exactly what a naive every-Nth-sample decimation would drop.
  for (std::size_t k = 0; n > 0 && k < n / 997 + 3; ++k)
    rows[(rng() % n) * stride + rng() % stride] = spike(rng);
  return rows;
}

}  // namespace

TEST(Decimation, EveryColumnMatchesBruteForceForRandomData) {
  const int stride = 9;
  for (std::size_t n : {0u, 1u, 31u, 32u, 33u, 257u, 5000u, 100003u, 1234567u}) {
    const auto rows = randomRows(n, stride, static_cast<unsigned>(n) + 7u);
    for (int channel : {0, 4, 8}) {
      MinMaxPyramid pyramid(StridedChannel{rows.data() + channel, n, stride});
      for (int columns : {1, 7, 640, 1920}) {
        // A zoomed-out view, and a zoomed-in one that starts mid-block.
        for (auto [t0, t1] : {std::pair{0.0, n / 100.0}, std::pair{n / 300.0, n / 170.0}}) {
          const auto bounds = columnBoundaries(
              t0, t1, columns, [&](double t) { return uniformIndexAt(t, 100.0, n); });
          const auto decimated = pyramid.decimate(bounds);
          ASSERT_EQ(decimated.size(), static_cast<std::size_t>(columns));
          for (int c = 0; c < columns; ++c) {
            const auto ref = bruteForce(rows, stride, channel, bounds[c], bounds[c + 1]);
            ASSERT_EQ(decimated[c].empty(), !ref.any) << "n=" << n << " column " << c;
            if (!ref.any) continue;
            ASSERT_EQ(decimated[c].min, ref.lo) << "n=" << n << " col=" << c;
            ASSERT_EQ(decimated[c].max, ref.hi) << "n=" << n << " col=" << c;
          }
        }
      }
    }
  }
}

TEST(Decimation, ArbitraryRangesMatchBruteForce) {
  const std::size_t n = 300000;
  const auto rows = randomRows(n, 1, 42);
  MinMaxPyramid pyramid(StridedChannel{rows.data(), n, 1});
  EXPECT_GT(pyramid.levelCount(), 3u);
  std::mt19937 rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    std::size_t a = rng() % (n + 10), b = rng() % (n + 10);
    if (a > b) std::swap(a, b);
    const auto got = pyramid.query(a, b);
    const auto ref = bruteForce(rows, 1, 0, std::min(a, n), std::min(b, n));
    ASSERT_EQ(got.empty(), !ref.any);
    if (!ref.any) continue;
    ASSERT_EQ(got.min, ref.lo) << a << ".." << b;
    ASSERT_EQ(got.max, ref.hi) << a << ".." << b;
  }
}

TEST(Decimation, NaNRunsAreSkippedNotPropagated) {
  std::vector<float> rows(1000, 1.f);
  for (int i = 100; i < 400; ++i) rows[i] = std::numeric_limits<float>::quiet_NaN();
  rows[50] = -3.f;
  MinMaxPyramid pyramid(StridedChannel{rows.data(), rows.size(), 1});
  EXPECT_TRUE(pyramid.query(128, 384).empty());
  const auto all = pyramid.query(0, 1000);
  EXPECT_EQ(all.min, -3.f);
  EXPECT_EQ(all.max, 1.f);
}

TEST(Decimation, TimeToIndexForUniformAndExplicitClocks) {
  EXPECT_EQ(uniformIndexAt(-1.0, 100.0, 50), 0u);
  EXPECT_EQ(uniformIndexAt(0.0, 100.0, 50), 0u);
  EXPECT_EQ(uniformIndexAt(0.105, 100.0, 50), 11u);  // first sample at or after 0.105 s is 0.11 s
  EXPECT_EQ(uniformIndexAt(0.1, 100.0, 50), 10u);
  EXPECT_EQ(uniformIndexAt(99.0, 100.0, 50), 50u);
  const std::vector<double> t = {0.0, 0.01, 0.03, 0.04};
  EXPECT_EQ(indexAt(0.02, t), 2u);
  EXPECT_EQ(indexAt(0.03, t), 2u);
  EXPECT_EQ(indexAt(1.0, t), 4u);
}

TEST(Decimation, InterleavedBuildAnswersLikeBruteForce) {
  const int stride = 9;
  const std::size_t n = 200003;
  const auto rows = randomRows(n, stride, 99);
  const auto pyramids = MinMaxPyramid::buildInterleaved(rows.data(), n, stride);
  ASSERT_EQ(pyramids.size(), 9u);
  std::mt19937 rng(5);
  for (int trial = 0; trial < 500; ++trial) {
    std::size_t a = rng() % n, b = rng() % n;
    if (a > b) std::swap(a, b);
    const int channel = static_cast<int>(rng() % stride);
    const auto got = pyramids[channel].query(a, b);
    const auto ref = bruteForce(rows, stride, channel, a, b);
    ASSERT_EQ(got.empty(), !ref.any);
    if (!ref.any) continue;
    ASSERT_EQ(got.min, ref.lo);
    ASSERT_EQ(got.max, ref.hi);
  }
}

// Snapping may move column edges, but never by more than 1/16 of a column, never reorders them,
// keeps the range's ends, and the snapped columns still match a brute-force scan exactly.
TEST(Decimation, SnappedColumnsStayCloseAndExact) {
  const int stride = 9;
  const std::size_t n = 864'000;  // 2.4 h at 100 Hz
  const auto rows = randomRows(n, stride, 11);
  MinMaxPyramid pyramid(StridedChannel{rows.data() + 3, n, stride});
  for (int columns : {64, 700, 1500, 1920, 5000}) {
    for (auto [t0, t1] : {std::pair{0.0, n / 100.0}, std::pair{1234.567, 7000.1}}) {
      const auto bounds =
          columnBoundaries(t0, t1, columns, [&](double t) { return uniformIndexAt(t, 100.0, n); });
      const auto snapped = pyramid.snapToBlocks(bounds);
      ASSERT_EQ(snapped.size(), bounds.size());
      std::size_t narrowest = n;
      for (std::size_t k = 0; k + 1 < bounds.size(); ++k)
        narrowest = std::min(narrowest, bounds[k + 1] - bounds[k]);
      if (bounds.front() == 0) {
        EXPECT_EQ(snapped.front(), 0u);
      }
      if (bounds.back() == n) {
        EXPECT_EQ(snapped.back(), n);
      }
      // Wide columns must actually land on block edges, or queries still read raw samples.
      if (narrowest >= 8 * MinMaxPyramid::kFirstBlock) {
        for (auto edge : snapped) {
          if (edge != 0 && edge != n) {
            ASSERT_EQ(edge % MinMaxPyramid::kFirstBlock, 0u);
          }
        }
      }
      for (std::size_t k = 0; k < bounds.size(); ++k) {
        const auto moved = snapped[k] > bounds[k] ? snapped[k] - bounds[k] : bounds[k] - snapped[k];
        ASSERT_LE(moved * 16, narrowest) << "columns=" << columns << " edge " << k;
        if (k > 0) {
          ASSERT_LT(snapped[k - 1], snapped[k]) << "columns=" << columns;
        }
      }
      const auto decimated = pyramid.decimate(snapped);
      for (std::size_t c = 0; c + 1 < snapped.size(); ++c) {
        const auto ref = bruteForce(rows, stride, 3, snapped[c], snapped[c + 1]);
        ASSERT_EQ(decimated[c].min, ref.lo) << "columns=" << columns << " col " << c;
        ASSERT_EQ(decimated[c].max, ref.hi) << "columns=" << columns << " col " << c;
      }
    }
  }
}

TEST(Decimation, NarrowColumnsAreNotSnapped) {
  const std::size_t n = 100000;
  const auto rows = randomRows(n, 1, 5);
  MinMaxPyramid pyramid(StridedChannel{rows.data(), n, 1});
  // 255 samples per column: under 8 level-0 blocks of 32, so every raw edge is kept.
  std::vector<std::size_t> bounds;
  for (std::size_t edge = 17; edge < n; edge += 255) bounds.push_back(edge);
  EXPECT_EQ(pyramid.snapToBlocks(bounds), bounds);
}

// The 9-channel fast path must skip NaN exactly like MinMax::add, including NaN runs that cover
// whole blocks and NaN in the first row of a block.
TEST(Decimation, InterleavedBuildSkipsNaNLikeBruteForce) {
  const int stride = 9;
  const std::size_t n = 50000;
  auto rows = randomRows(n, stride, 123);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t r = 640; r < 1000; ++r) rows[r * stride + 2] = nan;  // whole blocks of az
  for (std::size_t r = 0; r < n; r += 32) rows[r * stride + 5] = nan;   // first row of each block
  std::mt19937 rng(9);
  for (int k = 0; k < 3000; ++k) rows[(rng() % n) * stride + rng() % stride] = nan;
  const auto pyramids = MinMaxPyramid::buildInterleaved(rows.data(), n, stride);
  for (int trial = 0; trial < 800; ++trial) {
    std::size_t a = rng() % n, b = rng() % n;
    if (a > b) std::swap(a, b);
    const int channel = static_cast<int>(rng() % stride);
    const auto got = pyramids[channel].query(a, b);
    const auto ref = bruteForce(rows, stride, channel, a, b);
    ASSERT_EQ(got.empty(), !ref.any) << a << ".." << b << " channel " << channel;
    if (!ref.any) continue;
    ASSERT_EQ(got.min, ref.lo);
    ASSERT_EQ(got.max, ref.hi);
  }
  EXPECT_TRUE(pyramids[2].query(672, 992).empty());  // blocks 21..30 hold only NaN in az
}
