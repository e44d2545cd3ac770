// `labels diff`'s numbers (agreement, Cohen's kappa, per-class Dice, overlap/extent, boundary
// displacement) against an independent numpy implementation (tests/peers/labels_agreement_peer.py).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "labels/LabelAgreement.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

// A labeller's track over [0, duration): random lengths, classes, and now and then a gap.
LabelSet randomTrack(std::mt19937& random, double duration,
                     const std::vector<std::string>& classes) {
  LabelSet set{classes, {}};
  std::uniform_real_distribution<double> length(0.3, 9.0), gap(0.0, 1.0);
  std::uniform_int_distribution<std::size_t> pick(0, classes.size() - 1);
  double t = gap(random) < 0.5 ? 0.0 : gap(random) * 3;
  while (t < duration) {
    const double end = std::min(duration, t + length(random));
    set.intervals.push_back({t, end, classes[pick(random)], ""});
    t = end + (gap(random) < 0.2 ? gap(random) * 2 : 0.0);
  }
  return set;
}

nlohmann::json asJson(const LabelSet& set) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : set.intervals) out.push_back({i.start_s, i.end_s, i.label});
  return out;
}

void expectStats(const DisplacementStats& ours, const nlohmann::json& peer) {
  EXPECT_EQ(ours.count, peer[0].get<std::size_t>());
  EXPECT_NEAR(ours.mean_s, peer[1].get<double>(), 1e-12);
  EXPECT_NEAR(ours.median_s, peer[2].get<double>(), 1e-12);
  EXPECT_NEAR(ours.p90_s, peer[3].get<double>(), 1e-12);
  EXPECT_NEAR(ours.max_s, peer[4].get<double>(), 1e-12);
}

TEST(LabelAgreementPeer, MatchesNumpyOnRandomAnnotatorPairs) {
  ASSERT_TRUE(test::havePythonPeers()) << "needs /usr/bin/python3 with numpy";
  test::TempDir dir;
  std::mt19937 random(17);
  const std::vector<std::string> classes{"rest", "walk", "trot", "graze"};
  for (int trial = 0; trial < 6; ++trial) {
    const double rate = trial % 2 ? 100.0 : 25.0;
    const LabelSet a = randomTrack(random, 300 + 40 * trial, classes);
    LabelSet b =
        trial == 5 ? a : randomTrack(random, 280 + 50 * trial, {"walk", "rest", "trot", "sniff"});
    const auto ours = compareLabels(a, b, rate);
    std::ofstream(dir / "in.json")
        << nlohmann::json{{"rate", rate}, {"a", asJson(a)}, {"b", asJson(b)}}.dump();
    const auto run = test::runCommand(
        test::shellQuote(test::pythonPath()) + " " +
        test::shellQuote((test::sourceDir() / "tests/peers/labels_agreement_peer.py").string()) +
        " " + test::shellQuote((dir / "in.json").string()) + " " +
        test::shellQuote((dir / "out.json").string()));
    ASSERT_EQ(run.exitCode, 0) << run.errors;
    std::ifstream in(dir / "out.json");
    const auto peer = nlohmann::json::parse(in);
    SCOPED_TRACE("trial " + std::to_string(trial));
    EXPECT_EQ(ours.gridPoints, peer["grid_points"].get<std::size_t>());
    EXPECT_NEAR(ours.agreement, peer["agreement"].get<double>(), 1e-12);
    if (trial == 5) {
      EXPECT_DOUBLE_EQ(ours.kappa, 1.0);
    }
    EXPECT_NEAR(ours.kappa, peer["kappa"].get<double>(), 1e-12);
    EXPECT_NEAR(ours.overlapRatio, peer["overlap_ratio"].get<double>(), 1e-12);
    EXPECT_EQ(ours.classes.size(), peer["classes"].size());
    for (const auto& c : ours.classes) {
      const auto& p = peer["classes"][c.name];
      EXPECT_EQ(c.countA, p[0].get<std::size_t>()) << c.name;
      EXPECT_EQ(c.countB, p[1].get<std::size_t>()) << c.name;
      EXPECT_EQ(c.countBoth, p[2].get<std::size_t>()) << c.name;
      EXPECT_NEAR(c.dice, p[3].get<double>(), 1e-12) << c.name;
    }
    expectStats(ours.boundariesAtoB, peer["a_to_b"]);
    expectStats(ours.boundariesBtoA, peer["b_to_a"]);
  }
}

}  // namespace
}  // namespace imuwb
