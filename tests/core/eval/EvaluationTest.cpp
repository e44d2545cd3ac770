// eval::evaluate on windows of two sessions with unlabelled windows, windows of a class the model
// lacks and windows straddling label boundaries: the counts, the split, every metric of one side
// against the numpy peer's evaluation of the same logits, the comparison of two sides (flips
// recomputed by numpy) and the threshold checks.
#include <gtest/gtest.h>

#include "core/eval/EvalPeer.hpp"
#include "eval/Evaluation.hpp"
#include "eval/TemperatureScaling.hpp"

namespace imuwb {
namespace {

class Evaluation : public ::testing::Test {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PYTHON_PEERS();
    // Two sessions of 300 windows, 4 classes; 1 in 13 windows unlabelled, 1 in 29 of a class
    // the model lacks; labels drawn from softmax(logits / 1.7) (an overconfident model); side B
    // is side A with noise.
    peer.python(
        "import sys, numpy as np\nd = sys.argv[1]; r = np.random.default_rng(17)\n"
        "z = r.normal(0, 2.5, (600, 4)); p = np.exp(z / 1.7); p /= p.sum(1, keepdims=True)\n"
        "y = np.array([r.choice(4, p=row) for row in p], dtype=np.int64)\n"
        "y[::13] = -1; y[5::29] = -2\n"
        "zb = z + r.normal(0, 0.8, z.shape)\n"
        "np.save(d + '/z.npy', z); np.save(d + '/zb.npy', zb); np.save(d + '/y.npy', y)\n"
        "np.save(d + '/w.npy', np.concatenate([np.arange(300), np.arange(300)]).astype(np.int64))\n"
        "np.save(d + '/flips.npy', np.flatnonzero(z.argmax(1) != "
        "zb.argmax(1)).astype(np.int64))\n");
    labels = peer.ints("y.npy");
    const auto windows = peer.ints("w.npy");
    for (std::size_t i = 0; i < labels.size(); ++i) {
      eval::EvalWindow w;
      w.session = i / 300;
      w.window = static_cast<std::size_t>(windows[i]);
      w.start_s = 0.5 * windows[i];
      w.end_s = w.start_s + 1.0;
      w.label = labels[i];
      w.mixedLabels = i % 37 == 0;
      input.windows.push_back(w);
    }
    input.classes = {"stand", "walk", "trot", "sit"};
    input.sessions = {"a.h5", "b.h5"};
    for (const char* name : {"z.npy", "zb.npy"}) {
      const auto logits = peer.table(name);
      input.sides.push_back({name, "fp32", logits, eval::softmax(logits)});
    }
  }

  test::EvalPeer peer;
  std::vector<int> labels;
  eval::EvalInput input;
};

TEST_F(Evaluation, OneSideMatchesThePeer) {
  input.sides.pop_back();
  const auto r = eval::evaluate(input);
  const auto ref = peer.reference("all", {"z.npy", "y.npy", "w.npy", "0.1", "0.5", "20"});
  std::size_t unlabelled = 0, unknown = 0, mixed = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    unlabelled += labels[i] == -1;
    unknown += labels[i] == -2;
    mixed += labels[i] >= 0 && input.windows[i].mixedLabels;
  }
  EXPECT_EQ(r.counts.windows, 600u);
  EXPECT_EQ(r.counts.unlabelled, unlabelled);
  EXPECT_EQ(r.counts.unknownClass, unknown);
  EXPECT_EQ(r.counts.mixedLabels, mixed);
  EXPECT_EQ(r.counts.labelled, ref["labelled"].get<std::size_t>());
  EXPECT_EQ(r.counts.calibration, ref["calibration"].get<std::size_t>());
  EXPECT_EQ(r.counts.test, ref["test"].get<std::size_t>());
  const auto& side = r.sides.at(0);
  EXPECT_NEAR(side.decisions.accuracy, ref["decisions"]["accuracy"].get<double>(), 1e-15);
  EXPECT_NEAR(side.decisions.kappa, ref["decisions"]["kappa"].get<double>(), 1e-12);
  EXPECT_NEAR(side.decisions.macroF1, ref["decisions"]["macro_f1"].get<double>(), 1e-12);
  EXPECT_NEAR(side.calibration.all.ece, ref["ece_all"]["ece"].get<double>(), 1e-12);
  EXPECT_NEAR(side.calibration.testBefore.ece, ref["ece_test_before"]["ece"].get<double>(), 1e-12);
  EXPECT_NEAR(side.calibration.testAfter.ece, ref["ece_test_after"]["ece"].get<double>(), 1e-10);
  EXPECT_NEAR(side.calibration.temperature.temperature / ref["temperature"].get<double>(), 1, 1e-9);
  EXPECT_NEAR(side.calibration.nllTestBefore, ref["nll_test_before"].get<double>(), 1e-12);
  EXPECT_NEAR(side.calibration.nllTestAfter, ref["nll_test_after"].get<double>(), 1e-12);
  EXPECT_LT(side.calibration.temperature.nllAfter, side.calibration.temperature.nllBefore);
  for (const auto& c : side.conformal) {
    const auto& k = ref["conformal"][eval::conformalScoreName(c.score)];
    EXPECT_NEAR(c.threshold, k["threshold"].get<double>(), 1e-15);
    EXPECT_DOUBLE_EQ(c.coverage, k["coverage"].get<double>());
    EXPECT_EQ(c.setSizes, k["set_sizes"].get<std::vector<int>>());
  }
  EXPECT_FALSE(r.comparison);
}

// What the GUI's panel reads: every window (labelled or not) with its split, top class, its
// probability and its set size at each score's threshold, against numpy over the same windows.
TEST_F(Evaluation, EveryWindowCarriesItsDecisionAndSetSizes) {
  input.sides.pop_back();
  const auto r = eval::evaluate(input);
  const auto ref = peer.reference("all", {"z.npy", "y.npy", "w.npy", "0.1", "0.5", "20"});
  ASSERT_EQ(r.windows.size(), input.windows.size());
  const auto calibration = ref["window_calibration"].get<std::vector<bool>>();
  for (std::size_t i = 0; i < r.windows.size(); ++i) {
    EXPECT_EQ(r.windows[i].label, input.windows[i].label);
    EXPECT_EQ(r.windows[i].start_s, input.windows[i].start_s);
    EXPECT_EQ(r.windows[i].window, input.windows[i].window);
    EXPECT_EQ(r.windows[i].calibration, calibration[i]) << i;
  }
  const auto& side = r.sides.at(0);
  EXPECT_EQ(side.predicted, ref["window_predicted"].get<std::vector<int>>());
  const auto confidence = ref["window_confidence"].get<std::vector<double>>();
  ASSERT_EQ(side.confidence.size(), confidence.size());
  for (std::size_t i = 0; i < confidence.size(); ++i)
    EXPECT_FLOAT_EQ(side.confidence[i], static_cast<float>(confidence[i]));
  ASSERT_EQ(side.windowSetSizes.size(), side.conformal.size());
  for (std::size_t s = 0; s < side.conformal.size(); ++s) {
    const auto& c = side.conformal[s];
    const auto expected =
        ref["window_set_sizes"][eval::conformalScoreName(c.score)].get<std::vector<int>>();
    EXPECT_EQ(side.windowSetSizes[s], expected);
    // On the test windows, the strip's sizes are the conformal result's own.
    std::vector<int> onTest;
    for (std::size_t i = 0; i < r.windows.size(); ++i)
      if (r.windows[i].label >= 0 && !r.windows[i].calibration)
        onTest.push_back(side.windowSetSizes[s][i]);
    EXPECT_EQ(onTest, c.setSizes);
  }
}

TEST_F(Evaluation, TwoSidesListEveryFlippedWindowWithItsSessionAndTimes) {
  const auto r = eval::evaluate(input);
  ASSERT_TRUE(r.comparison);
  const auto flips = peer.ints("flips.npy");
  ASSERT_EQ(r.comparison->flipped.size(), flips.size());
  for (std::size_t i = 0; i < flips.size(); ++i) {
    const auto& f = r.comparison->flipped[i];
    const auto& w = input.windows[static_cast<std::size_t>(flips[i])];
    EXPECT_EQ(f.session, w.session);
    EXPECT_EQ(f.window, w.window);
    EXPECT_EQ(f.start_s, w.start_s);
    EXPECT_EQ(f.end_s, w.end_s);
    EXPECT_EQ(f.label, w.label < 0 ? -1 : w.label);  // unlabelled flips are listed too
  }
  for (std::size_t t = 0; t < 4; ++t)
    for (std::size_t p = 0; p < 4; ++p)
      EXPECT_EQ(r.comparison->difference[t * 4 + p],
                static_cast<long long>(r.sides[1].confusion.count(t, p)) -
                    static_cast<long long>(r.sides[0].confusion.count(t, p)));
}

TEST_F(Evaluation, ThresholdsAreCheckedOnEverySide) {
  input.settings.thresholds.minAccuracy = 0.0;
  input.settings.thresholds.maxEce = 0.0;  // no model on this data is perfectly calibrated
  input.settings.thresholds.minCoverage = 0.5;
  const auto r = eval::evaluate(input);
  ASSERT_EQ(r.checks.size(), 8u);  // 2 sides x (accuracy, ECE, LAC, APS)
  EXPECT_EQ(r.checks[0].name, "z.npy.min_accuracy");
  EXPECT_TRUE(r.checks[0].passed);
  EXPECT_EQ(r.checks[1].name, "z.npy.max_ece");
  EXPECT_FALSE(r.checks[1].passed);
  EXPECT_EQ(r.checks[1].value, r.sides[0].calibration.all.ece);
  EXPECT_FALSE(r.passed());
}

}  // namespace
}  // namespace imuwb
