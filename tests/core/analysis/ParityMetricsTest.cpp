#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analysis/ParityMetrics.hpp"
#include "core/quant/PeerNpy.hpp"

namespace imuwb::analysis {
namespace {

struct Pair {
  std::vector<float> a, b;
};

Pair randomPair(std::size_t windows, std::size_t dim, double noise, unsigned seed,
                bool sigmoid = false) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.f, 1.f);
  Pair p;
  for (std::size_t i = 0; i < windows * dim; ++i) {
    float a = n(rng) * 2.f;
    float b = a + static_cast<float>(noise) * n(rng);
    if (sigmoid) {
      a = 1.f / (1.f + std::exp(-a));
      b = 1.f / (1.f + std::exp(-b));
    }
    p.a.push_back(a);
    p.b.push_back(b);
  }
  // An exactly-zero window in both, and one zero in only A: cosine 1 and 0 by definition.
  std::fill_n(p.a.begin() + 3 * dim, dim, 0.f);
  std::fill_n(p.b.begin() + 3 * dim, dim, 0.f);
  return p;
}

OutputParity accumulate(const Pair& p, OutputRole role, std::size_t dim, std::size_t chunk) {
  OutputParityAccumulator acc("out", role, dim);
  const std::size_t windows = p.a.size() / dim;
  std::vector<double> times(windows);
  for (std::size_t w = 0; w < windows; ++w) times[w] = 0.5 * static_cast<double>(w);
  for (std::size_t start = 0; start < windows; start += chunk) {
    const std::size_t n = std::min(chunk, windows - start);
    acc.add(p.a.data() + start * dim, p.b.data() + start * dim, n, times.data() + start);
  }
  return acc.finish(contractDefaultTolerance(true));
}

void expectMatchesNumpy(const Pair& p, OutputRole role, std::size_t dim) {
  test::TempDir dir;
  const auto windows = static_cast<std::int64_t>(p.a.size() / dim);
  test::writeNpyF32(dir / "a.npy", {windows, static_cast<std::int64_t>(dim)}, p.a);
  test::writeNpyF32(dir / "b.npy", {windows, static_cast<std::int64_t>(dim)}, p.b);
  const auto peer = test::runQuantPeer(dir.path(), {{"op", "parity"},
                                                    {"a", (dir / "a.npy").string()},
                                                    {"b", (dir / "b.npy").string()},
                                                    {"role", std::string(roleName(role))},
                                                    {"threshold", 0.5}});
  const auto mine = accumulate(p, role, dim, 37);  // odd chunking: streaming must not matter
  EXPECT_NEAR(mine.cosineMean, peer["cosine_mean"].get<double>(), 1e-6);
  EXPECT_NEAR(mine.cosineMin, peer["cosine_min"].get<double>(), 1e-6);
  EXPECT_NEAR(mine.cosineP5, peer["cosine_p5"].get<double>(), 1e-6);
  EXPECT_NEAR(mine.snr_db, peer["snr_db"].get<double>(), 1e-9);
  EXPECT_NEAR(mine.mse, peer["mse"].get<double>(), 1e-9 * std::max(1.0, mine.mse));
  EXPECT_NEAR(mine.maxAbs, peer["max_abs"].get<double>(), 1e-9);
  EXPECT_NEAR(mine.maxRel, peer["max_rel"].get<double>(), 1e-6 * mine.maxRel);
  ASSERT_FALSE(mine.worst.empty());
  EXPECT_EQ(mine.worst[0].window, peer["worst_window"].get<std::size_t>());
  EXPECT_DOUBLE_EQ(mine.worst[0].time_s, 0.5 * static_cast<double>(mine.worst[0].window));
  EXPECT_EQ(mine.cosinePerWindow.size(), static_cast<std::size_t>(windows));
  if (role == OutputRole::Logits) {
    ASSERT_TRUE(mine.top1Agreement.has_value());
    EXPECT_NEAR(*mine.top1Agreement, peer["top1_agreement"].get<double>(), 1e-12);
    std::vector<std::size_t> flips;
    for (const auto& f : mine.flips) flips.push_back(f.window);
    EXPECT_EQ(flips, peer["flips"].get<std::vector<std::size_t>>());
  }
  if (role == OutputRole::MotifScores) {
    EXPECT_EQ(mine.crossingsGained, peer["gained"].get<std::size_t>());
    EXPECT_EQ(mine.crossingsLost, peer["lost"].get<std::size_t>());
    EXPECT_EQ(mine.crossings.size(), mine.crossingsGained + mine.crossingsLost);
  }
}

TEST(ParityMetrics, LatentMatchesNumpy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  expectMatchesNumpy(randomPair(500, 64, 0.3, 1), OutputRole::Latent, 64);
}

TEST(ParityMetrics, LogitsTopOneAndFlipsMatchNumpy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  const auto p = randomPair(400, 10, 0.8, 2);
  expectMatchesNumpy(p, OutputRole::Logits, 10);
  EXPECT_FALSE(accumulate(p, OutputRole::Logits, 10, 400).flips.empty());
}

TEST(ParityMetrics, MotifCrossingsMatchNumpy) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  expectMatchesNumpy(randomPair(300, 12, 0.5, 3, true), OutputRole::MotifScores, 12);
}

TEST(ParityMetrics, HandComputedCosineAndChecks) {
  // Window 0: identical -> cosine 1. Window 1: orthogonal -> 0. Window 2: both zero -> 1.
  const std::vector<float> a = {1, 0, 1, 0, 0, 0};
  const std::vector<float> b = {1, 0, 0, 1, 0, 0};
  OutputParityAccumulator acc("latent", OutputRole::Latent, 2);
  acc.add(a.data(), b.data(), 3, nullptr);
  const auto r = acc.finish(contractDefaultTolerance(false));
  EXPECT_EQ(r.cosinePerWindow, (std::vector<float>{1.f, 0.f, 1.f}));
  EXPECT_DOUBLE_EQ(r.cosineMean, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.cosineMin, 0.0);
  EXPECT_DOUBLE_EQ(r.mse, 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(r.snr_db, 0.0);  // signal 2, noise 2
  EXPECT_EQ(r.worst.at(0).window, 1u);
  ASSERT_EQ(r.checks.size(), 1u);
  EXPECT_EQ(r.checks[0].name, "latent.cosine_mean");
  EXPECT_DOUBLE_EQ(r.checks[0].threshold, 0.99);
  EXPECT_FALSE(r.passed);
}

TEST(ParityMetrics, ToleranceGatesEachConfiguredMetric) {
  const std::vector<float> a = {1, 2, 3, 4};
  const std::vector<float> b = {1, 2, 3, 4.1f};
  OutputParityAccumulator acc("logits", OutputRole::Logits, 4);
  acc.add(a.data(), b.data(), 1, nullptr);
  Tolerance t = contractDefaultTolerance(true);
  t.minSnr_db = 60.0;
  t.minTop1Agreement = 1.0;
  const auto r = acc.finish(t);
  ASSERT_EQ(r.checks.size(), 3u);
  EXPECT_TRUE(r.checks[0].passed);   // cosine ~0.9998
  EXPECT_FALSE(r.checks[1].passed);  // snr ~ 34.8 dB < 60
  EXPECT_TRUE(r.checks[2].passed);   // same argmax
  EXPECT_FALSE(r.passed);
}

TEST(ParityMetrics, EmptyComparisonFails) {
  OutputParityAccumulator acc("latent", OutputRole::Latent, 4);
  const auto r = acc.finish(contractDefaultTolerance(true));
  EXPECT_FALSE(r.passed);
}

TEST(ParityMetrics, ScatterIsBoundedAndDeterministic) {
  const auto p = randomPair(1000, 64, 0.1, 4);
  const auto r1 = accumulate(p, OutputRole::Latent, 64, 100);
  const auto r2 = accumulate(p, OutputRole::Latent, 64, 100);
  EXPECT_EQ(r1.scatter.size(), 4000u);
  EXPECT_EQ(r1.scatter, r2.scatter);
}

}  // namespace
}  // namespace imuwb::analysis
