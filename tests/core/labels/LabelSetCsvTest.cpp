// CSV start,end,label,note: export then import is exact (times to the last bit, notes with
// commas, quotes, line breaks and outer spaces, classes without intervals), and bad rows are
// named.
#include <gtest/gtest.h>

#include <random>

#include "common/Error.hpp"
#include "labels/LabelSetCsv.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

TEST(LabelSetCsv, RoundTripIsExact) {
  std::mt19937_64 random(3);
  std::uniform_real_distribution<double> length(1e-6, 1e4);
  LabelSet set{{"rest", "walk, slow", "\"quoted\"", " padded ", "unused"}, {}};
  const std::vector<std::string> notes{"",           "ambiguous", "a, b",           "say \"hi\"",
                                       "two\nlines", " x ",       "#not a comment", "crlf\r\nnote",
                                       "ünïcödé"};
  double t = 0.1;
  for (int i = 0; i < 500; ++i) {
    const double end = t + length(random);
    set.intervals.push_back({t, end, set.classes[static_cast<std::size_t>(i) % 4],
                             notes[static_cast<std::size_t>(i) % notes.size()]});
    t = end + (i % 3 ? 0.0 : length(random) / 3);
  }
  test::TempDir dir;
  writeLabelSetCsv(set, dir / "l.csv");
  EXPECT_EQ(readLabelSetCsv(dir / "l.csv"), set);
}

TEST(LabelSetCsv, PlainFilesWithoutNotesOrClassLineRead) {
  const auto set = parseLabelSetCsv("start,end,label\n0,1.5,walk\n1.5,3,rest\n", "x.csv");
  EXPECT_EQ(set.classes, (std::vector<std::string>{"walk", "rest"}));
  ASSERT_EQ(set.intervals.size(), 2u);
  EXPECT_EQ(set.intervals[1], (LabelInterval{1.5, 3.0, "rest", ""}));
}

TEST(LabelSetCsv, BadRowsAreNamedByLine) {
  auto whereOf = [](const char* text) {
    try {
      parseLabelSetCsv(text, "x.csv");
    } catch (const Error& error) {
      return error.where();
    }
    return std::string("no error");
  };
  EXPECT_EQ(whereOf("start,end,label,note\n0,1,a,\n2,1,a,\n"), "x.csv:3");
  EXPECT_EQ(whereOf("start,end,label,note\n0,x,a,\n"), "x.csv:2 end");
  EXPECT_EQ(whereOf("start,end,label,note\n0,1,a,\"open\n"), "x.csv:2");
  EXPECT_EQ(whereOf("begin,finish\n"), "x.csv:1");
}

}  // namespace
}  // namespace imuwb
