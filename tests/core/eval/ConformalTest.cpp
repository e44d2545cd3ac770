// Split-conformal prediction sets against the numpy peer: LAC and APS thresholds (the
// ceil((n+1)(1-alpha))-th smallest calibration score), every test window's set, coverage (also
// per class) and set sizes, with tied top probabilities in the data; and the error for a
// calibration split too small for alpha, whose minimum n the peer recomputes.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "core/eval/EvalPeer.hpp"
#include "eval/Conformal.hpp"
#include "support/ErrorText.hpp"

namespace imuwb {
namespace {

class Conformal : public ::testing::Test {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PYTHON_PEERS();
    // A calibrated model (labels drawn from its probabilities), 1 in 10 rows with two tied top
    // classes.
    peer.python(
        "import sys, numpy as np\nd = sys.argv[1]; r = np.random.default_rng(11)\n"
        "def draw(n):\n"
        "  z = r.normal(0, 1.5, (n, 5)); p = np.exp(z); p /= p.sum(1, keepdims=True)\n"
        "  p[::10] = [0.4, 0.1, 0.4, 0.05, 0.05]\n"
        "  y = np.array([r.choice(5, p=row) for row in p], dtype=np.int64)\n"
        "  return p, y\n"
        "for name, n in (('cal', 300), ('test', 400)):\n"
        "  p, y = draw(n); np.save(d + '/p_' + name + '.npy', p); np.save(d + '/y_' + name + "
        "'.npy', y)\n");
  }
  test::EvalPeer peer;
};

TEST_F(Conformal, LacAndApsMatchThePeerWindowByWindow) {
  const auto pCal = peer.table("p_cal.npy"), pTest = peer.table("p_test.npy");
  const auto yCal = peer.ints("y_cal.npy"), yTest = peer.ints("y_test.npy");
  const std::vector<std::string> names{"a", "b", "c", "d", "e"};
  const auto expected =
      peer.reference("conformal", {"p_cal.npy", "y_cal.npy", "p_test.npy", "y_test.npy", "0.1"});
  for (auto score : {eval::ConformalScore::Lac, eval::ConformalScore::Aps}) {
    const auto& ref = expected[eval::conformalScoreName(score)];
    const auto ours = eval::splitConformal(pCal, yCal, pTest, yTest, 0.1, score, names);
    SCOPED_TRACE(eval::conformalScoreName(score));
    EXPECT_EQ(ours.rank, ref["rank"].get<std::size_t>());
    EXPECT_NEAR(ours.threshold, ref["threshold"].get<double>(), 1e-15);
    EXPECT_DOUBLE_EQ(ours.coverage, ref["coverage"].get<double>());
    EXPECT_DOUBLE_EQ(ours.averageSetSize, ref["average_set_size"].get<double>());
    EXPECT_EQ(ours.setSizes, ref["set_sizes"].get<std::vector<int>>());
    EXPECT_EQ(ours.setSizeCounts, ref["set_size_counts"].get<std::vector<std::size_t>>());
    for (std::size_t c = 0; c < names.size(); ++c)
      EXPECT_DOUBLE_EQ(ours.classes[c].coverage, ref["per_class_coverage"][c].get<double>());
    // A calibrated model covers about 1 - alpha (400 test windows: 3 binomial std = 0.045).
    EXPECT_GE(ours.coverage, 0.9 - 0.045);
  }
}

TEST_F(Conformal, ApsOrdersTiedClassesByIndex) {
  const double p[] = {0.4, 0.1, 0.4, 0.05, 0.05};
  // Sorted: 0 (0.4), 2 (0.4), 1, 3, 4: class 0's score is 0.4, class 2's 0.8.
  EXPECT_DOUBLE_EQ(eval::conformalScore(p, 5, 0, eval::ConformalScore::Aps), 0.4);
  EXPECT_DOUBLE_EQ(eval::conformalScore(p, 5, 2, eval::ConformalScore::Aps), 0.4 + 0.4);
  EXPECT_EQ(eval::predictionSet(p, 5, 0.5, eval::ConformalScore::Aps), std::vector<int>{0});
  EXPECT_EQ(eval::predictionSet(p, 5, 0.6, eval::ConformalScore::Lac), (std::vector<int>{0, 2}));
}

TEST_F(Conformal, CalibrationSplitTooSmallForAlphaNamesNAlphaAndTheMinimum) {
  for (double alpha : {0.1, 0.05, 0.2, 0.3, 0.01, 0.5}) {
    const auto expected = peer.reference("min_n", {std::to_string(alpha)});
    const auto minimum = expected["min_n"].get<std::size_t>();
    EXPECT_EQ(eval::minimumCalibrationWindows(alpha), minimum) << alpha;
    EXPECT_NO_THROW(eval::conformalThreshold(std::vector<double>(minimum, 0.5), alpha));
    EXPECT_THROW(eval::conformalThreshold(std::vector<double>(minimum - 1, 0.5), alpha), Error);
  }
  const std::string text =
      test::errorText([] { eval::conformalThreshold(std::vector<double>(8, 0.5), 0.1); });
  EXPECT_NE(text.find("has 8 labelled windows"), std::string::npos) << text;
  EXPECT_NE(text.find("alpha = 0.1"), std::string::npos) << text;
  EXPECT_NE(text.find("at least 9"), std::string::npos) << text;
  EXPECT_THROW(eval::conformalThreshold({0.1, 0.2}, 0.0), Error);
  EXPECT_THROW(eval::conformalThreshold({0.1, 0.2}, 1.0), Error);
}

}  // namespace
}  // namespace imuwb
