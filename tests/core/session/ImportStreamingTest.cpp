// The streaming importer's building blocks (issue 13) give what the in-memory importer gave:
// spooled times read back exactly, exact step quantiles equal to session_stats' on the vector,
// the streamed coarse-clock spreading equal bit for bit to the in-memory algorithm it replaced,
// the unit sample keeping every row of a short file and evenly spread blocks of a long one, and
// the unit-change check fed block by block equal to the check on the whole recording.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "session/CsvImport.hpp"
#include "session/SampleStats.hpp"
#include "session/TextFormat.hpp"
#include "session/UnitConsistency.hpp"
#include "session/import/CoarseClock.hpp"
#include "session/import/StepQuantiles.hpp"
#include "session/import/TimeSpool.hpp"
#include "session/import/UnitSample.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

TimeSpool spoolOf(const std::vector<double>& values) {
  TimeSpool spool;
  for (double v : values) spool.push(v);
  return spool;
}

std::vector<double> read(const TimeSpool& spool) {
  std::vector<double> out;
  TimeSpool::Reader reader(spool);
  for (double v = 0; reader.next(v);) out.push_back(v);
  return out;
}

TEST(ImportStreaming, SpooledTimesReadBackExactlyByIndependentReaders) {
  std::vector<double> values;
  for (std::size_t i = 0; i < 200'000; ++i) values.push_back(std::sqrt(double(i)) * 1e-3);
  const TimeSpool spool = spoolOf(values);
  TimeSpool::Reader a(spool), b(spool);
  double x = 0, y = 0;
  ASSERT_TRUE(a.next(x));
  EXPECT_EQ(read(spool), values);
  for (std::size_t i = 0; i < values.size(); ++i) {
    ASSERT_TRUE(b.next(y));
    ASSERT_EQ(y, values[i]);
  }
  EXPECT_FALSE(b.next(y));
  EXPECT_EQ(spool.front(), values.front());
  EXPECT_EQ(spool.back(), values.back());
}

TEST(ImportStreaming, StepQuantilesEqualTheVectorsOrderStatistics) {
  std::mt19937_64 random(3);
  std::vector<double> t = {0.0};
  for (std::size_t i = 1; i < 100'000; ++i) {
    const int kind = static_cast<int>(random() % 10);
    // Regular steps with jitter, repeats (zero steps) and a few steps back.
    const double step = kind == 0 ? 0.0 : kind == 1 ? -0.003 : 0.01 + 1e-4 * double(random() % 7);
    t.push_back(t.back() + step);
  }
  std::vector<double> steps;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] > t[i - 1]) steps.push_back(t[i] - t[i - 1]);
  const StepQuantiles q = positiveStepQuantiles(spoolOf(t), {0.05, 0.5, 0.95, 0.999});
  EXPECT_EQ(q.count, steps.size());
  EXPECT_EQ(q.median, session_stats::upperMedian(steps));
  const double qs[] = {0.05, 0.5, 0.95, 0.999};
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(q.quantiles[i], session_stats::floorQuantile(steps, qs[i])) << qs[i];
  EXPECT_TRUE(std::isnan(positiveStepQuantiles(spoolOf({1.0, 1.0, 0.5})).median));
}

// The in-memory spreading the streamed one replaced (TimeAxis.cpp before issue 13).
std::string referenceSpread(std::vector<double>& t, double tick) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (i == 0 || t[i] != t[i - 1]) starts.push_back(i);
  starts.push_back(t.size());
  const std::size_t ticks = starts.size() - 1;
  std::vector<double> spacing(ticks, 0.0);
  std::size_t minRows = t.size(), maxRows = 0;
  for (std::size_t k = 0; k + 1 < ticks; ++k) {
    const std::size_t a = starts[k], b = starts[k + 1];
    spacing[k] = std::min(t[b] - t[a], tick) / static_cast<double>(b - a);
    if (k > 0) minRows = std::min(minRows, b - a), maxRows = std::max(maxRows, b - a);
  }
  if (ticks >= 3) spacing[0] = spacing[1];
  spacing[ticks - 1] =
      ticks >= 2 ? spacing[ticks - 2] : tick / static_cast<double>(starts[1] - starts[0]);
  for (std::size_t k = 0; k < ticks; ++k) {
    const std::size_t a = starts[k], b = starts[k + 1];
    const double base =
        k == 0 && ticks >= 3 ? t[b] - static_cast<double>(b - a) * spacing[0] : t[a];
    for (std::size_t i = a; i < b; ++i) t[i] = base + static_cast<double>(i - a) * spacing[k];
  }
  if (maxRows == 0) minRows = maxRows = t.size();
  return std::to_string(minRows) + "-" + std::to_string(maxRows) + " rows per full tick (" +
         std::to_string(ticks) + " ticks";
}

TEST(ImportStreaming, CoarseClockSpreadingEqualsTheInMemoryAlgorithm) {
  std::mt19937_64 random(5);
  RowLines lines;
  lines.add(0, 2);
  for (std::size_t ticks : {1u, 2u, 3u, 4u, 60u}) {
    for (int trial = 0; trial < 3; ++trial) {
      std::vector<double> t;
      for (std::size_t k = 0; k < ticks; ++k) {
        // Partial first and last ticks, 25-31 rows in full ones, a missing second now and then.
        const std::size_t rows = (k == 0 || k + 1 == ticks) ? 1 + random() % 20 : 25 + random() % 7;
        const double second = static_cast<double>(k + (random() % 9 == 0 ? 1 : 0)) + 100;
        for (std::size_t r = 0; r < rows; ++r) t.push_back(second + (k > 0 ? double(k) : 0.0));
      }
      std::vector<double> want = t;
      const std::string counts = referenceSpread(want, 1.0);
      TimeSpool spread;
      const Finding finding = spreadCoarseClock(spoolOf(t), spread, lines, 1.0);
      EXPECT_EQ(read(spread), want) << ticks << " ticks, trial " << trial;
      EXPECT_NE(finding.message.find(counts), std::string::npos)
          << finding.message << " / " << counts;
    }
  }
}

TEST(ImportStreaming, UnitSampleKeepsEveryRowOfAShortFileAndSpreadBlocksOfALongOne) {
  UnitSample small(1);
  const std::size_t fewRows = UnitSample::kBlocks * UnitSample::kBlockRows;  // all kept
  std::array<float, kChannelCount> values{};
  for (std::size_t r = 0; r < fewRows; ++r) {
    values[0] = static_cast<float>(r);
    if (small.keeps(r)) small.add(0, values);
  }
  EXPECT_TRUE(small.everyRow());
  ASSERT_EQ(small.rowCount(), fewRows);
  for (std::size_t r = 0; r < fewRows; r += 997)
    EXPECT_EQ(small.rows(0)[r * kChannelCount], float(r));

  UnitSample large(2);
  const std::size_t manyRows = 5'000'017;
  for (std::size_t r = 0; r < manyRows; ++r) {
    values[0] = static_cast<float>(r);
    if (!large.keeps(r)) continue;
    large.add(0, values);
    large.add(1, values);
  }
  EXPECT_FALSE(large.everyRow());
  EXPECT_LE(large.rowCount(), fewRows);
  EXPECT_GT(large.rowCount(), fewRows / 2);
  // Whole 50-row blocks, every stride-th block of the file, from the first to near the end.
  const auto& rows = large.rows(0);
  const std::size_t stride =
      static_cast<std::size_t>(rows[UnitSample::kBlockRows * kChannelCount]) /
      UnitSample::kBlockRows;
  for (std::size_t i = 0; i < large.rowCount(); ++i) {
    const std::size_t block = i / UnitSample::kBlockRows, within = i % UnitSample::kBlockRows;
    ASSERT_EQ(rows[i * kChannelCount], float(block * stride * UnitSample::kBlockRows + within))
        << i;
  }
  EXPECT_GT(rows[(large.rowCount() - 1) * kChannelCount],
            0.9f * float(manyRows) - float(stride * 50));
  EXPECT_EQ(large.rows(1), large.rows(0));
}

TEST(ImportStreaming, UnitChangeFedInBlocksEqualsTheWholeRecordingCheck) {
  const double rate = 100;
  std::vector<float> samples;
  for (std::size_t r = 0; r < 40'000; ++r) {
    const float g = r < 23'456 ? 9.81f : 1.0f;  // m/s^2, then g
    for (int c = 0; c < kChannelCount; ++c) samples.push_back(c == 2 ? g : 0.01f * float(r % 7));
  }
  const auto whole = detectUnitChange(samples, rate);
  ASSERT_TRUE(whole);
  UnitChangeDetector detector(rate);
  std::size_t row = 0;
  for (std::size_t size : {1u, 499u, 501u, 7000u, 65536u}) {
    const std::size_t take = std::min(size, samples.size() / kChannelCount - row);
    detector.add(samples.data() + row * kChannelCount, take);
    row += take;
  }
  const auto streamed = detector.finish();
  ASSERT_TRUE(streamed);
  EXPECT_EQ(streamed->message, whole->message);
  EXPECT_EQ(streamed->start_s, whole->start_s);
  std::vector<float> steady(samples.begin(), samples.begin() + 20'000 * kChannelCount);
  EXPECT_FALSE(detectUnitChange(steady, rate));
}

// The session's metadata records each unit decision with its device, as the in-memory importer
// wrote it (the streamed one names devices before the rows pass, when the metadata is made).
TEST(ImportStreaming, UnitDecisionsInTheMetadataNameTheirDevice) {
  const auto result =
      importCsv(test::sourceDir() / "samples" / "sessions" / "harness_90s_g_dps.csv");
  const auto& decisions = result.session.metadata.at("unit_decisions");
  ASSERT_EQ(decisions.size(), 3u);
  for (const auto& decision : decisions)
    EXPECT_EQ(decision.at("device"), result.session.devices.at(0).name) << decision.dump();
}

}  // namespace
}  // namespace imuwb
