// Temperature scaling against scipy in the peer (tests/peers/eval_reference.py): the fitted T
// equals the root of numpy's analytic d NLL / d log T (scipy.optimize.brentq) to 1e-9 relative,
// and is at least as good as scipy.optimize.minimize_scalar's minimum (bounded, on log T), which
// it agrees with to 1e-7: minimize_scalar compares NLL values, and NLL is so flat at its minimum
// that their differences fall below rounding within ~1e-8 of it. NLL goes down, and NLL itself
// matches numpy's. The Newton search takes a handful of passes over the rows.
#include <gtest/gtest.h>

#include <cmath>

#include "common/Error.hpp"
#include "core/eval/EvalPeer.hpp"
#include "eval/TemperatureScaling.hpp"

namespace imuwb {
namespace {

// Logits of an over- (truth 2.5) or under-confident (truth 0.4) model: labels drawn from
// softmax(logits / truth).
void checkFit(double truth, int rows = 800) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::EvalPeer peer;
  peer.python(
      "import sys, numpy as np; d = sys.argv[1]; r = np.random.default_rng(3); "
      "z = r.normal(0, 2, (" +
      std::to_string(rows) + ", 6)); p = np.exp(z / " + std::to_string(truth) +
      "); p /= p.sum(1, keepdims=True); "
      "y = np.array([r.choice(6, p=row) for row in p], dtype=np.int64); "
      "np.save(d + '/logits.npy', z); np.save(d + '/labels.npy', y)");
  const auto logits = peer.table("logits.npy");
  const auto labels = peer.ints("labels.npy");
  const auto fit = eval::fitTemperature(logits, labels);
  const auto expected = peer.reference("temperature", {"logits.npy", "labels.npy"});
  const double reference = expected["temperature"].get<double>();
  std::printf("[ temperature: ours %.6f, scipy %.6f (truth %.2f) ]\n", fit.temperature, reference,
              truth);
  EXPECT_NEAR(fit.temperature / reference, 1.0, 1e-9);
  const double minimized = expected["temperature_minimize_scalar"].get<double>();
  EXPECT_NEAR(fit.temperature / minimized, 1.0, 1e-7);
  EXPECT_LE(fit.nllAfter, expected["nll_minimize_scalar"].get<double>() + 1e-15);
  EXPECT_LE(fit.evaluations, 12);
  EXPECT_NEAR(fit.nllBefore, expected["nll_before"].get<double>(), 1e-12);
  EXPECT_NEAR(fit.nllAfter, expected["nll_after"].get<double>(), 1e-9);
  EXPECT_LT(fit.nllAfter, fit.nllBefore);
  EXPECT_FALSE(fit.atBound);
  EXPECT_NEAR(eval::meanNll(logits, labels, fit.temperature), fit.nllAfter, 1e-15);
}

TEST(TemperatureScaling, OverconfidentModelMatchesScipy) {
  checkFit(2.5);
}
TEST(TemperatureScaling, UnderconfidentModelMatchesScipy) {
  checkFit(0.4);
}
// Enough rows that the search starts from a fit on every 32nd row (as a merged batch does).
TEST(TemperatureScaling, ManyRowsMatchScipy) {
  checkFit(1.8, 20000);
}

TEST(TemperatureScaling, SeparableDataEndsAtTheSearchBound) {
  // Every label is its row's top logit: NLL falls as T -> 0, so the fit stops at the lower end
  // of the range and says so, whether the margins are small (the slope stays measurable down to
  // T = e^-5) or large (softmax saturates and the NLL is flat at 0 well before it).
  for (const double margin : {0.1, 3.0}) {
    const eval::ProbabilityTable z{
        3, {1.0, 1.0 - margin, 0.0, 0.0, 1.0, 1.0 - margin, 1.0 - margin, 0.0, 1.0}};
    const auto fit = eval::fitTemperature(z, {0, 1, 2});
    EXPECT_TRUE(fit.atBound) << margin;
    EXPECT_NEAR(std::log(fit.temperature), -5.0, 1e-6) << margin;
    EXPECT_LT(fit.nllAfter, fit.nllBefore) << margin;
  }
}

TEST(TemperatureScaling, SoftmaxRowsSumToOne) {
  const eval::ProbabilityTable z{3, {1000.0, 0.0, -1000.0, 1.0, 2.0, 3.0}};
  const auto p = eval::softmax(z, 2.0);
  for (std::size_t r = 0; r < 2; ++r)
    EXPECT_NEAR(p.row(r)[0] + p.row(r)[1] + p.row(r)[2], 1, 1e-15);
}

TEST(TemperatureScaling, NoCalibrationWindowsIsAnError) {
  EXPECT_THROW(eval::fitTemperature({3, {}}, {}), Error);
}

}  // namespace
}  // namespace imuwb
