// Resampling on the fly (--resample): any rows a window reader asks for are the rows a whole-file
// resampling gives, bit for bit; labels pass through in seconds; irregular time is refused.
#include <gtest/gtest.h>

#include "pipeline/ResampledSource.hpp"
#include "session/SessionGenerator.hpp"
#include "support/ErrorText.hpp"

namespace imuwb {
namespace {

Session sessionAt(double rateHz) {
  GeneratorOptions options;
  options.durationSeconds = 40;
  options.sampleRateHz = rateHz;
  options.seed = 3;
  return generateSession(options);
}

TEST(ResampledSource, AnyRowRangeEqualsTheWholeSignalResampled) {
  const Session session = sessionAt(28);
  for (double target : {100.0, 50.0, 14.0}) {
    ResampledSource source(std::make_unique<InMemorySource>(session), target);
    const ResampleRatio ratio = exactResampleRatio(28, target);
    EXPECT_EQ(source.sampleRateHz(), target);
    for (std::size_t d = 0; d < session.devices.size(); ++d) {
      const std::vector<float> whole =
          resamplePoly(session.devices[d].samples, kChannelCount, ratio);
      ASSERT_EQ(source.rowCount() * kChannelCount, whole.size());
      // Ranges at the start, in the middle, across the end, and single rows.
      for (const auto& [first, count] : std::vector<std::pair<std::size_t, std::size_t>>{
               {0, 100},
               {0, 1},
               {source.rowCount() / 3, source.rowCount() / 4},
               {source.rowCount() - 150, 150},
               {source.rowCount() - 1, 1},
               {0, source.rowCount()}}) {
        std::vector<float> rows(count * kChannelCount);
        source.readRows(d, first, count, rows.data());
        EXPECT_TRUE(std::equal(rows.begin(), rows.end(), whole.begin() + first * kChannelCount))
            << target << " Hz, device " << d << ", rows " << first << "+" << count;
      }
    }
    ASSERT_EQ(source.labels().size(), session.labels.size());
    for (std::size_t i = 0; i + 1 < session.labels.size(); ++i) {
      EXPECT_EQ(source.labels()[i].start_s, session.labels[i].start_s);
      EXPECT_EQ(source.labels()[i].end_s, session.labels[i].end_s);
    }
    double time[2];
    source.readTime(10, 2, time);
    EXPECT_DOUBLE_EQ(time[1] - time[0], 1.0 / target);
  }
}

TEST(ResampledSource, OnlySourcesAtAnotherRateAreWrapped) {
  const Session at100 = sessionAt(100), at50 = sessionAt(50);
  std::vector<std::unique_ptr<SampleSource>> sources;
  sources.push_back(std::make_unique<InMemorySource>(at100));
  sources.push_back(std::make_unique<InMemorySource>(at50));
  const SampleSource* first = sources[0].get();
  sources = resampledTo(std::move(sources), 100);
  EXPECT_EQ(sources[0].get(), first);
  ASSERT_NE(dynamic_cast<const ResampledSource*>(sources[1].get()), nullptr);
  EXPECT_EQ(sources[1]->rowCount(), at50.sampleCount() * 2);
}

TEST(ResampledSource, IrregularTimestampsAreRefusedWithTheFix) {
  Session session = sessionAt(50);
  for (std::size_t i = 0; i < session.sampleCount(); ++i)
    session.time_s.push_back(0.02 * static_cast<double>(i) + (i % 7 == 3 ? 0.006 : 0.0));
  test::expectMentions(
      test::errorOf([&] { ResampledSource(std::make_unique<InMemorySource>(session), 100); }),
      {"row 3", "irregular timestamps", "imuwb resample"});
}

}  // namespace
}  // namespace imuwb
