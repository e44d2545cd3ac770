// Resampling whole session files: labels follow exactly (seconds are kept, saved and loaded
// bit for bit), the duration is kept, provenance is recorded, and irregular timestamps are
// interpolated onto a uniform grid before the filter.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "session/resample/SessionResampling.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

Session labelledSession(double seconds) {
  GeneratorOptions options;
  options.durationSeconds = seconds;
  options.seed = 7;
  Session session = generateSession(options);
  // Times no rate divides, so a rounding to rows would show.
  session.labels.front().end_s = 1.2345678912345;
  session.labels.at(1).start_s = 1.2345678912345;
  session.labels.back().end_s = seconds;
  return session;
}

TEST(SessionResampling, LabelIntervalsRoundTripExactlyThroughResampleSaveLoad) {
  test::TempDir dir;
  const Session source = labelledSession(30);
  saveSession(source, dir / "source.h5");
  for (double rate : {50.0, 28.0, 200.0}) {
    const auto target = dir / ("r" + std::to_string(static_cast<int>(rate)) + ".h5");
    const SessionResamplePlan plan = resampleSessionFile(dir / "source.h5", target, rate, {});
    const Session resampled = loadSession(target);
    EXPECT_EQ(resampled.sampleRateHz, rate);
    EXPECT_EQ(resampled.classes, source.classes);
    ASSERT_EQ(resampled.labels.size(), source.labels.size()) << rate;
    for (std::size_t i = 0; i < source.labels.size(); ++i) {
      EXPECT_EQ(resampled.labels[i].start_s, source.labels[i].start_s) << rate << " #" << i;
      EXPECT_EQ(resampled.labels[i].end_s, source.labels[i].end_s) << rate << " #" << i;
      EXPECT_EQ(resampled.labels[i].label, source.labels[i].label);
    }
    EXPECT_EQ(resampled.sampleCount(), plan.outputRows);
    EXPECT_EQ(resampled.sampleCount(),
              static_cast<std::size_t>(std::ceil(source.sampleCount() * rate / 100.0 - 1e-9)));
    EXPECT_NEAR(resampled.durationSeconds(), source.durationSeconds(), 1.0 / rate);
    ASSERT_EQ(resampled.devices.size(), 2u);
    EXPECT_EQ(resampled.devices[1].name, source.devices[1].name);
  }
}

TEST(SessionResampling, LabelsPastTheNewEndAreClampedOrDropped) {
  const std::vector<LabelInterval> labels = {{0, 1.5, "rest"}, {1.5, 3, "walk"}, {3, 4, "run"}};
  const auto kept = labelsWithin(labels, 2.0);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].end_s, 1.5);
  EXPECT_EQ(kept[1].start_s, 1.5);
  EXPECT_EQ(kept[1].end_s, 2.0);
}

TEST(SessionResampling, ProvenanceNamesRatesFactorsAndFilter) {
  test::TempDir dir;
  saveSession(labelledSession(30), dir / "source.h5");
  resampleSessionFile(dir / "source.h5", dir / "out.h5", 28, {{"source_file", "source.h5"}});
  const Session out = loadSession(dir / "out.h5");
  const auto& p = out.metadata.at("resampling");
  EXPECT_EQ(p.at("source_file"), "source.h5");
  EXPECT_EQ(p.at("source_rate_hz"), 100.0);
  EXPECT_EQ(p.at("target_rate_hz"), 28.0);
  EXPECT_EQ(p.at("up"), 7);
  EXPECT_EQ(p.at("down"), 25);
  EXPECT_EQ(p.at("filter"), "kaiser beta 5, half_len 250");
  EXPECT_FALSE(p.contains("irregular_timestamps"));
}

// A 1.3 Hz sine sampled at jittered, event-driven times: after resampling the output follows the
// sine at the output's uniform times (the error is the linear interpolation's, ~1e-3).
TEST(SessionResampling, IrregularTimestampsAreInterpolatedOntoAGridFirst) {
  test::TempDir dir;
  Session session;
  session.sampleRateHz = 100;
  const std::size_t rows = 3000;
  session.devices.push_back({"phone", kChannelCount, std::vector<float>(rows * kChannelCount)});
  auto signal = [](double t) { return std::sin(2 * std::numbers::pi * 1.3 * t); };
  for (std::size_t i = 0; i < rows; ++i) {
    const double t = 0.25 + 0.0101 * static_cast<double>(i) + 0.004 * std::sin(0.7 * i);
    session.time_s.push_back(t);
    for (int c = 0; c < kChannelCount; ++c)
      session.devices[0].samples[i * kChannelCount + c] = static_cast<float>((c + 1) * signal(t));
  }
  saveSession(session, dir / "irregular.h5");
  const auto plan = resampleSessionFile(dir / "irregular.h5", dir / "out.h5", 50, {});
  EXPECT_TRUE(plan.irregular);
  EXPECT_NEAR(plan.gridRateHz, plan.meanRateHz, 0.005 * plan.meanRateHz);
  const Session out = loadSession(dir / "out.h5");
  EXPECT_EQ(out.sampleRateHz, 50);
  EXPECT_EQ(out.timeAt(0), 0.25);  // the first timestamp is kept
  const auto& p = out.metadata.at("resampling");
  EXPECT_EQ(p.at("grid_rate_hz"), plan.gridRateHz);
  double worst = 0;
  const std::size_t edge = 20;  // the filter's zero-padded ends
  for (std::size_t i = edge; i + edge < out.sampleCount(); ++i)
    for (int c = 0; c < kChannelCount; ++c)
      worst = std::max(
          worst, std::abs(out.devices[0].at(i, c) - (c + 1) * signal(out.timeAt(i))) / (c + 1));
  EXPECT_LT(worst, 3e-3);
  EXPECT_NEAR(out.timeAt(out.sampleCount() - 1), session.time_s.back(), 1.0 / 50);
}

}  // namespace
}  // namespace imuwb
