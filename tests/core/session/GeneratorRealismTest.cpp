// The generator's realism, measured independently: tests/peers/generator_truth.py reads a
// generated file with h5py + numpy and measures label edges against the true change points,
// posture changes (where and how fast gravity turns), slips (how far a device's gravity turns
// while the other device shows the body kept still) and walk / trot bouts (cadence, bounce).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class GeneratorRealism : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    options_.durationSeconds = 5400;
    options_.seed = 31;
    generateSessionFile(options_, *dir_ / "s.h5");
    const auto result = test::runCommand(
        test::shellQuote(test::pythonPath()) + " " +
        test::shellQuote((test::sourceDir() / "tests/peers/generator_truth.py").string()) + " " +
        test::shellQuote((*dir_ / "s.h5").string()));
    ASSERT_EQ(result.exitCode, 0) << result.errors;
    peer_ = new nlohmann::json(nlohmann::json::parse(result.output));
  }
  static void TearDownTestSuite() {
    delete peer_;
    delete dir_;
  }
  void SetUp() override {
    IMUWB_REQUIRE_PYTHON_PEERS();
    ASSERT_NE(peer_, nullptr);
  }
  static inline GeneratorOptions options_;
  static inline test::TempDir* dir_ = nullptr;
  static inline nlohmann::json* peer_ = nullptr;
};

TEST_F(GeneratorRealism, LabelEdgesAreOffTheTrueChangePointsByABoundedJitter) {
  const SessionGenerator generator(options_);
  const auto truth = generator.trueTimeline();
  const auto& offsets = peer_->at("label_offsets");
  ASSERT_EQ(offsets.size() + 1, truth.size());
  EXPECT_TRUE(peer_->at("edges_contiguous").get<bool>());
  double sum = 0, sumAbs = 0, sumSq = 0, largest = 0;
  std::size_t moved = 0;
  for (std::size_t k = 0; k < offsets.size(); ++k) {
    const double o = offsets[k].get<double>();
    EXPECT_NEAR(truth[k + 1].start_s + o, generator.labels()[k + 1].start_s, 2e-6);
    sum += o, sumAbs += std::abs(o), sumSq += o * o;
    largest = std::max(largest, std::abs(o));
    moved += std::abs(o) > 0.02;
  }
  const double n = static_cast<double>(offsets.size());
  const double mean = sum / n, sd = std::sqrt(sumSq / n - mean * mean);
  std::printf("[ %zu edges: mean offset %.3f s, sd %.3f, mean |offset| %.3f, max %.3f ]\n",
              offsets.size(), mean, sd, sumAbs / n, largest);
  EXPECT_GT(offsets.size(), 200u);
  EXPECT_LE(largest, 0.4 + 1e-6) << "a few hundred ms, bounded";
  EXPECT_GT(sd, 0.08) << "labellers are not exact";
  EXPECT_LT(sd, 0.25);
  EXPECT_GT(static_cast<double>(moved) / n, 0.8);
}

TEST_F(GeneratorRealism, PosturesChangeAtTheTrueChangePointOverAnAmbiguousStretch) {
  const auto& postures = peer_->at("postures");
  ASSERT_GE(postures.size(), 8u) << "enough rest-to-rest changes to judge";
  std::size_t labelFurther = 0;
  for (const auto& p : postures) {
    const double change = p.at("change_s").get<double>(), mid = p.at("midpoint_s").get<double>();
    const double rise = p.at("rise_s").get<double>();
    EXPECT_NEAR(mid, change, 0.2) << p.dump();  // the physics puts the change where truth does
    EXPECT_GE(rise, 0.2) << "an ambiguous stretch, not a step: " << p.dump();
    EXPECT_LE(rise, 1.6) << p.dump();
    labelFurther += std::abs(p.at("label_edge_s").get<double>() - mid) > std::abs(change - mid);
  }
  EXPECT_GT(static_cast<double>(labelFurther) / static_cast<double>(postures.size()), 0.6)
      << "the stored labels are further from the physics than the true timeline";
}

TEST_F(GeneratorRealism, SlipsAndReseatsTurnTheDevicesGravityDirection) {
  const SessionGenerator generator(options_);
  const auto events = generator.sensorEvents();
  ASSERT_EQ(events.size(), peer_->at("events").size());
  std::size_t collar = 0, slips = 0, reseats = 0, checked = 0;
  for (const auto& e : events) {
    collar += e.device == "collar";
    slips += e.kind == "slip";
    reseats += e.kind == "reseat";
  }
  EXPECT_GT(collar, 8u);
  EXPECT_GT(reseats, 2u);
  EXPECT_GT(slips, reseats);
  for (const auto& c : peer_->at("event_checks")) {
    if (c.at("body_change_deg").get<double>() > 2.0) continue;  // the body moved too
    const double angle = std::abs(c.at("angle_deg").get<double>());
    const double turned = c.at("device_change_deg").get<double>();
    EXPECT_LE(turned, angle + 2.5) << c.dump();
    if (angle < 8) continue;
    // A rotation turns gravity by at most its angle, by less when its axis leans towards it.
    EXPECT_GE(turned, 0.3 * angle) << c.dump();
    ++checked;
  }
  EXPECT_GE(checked, 4u);
}

TEST_F(GeneratorRealism, WalkAndTrotOverlapInCadenceAndBounce) {
  const auto& walk = peer_->at("gaits").at("walk");
  const auto& trot = peer_->at("gaits").at("trot");
  ASSERT_GE(walk.size(), 10u);
  ASSERT_GE(trot.size(), 5u);
  auto range = [](const nlohmann::json& bouts, const char* key) {
    double lo = 1e9, hi = -1e9, sum = 0;
    for (const auto& b : bouts) {
      const double v = b.at(key).get<double>();
      lo = std::min(lo, v), hi = std::max(hi, v), sum += v;
    }
    return std::array<double, 3>{lo, hi, sum / static_cast<double>(bouts.size())};
  };
  const auto walkF = range(walk, "frequency_hz"), trotF = range(trot, "frequency_hz");
  const auto walkA = range(walk, "std"), trotA = range(trot, "std");
  std::printf("[ walk %.2f-%.2f Hz, bounce %.2f-%.2f; trot %.2f-%.2f Hz, bounce %.2f-%.2f ]\n",
              walkF[0], walkF[1], walkA[0], walkA[1], trotF[0], trotF[1], trotA[0], trotA[1]);
  EXPECT_LT(walkF[2], trotF[2]) << "trot is faster on average";
  EXPECT_LT(walkA[2], trotA[2]) << "and bounces more";
  EXPECT_GT(walkF[1], trotF[0]) << "but the cadences overlap";
  EXPECT_GT(walkA[1], trotA[0]) << "and so do the bounces";
  std::size_t twins = 0;  // a walk and a trot bout a model cannot tell apart by these features
  for (const auto& w : walk)
    for (const auto& t : trot)
      twins +=
          std::abs(w.at("frequency_hz").get<double>() - t.at("frequency_hz").get<double>()) < 0.1 &&
          std::abs(w.at("std").get<double>() / t.at("std").get<double>() - 1) < 0.1;
  EXPECT_GT(twins, 0u);
}

TEST(GeneratorMetadata, RecordsTheTrueChangePointsAndTheEventsAndRoundTrips) {
  test::TempDir dir;
  GeneratorOptions options;
  options.durationSeconds = 900;
  options.seed = 4;
  const SessionGenerator generator(options);
  const nlohmann::json meta = generator.metadata();
  EXPECT_EQ(meta.at("generator_version"), kGeneratorVersion);
  const auto truth = generator.trueTimeline();
  ASSERT_EQ(meta.at("true_change_s").size() + 1, truth.size());
  for (std::size_t k = 1; k < truth.size(); ++k) {
    EXPECT_NEAR(meta.at("true_change_s")[k - 1].get<double>(), truth[k].start_s, 1e-6);
    EXPECT_EQ(truth[k].label, generator.labels()[k].label);
  }
  EXPECT_EQ(meta.at("sensor_events").size(), generator.sensorEvents().size());
  generateSessionFile(options, dir / "g.h5");
  EXPECT_EQ(loadSession(dir / "g.h5").metadata, meta);
  EXPECT_EQ(generateSession(options).metadata, meta);
}

}  // namespace
}  // namespace imuwb
