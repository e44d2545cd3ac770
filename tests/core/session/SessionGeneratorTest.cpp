// Physics checks of the generator against independent computations (naive DFT, vector norms).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <numbers>
#include <set>

#include "common/Error.hpp"
#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionValidator.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

double norm3(const float* v) {
  return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
}

// Frequency (Hz) of the largest DFT magnitude of x (mean removed) within [low, high].
double dominantFrequency(const std::vector<double>& x, double rate, double low, double high) {
  double mean = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double best = 0, bestFrequency = 0;
  for (double f = low; f <= high; f += 0.02) {
    double re = 0, im = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double phase = 2 * std::numbers::pi * f * static_cast<double>(i) / rate;
      re += (x[i] - mean) * std::cos(phase);
      im -= (x[i] - mean) * std::sin(phase);
    }
    const double power = re * re + im * im;
    if (power > best) best = power, bestFrequency = f;
  }
  return bestFrequency;
}

class Generated : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GeneratorOptions options;
    options.durationSeconds = 3600;
    options.seed = 11;
    session_ = new Session(generateSession(options));
    const SessionGenerator generator(options);
    truth_ = new std::vector<LabelInterval>(generator.trueTimeline());
    events_ = new std::vector<SensorEvent>(generator.sensorEvents());
  }
  static void TearDownTestSuite() {
    delete session_;
    delete truth_;
    delete events_;
  }
  // Whether a slip or re-seating of this device touches [start, end).
  static bool eventIn(const std::string& device, double start, double end) {
    for (const auto& e : *events_)
      if (e.device == device && e.end_s > start && e.start_s < end) return true;
    return false;
  }
  // Rows of interval [start + margin, end - margin).
  static std::pair<std::size_t, std::size_t> rowsOf(const LabelInterval& label, double margin) {
    const auto first = static_cast<std::size_t>(std::ceil((label.start_s + margin) * 100));
    const auto last = static_cast<std::size_t>(std::floor((label.end_s - margin) * 100));
    return {first, std::max(first, last)};
  }
  static Session* session_;
  static std::vector<LabelInterval>* truth_;  // the behaviour as generated (labels are jittered)
  static std::vector<SensorEvent>* events_;
  static constexpr double kHalfBlend = 1.0;  // blends last up to 2 s, centred on each change
};
Session* Generated::session_ = nullptr;
std::vector<LabelInterval>* Generated::truth_ = nullptr;
std::vector<SensorEvent>* Generated::events_ = nullptr;

TEST_F(Generated, LabelsCoverTheSessionAndUseEveryClass) {
  const Session& s = *session_;
  ASSERT_FALSE(s.labels.empty());
  EXPECT_DOUBLE_EQ(s.labels.front().start_s, 0.0);
  EXPECT_NEAR(s.labels.back().end_s, 3600.0, 1e-9);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < s.labels.size(); ++i) {
    seen.insert(s.labels[i].label);
    if (i) EXPECT_DOUBLE_EQ(s.labels[i].start_s, s.labels[i - 1].end_s);
    EXPECT_GT(s.labels[i].end_s, s.labels[i].start_s);
  }
  EXPECT_EQ(seen.size(), generatorClasses().size()) << "an hour should show every behaviour";
  EXPECT_FALSE(hasErrors(validateSession(s)));
}

TEST_F(Generated, GravityIsNineEightyOneAtRestOnBothDevices) {
  for (const auto& device : session_->devices) {
    std::size_t checked = 0;
    for (const auto& label : *truth_) {
      if (label.label != "stand" && label.label != "sit" && label.label != "lie_down") continue;
      if (eventIn(device.name, label.start_s, label.end_s)) continue;  // knocks are not rest
      const auto [first, last] = rowsOf(label, kHalfBlend);
      for (std::size_t r = first; r < last; ++r, ++checked)
        ASSERT_NEAR(norm3(&device.samples[r * 9]), 9.80665, 0.45) << device.name << " row " << r;
    }
    EXPECT_GT(checked, 1000u);
  }
}

TEST_F(Generated, GaitFrequenciesAreInTheirBands) {
  const std::map<std::string, std::pair<double, double>> bands = {
      {"walk", {1.3, 2.7}}, {"trot", {2.0, 3.4}}, {"gallop", {3.0, 4.0}}};
  std::map<std::string, double> amplitude;  // std of |a|
  std::map<std::string, int> counted;
  const Device& harness = *session_->findDevice("harness");
  for (const auto& label : *truth_) {
    const auto band = bands.find(label.label);
    if (band == bands.end() || label.end_s - label.start_s < 5) continue;
    if (eventIn("harness", label.start_s, label.end_s)) continue;
    const auto [first, last] = rowsOf(label, kHalfBlend);
    std::vector<double> magnitude;
    for (std::size_t r = first; r < last; ++r) magnitude.push_back(norm3(&harness.samples[r * 9]));
    const double f = dominantFrequency(magnitude, 100, 0.5, 8);
    EXPECT_GE(f, band->second.first - 0.05) << label.label << " at " << label.start_s;
    EXPECT_LE(f, band->second.second + 0.05) << label.label << " at " << label.start_s;
    double mean = 0, sq = 0;
    for (double v : magnitude) mean += v, sq += v * v;
    mean /= magnitude.size();
    amplitude[label.label] += std::sqrt(sq / magnitude.size() - mean * mean);
    ++counted[label.label];
  }
  ASSERT_TRUE(counted["walk"] && counted["trot"] && counted["gallop"]);
  const double walk = amplitude["walk"] / counted["walk"];
  const double trot = amplitude["trot"] / counted["trot"];
  const double gallop = amplitude["gallop"] / counted["gallop"];
  EXPECT_LT(walk, trot);
  EXPECT_LT(trot, gallop);
}

TEST_F(Generated, TurnsRotateTheMagnetometerAndShowYawRate) {
  const Device& harness = *session_->findDevice("harness");
  int turns = 0;
  double turnedDeg = 0;
  for (const auto& label : *truth_) {
    if (eventIn("harness", label.start_s - 1, label.end_s + 1)) continue;
    const bool turn = label.label == "turn_left" || label.label == "turn_right";
    const auto [first, last] = rowsOf(label, turn ? 0.3 : kHalfBlend);
    if (last <= first + 20) continue;
    const float* a = &harness.samples[first * 9 + 6];
    const float* b = &harness.samples[(last - 1) * 9 + 6];
    const double cosine = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (norm3(a) * norm3(b));
    const double angleDeg = std::acos(std::clamp(cosine, -1.0, 1.0)) * 180 / std::numbers::pi;
    if (turn) {
      double gyro = 0;
      for (std::size_t r = first; r < last; ++r) gyro += norm3(&harness.samples[r * 9 + 3]);
      EXPECT_GT(gyro / (last - first), 0.15) << "yaw rate in a turn, rad/s";
      turnedDeg += angleDeg;
      ++turns;
    } else if (label.label == "stand" || label.label == "lie_down") {
      EXPECT_LT(angleDeg, 6.0) << label.label << " at " << label.start_s;
    }
    // Field magnitude stays the Earth's (~49 uT) whatever the orientation.
    EXPECT_NEAR(norm3(a), 49.2, 4.0);
  }
  EXPECT_GT(turns, 3);
  EXPECT_GT(turnedDeg / turns, 10.0) << "turns rotate the field in the sensor frame";
}

TEST_F(Generated, ShakeIsAFourToSixHertzRollBurstAndJumpsFallAndLand) {
  const Device& harness = *session_->findDevice("harness");
  int shakes = 0, jumps = 0;
  for (const auto& label : *truth_) {
    if (eventIn("harness", label.start_s - 1, label.end_s + 1)) continue;
    const auto [first, last] = rowsOf(label, 0.0);
    if (label.label == "shake") {
      // The gyro axis with most energy carries the roll burst.
      int axis = 3;
      double best = 0;
      for (int c = 3; c < 6; ++c) {
        double energy = 0;
        for (std::size_t r = first; r < last; ++r)
          energy += harness.samples[r * 9 + c] * harness.samples[r * 9 + c];
        if (energy > best) best = energy, axis = c;
      }
      std::vector<double> roll;
      for (std::size_t r = first; r < last; ++r) roll.push_back(harness.samples[r * 9 + axis]);
      const double f = dominantFrequency(roll, 100, 1, 10);
      EXPECT_GE(f, 3.7) << label.start_s;
      EXPECT_LE(f, 6.3) << label.start_s;
      ++shakes;
    } else if (label.label == "jump") {
      double lowest = 1e9, highest = 0;
      for (std::size_t r = first; r < last; ++r) {
        const double a = norm3(&harness.samples[r * 9]);
        lowest = std::min(lowest, a);
        highest = std::max(highest, a);
      }
      EXPECT_LT(lowest, 2.0) << "free fall at " << label.start_s;
      EXPECT_GT(highest, 20.0) << "landing at " << label.start_s;
      ++jumps;
    }
  }
  EXPECT_GT(shakes, 0);
  EXPECT_GT(jumps, 0);
}

TEST(SessionGenerator, SameSeedSameDataDifferentSeedDifferentData) {
  GeneratorOptions options;
  options.durationSeconds = 120;
  options.seed = 5;
  const Session a = generateSession(options);
  const Session b = generateSession(options);
  options.seed = 6;
  const Session c = generateSession(options);
  EXPECT_EQ(a.devices[0].samples, b.devices[0].samples);
  EXPECT_EQ(a.devices[1].samples, b.devices[1].samples);
  EXPECT_NE(a.devices[0].samples, c.devices[0].samples);
  // Devices see the same motion through different mounts: different numbers.
  EXPECT_NE(a.devices[0].samples, a.devices[1].samples);
}

TEST(SessionGenerator, BlocksAreIndependentOfHowTheyAreCut) {
  GeneratorOptions options;
  options.durationSeconds = 60;
  const SessionGenerator generator(options);
  std::vector<float> whole(6000 * 9), pieces(6000 * 9);
  generator.generateRows(1, 0, 6000, whole.data());
  generator.generateRows(1, 0, 1234, pieces.data());
  generator.generateRows(1, 1234, 6000 - 1234, pieces.data() + 1234 * 9);
  EXPECT_EQ(whole, pieces);
}

TEST(SessionGenerator, FileMatchesInMemoryAndRejectsBadOptions) {
  test::TempDir dir;
  GeneratorOptions options;
  options.durationSeconds = 700;  // more than one 64k-row chunk
  options.devices = {"collar"};
  generateSessionFile(options, dir / "g.h5");
  const Session fromFile = loadSession(dir / "g.h5");
  const Session inMemory = generateSession(options);
  EXPECT_EQ(fromFile.devices[0].samples, inMemory.devices[0].samples);
  EXPECT_EQ(fromFile.labels.size(), inMemory.labels.size());
  options.durationSeconds = -1;
  EXPECT_THROW(SessionGenerator{options}, Error);
  options.durationSeconds = 10;
  options.devices = {};
  EXPECT_THROW(SessionGenerator{options}, Error);
  options.devices = {"a", "a"};
  EXPECT_THROW(SessionGenerator{options}, Error);
}

}  // namespace
}  // namespace imuwb

namespace imuwb {
namespace {

std::string fileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SessionGenerator, SameSeedGivesByteIdenticalFiles) {
  test::TempDir dir;
  GeneratorOptions options;
  options.durationSeconds = 800;  // direct-written chunks plus a tail
  generateSessionFile(options, dir / "a.h5");
  generateSessionFile(options, dir / "b.h5");
  EXPECT_EQ(fileBytes(dir / "a.h5"), fileBytes(dir / "b.h5"));
}

}  // namespace
}  // namespace imuwb
