// ECE and the reliability diagram against Guo et al.'s reference loop in numpy
// (tests/peers/eval_reference.py): 15 bins (lo, hi], with empty bins and confidences tied exactly
// on bin edges (numpy.linspace's edges, which belong to the bin below).
#include <gtest/gtest.h>

#include "core/eval/EvalPeer.hpp"
#include "eval/Ece.hpp"

namespace imuwb {
namespace {

TEST(Ece, EmptyBinsAndEdgeTiesMatchTheReferenceLoop) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::EvalPeer peer;
  // Edges 1/15, 3/15 (twice), 7/15 and 1 exactly, then confidences in (0.55, 0.8): bins 0..1 and
  // 4..5 hold only edge ties or nothing.
  peer.python(
      "import sys, numpy as np; d = sys.argv[1]; r = np.random.default_rng(7); "
      "e = np.linspace(0, 1, 16); "
      "c = np.concatenate([e[[1, 3, 3, 7, 15]], r.uniform(0.55, 0.8, 60), [0.2 + 1e-12]]); "
      "np.save(d + '/conf.npy', c); "
      "np.save(d + '/correct.npy', (r.uniform(size=c.size) < c).astype(np.int64))");
  const auto confidence = peer.doubles("conf.npy");
  const auto correct = peer.ints("correct.npy");
  const auto ours = eval::calibrationError(confidence, correct, 15);
  const auto expected = peer.reference("ece", {"conf.npy", "correct.npy", "15"});
  ASSERT_EQ(expected["bins"].size(), 15u);
  EXPECT_NEAR(ours.ece, expected["ece"].get<double>(), 1e-12);
  std::size_t empty = 0;
  for (std::size_t m = 0; m < 15; ++m) {
    const auto& bin = expected["bins"][m];
    EXPECT_EQ(ours.bins[m].count, bin["count"].get<std::size_t>()) << "bin " << m;
    EXPECT_NEAR(ours.bins[m].accuracy, bin["accuracy"].get<double>(), 1e-12) << "bin " << m;
    EXPECT_NEAR(ours.bins[m].meanConfidence, bin["mean_confidence"].get<double>(), 1e-12);
    empty += ours.bins[m].count == 0;
  }
  EXPECT_GE(empty, 3u);  // the case is what it claims
  // An edge tie sits in the bin below the edge: 3/15 in bin 2, 1 in bin 14.
  EXPECT_EQ(eval::eceBin(confidence[1], 15), 2u);
  EXPECT_EQ(ours.bins[2].count, 2u);
  EXPECT_EQ(eval::eceBin(1.0, 15), 14u);
  EXPECT_EQ(eval::eceBin(confidence.back(), 15), 3u);  // just above 0.2 = 3/15
}

TEST(Ece, TopClassOfProbabilitiesFollowsNumpyArgmax) {
  // Ties on the top probability go to the lowest class index (numpy's argmax).
  eval::ProbabilityTable p{3, {0.4, 0.4, 0.2, 0.1, 0.2, 0.7}};
  const auto ours = eval::calibrationError(p, {1, 2}, 15);
  EXPECT_EQ(ours.samples, 2u);
  const auto direct = eval::calibrationError({0.4, 0.7}, {0, 1}, 15);
  EXPECT_DOUBLE_EQ(ours.ece, direct.ece);
}

}  // namespace
}  // namespace imuwb
