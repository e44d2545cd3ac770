// Decision metrics against the numpy peer: the confusion matrix, accuracy, balanced accuracy,
// per-class precision/recall/F1 with zero-division cases (a class never labelled, one never
// predicted), macro F1 and Cohen's kappa, including kappa's p_e = 1 corner.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "core/eval/EvalPeer.hpp"
#include "eval/Confusion.hpp"

namespace imuwb {
namespace {

TEST(Confusion, MetricsMatchNumpyWithAbsentClasses) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::EvalPeer peer;
  // Six classes: class 5 is never a label, class 4 never a prediction. Predictions agree with
  // the label 60% of the time. Passed to the peer as one-hot "logits" (argmax = prediction).
  peer.python(
      "import sys, numpy as np; d = sys.argv[1]; r = np.random.default_rng(5); "
      "y = r.integers(0, 5, 500); guess = r.choice([0, 1, 2, 3, 5], 500); "
      "pred = np.where(r.uniform(size=500) < 0.6, y, guess); pred[pred == 4] = 3; "
      "np.save(d + '/y.npy', y.astype(np.int64)); np.save(d + '/pred.npy', pred.astype(np.int64)); "
      "np.save(d + '/logits.npy', np.eye(6)[pred] * 10.0); "
      "np.save(d + '/windows.npy', np.arange(500, dtype=np.int64))");
  const auto y = peer.ints("y.npy"), pred = peer.ints("pred.npy");
  eval::ConfusionMatrix m(6);
  for (std::size_t i = 0; i < y.size(); ++i) m.add(y[i], pred[i]);
  const auto ours = eval::decisionMetrics(m, {"a", "b", "c", "d", "e", "f"});
  const auto ref = peer.reference(
      "all", {"logits.npy", "y.npy", "windows.npy", "0.1", "0.5", "20"})["decisions"];
  for (std::size_t t = 0; t < 6; ++t)
    for (std::size_t p = 0; p < 6; ++p)
      EXPECT_EQ(m.count(t, p), ref["confusion"][t][p].get<std::size_t>()) << t << "," << p;
  EXPECT_DOUBLE_EQ(ours.accuracy, ref["accuracy"].get<double>());
  EXPECT_NEAR(ours.balancedAccuracy, ref["balanced_accuracy"].get<double>(), 1e-15);
  EXPECT_NEAR(ours.macroF1, ref["macro_f1"].get<double>(), 1e-15);
  EXPECT_NEAR(ours.kappa, ref["kappa"].get<double>(), 1e-15);
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(ours.classes[k].support, ref["support"][k].get<std::size_t>());
    EXPECT_NEAR(ours.classes[k].precision, ref["precision"][k].get<double>(), 1e-15) << k;
    EXPECT_NEAR(ours.classes[k].recall, ref["recall"][k].get<double>(), 1e-15) << k;
    EXPECT_NEAR(ours.classes[k].f1, ref["f1"][k].get<double>(), 1e-15) << k;
  }
  EXPECT_EQ(ours.classes[5].support, 0u);  // the case is what it claims
  EXPECT_EQ(ours.classes[4].predicted, 0u);
}

TEST(Confusion, KappaWhenEveryWindowIsOneClassOnBothSides) {
  eval::ConfusionMatrix m(3);
  for (int i = 0; i < 4; ++i) m.add(1, 1);
  EXPECT_EQ(eval::cohensKappa(m), 1.0);
  m.add(1, 2);  // p_e < 1 now: p_o = 0.8, p_e = 0.8 -> 0
  EXPECT_NEAR(eval::cohensKappa(m), 0.0, 1e-15);
}

TEST(Confusion, OutOfRangeClassIsAnError) {
  eval::ConfusionMatrix m(2);
  EXPECT_THROW(m.add(2, 0), Error);
  EXPECT_THROW(m.add(0, -1), Error);
}

}  // namespace
}  // namespace imuwb
