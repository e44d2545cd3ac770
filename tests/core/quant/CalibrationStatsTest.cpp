#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "common/Error.hpp"
#include "quant/CalibrationStats.hpp"

namespace imuwb::quant {
namespace {

TEST(CalibrationStats, ExactMinMaxMeanAndNonFiniteCount) {
  CalibrationCollector collector;
  const std::vector<float> a = {1.f, -2.f, 3.f};
  const std::vector<float> b = {std::numeric_limits<float>::quiet_NaN(), 10.f,
                                std::numeric_limits<float>::infinity()};
  collector.observe("x", a);
  collector.observe("x", b);
  const auto& s = collector.at("x");
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.nonFinite, 2u);
  EXPECT_EQ(s.min, -2.0);
  EXPECT_EQ(s.max, 10.0);
  EXPECT_DOUBLE_EQ(s.mean(), 3.0);
  EXPECT_THROW(collector.at("missing"), Error);
}

TEST(CalibrationStats, KeepsFirstSeenOrder) {
  CalibrationCollector collector;
  const std::vector<float> v = {1.f};
  collector.observe("conv2", v);
  collector.observe("conv1", v);
  collector.observe("conv2", v);
  EXPECT_EQ(collector.order(), (std::vector<std::string>{"conv2", "conv1"}));
}

TEST(CalibrationStats, PercentileExactWhenSampleHoldsEverything) {
  CalibrationCollector collector(1000);
  std::vector<float> v(101);
  for (int i = 0; i <= 100; ++i) v[i] = static_cast<float>(100 - i);  // 0..100 reversed
  collector.observe("x", v);
  EXPECT_DOUBLE_EQ(collector.percentile("x", 50.0), 50.0);
  EXPECT_DOUBLE_EQ(collector.percentile("x", 99.5), 99.5);  // linear interpolation
  RangePolicy policy{RangeMethod::Percentile, 99.0};
  const auto [lo, hi] = collector.chooseRange("x", policy);
  EXPECT_DOUBLE_EQ(lo, 1.0);
  EXPECT_DOUBLE_EQ(hi, 99.0);
  EXPECT_DOUBLE_EQ(collector.fractionOutside("x", 10.0, 90.0), 20.0 / 101.0);
  const auto [mlo, mhi] = collector.chooseRange("x", RangePolicy{});
  EXPECT_EQ(mlo, 0.0);
  EXPECT_EQ(mhi, 100.0);
}

TEST(CalibrationStats, ReservoirSampleApproximatesLargeDistributions) {
  // 2M uniform values through a 16k reservoir: percentiles within sampling error, and the
  // sample is spread over the whole stream (not just its start: the stream is sorted).
  CalibrationCollector collector(1 << 14);
  std::vector<float> chunk(100000);
  for (int c = 0; c < 20; ++c) {
    for (std::size_t i = 0; i < chunk.size(); ++i)
      chunk[i] = static_cast<float>(c * chunk.size() + i) / 2e6f;
    collector.observe("x", chunk);
  }
  EXPECT_EQ(collector.at("x").count, 2000000u);
  EXPECT_EQ(collector.at("x").sample.size(), 1u << 14);
  EXPECT_NEAR(collector.percentile("x", 50.0), 0.5, 0.02);
  EXPECT_NEAR(collector.percentile("x", 90.0), 0.9, 0.02);
  EXPECT_NEAR(collector.fractionOutside("x", 0.25, 0.75), 0.5, 0.02);
}

TEST(CalibrationStats, PercentileOfMatchesNumpyLinearDefinition) {
  // numpy.percentile([1,2,3,4], 25) = 1.75
  EXPECT_DOUBLE_EQ(percentileOf({4.f, 1.f, 3.f, 2.f}, 25.0), 1.75);
  EXPECT_DOUBLE_EQ(percentileOf({4.f, 1.f, 3.f, 2.f}, 100.0), 4.0);
}

}  // namespace
}  // namespace imuwb::quant
