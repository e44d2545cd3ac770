// The fitted figures of a batch (eval/FittedCalibration, eval/FitDataFile): five recordings'
// fit data, each written to its binary side file and read back, then joined in order, give
// exactly (bit for bit) the temperature, test ECE and NLL at it, and conformal sets that
// eval::evaluate computes over all five at once (EvaluationTest checks those against the numpy
// peer). A truncated, damaged or foreign fit file is an imuwb::Error that says which.
#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "core/eval/EvalPeer.hpp"
#include "eval/Evaluation.hpp"
#include "eval/FitDataFile.hpp"
#include "eval/FittedCalibration.hpp"

namespace imuwb {
namespace {

constexpr std::size_t kRecordings = 5, kWindows = 160;

class FittedCalibration : public ::testing::Test {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PYTHON_PEERS();
    // 5 recordings of 160 windows, 5 classes, 1 in 11 unlabelled; side B is side A with noise.
    // Side A's probabilities are float32 (as a model's are), side B's logits are divided by a
    // manifest temperature of 1.3 (not floats): both widths of the file are exercised.
    peer.python(
        "import sys, numpy as np\nd = sys.argv[1]; r = np.random.default_rng(29)\n"
        "z = r.normal(0, 2.0, (800, 5)); p = np.exp(z / 1.6); p /= p.sum(1, keepdims=True)\n"
        "y = np.array([r.choice(5, p=row) for row in p], dtype=np.int64); y[::11] = -1\n"
        "np.save(d + '/z.npy', z.astype(np.float32).astype(np.float64))\n"
        "np.save(d + '/zb.npy', (z + r.normal(0, 0.7, z.shape)) / 1.3)\n"
        "np.save(d + '/y.npy', y)\n");
    const auto labels = peer.ints("y.npy");
    for (std::size_t i = 0; i < labels.size(); ++i) {
      eval::EvalWindow w;
      w.session = i / kWindows;
      w.window = i % kWindows;
      w.label = labels[i];
      input.windows.push_back(w);
    }
    input.classes = {"stand", "walk", "trot", "sit", "lie"};
    input.settings.split.blockWindows = 8;
    for (const char* name : {"z.npy", "zb.npy"}) {
      const auto logits = peer.table(name);
      auto probabilities = eval::softmax(logits);
      if (input.sides.empty())
        for (auto& v : probabilities.values) v = static_cast<float>(v);
      input.sides.push_back({name, "fp32", logits, probabilities});
    }
  }
  // Recording r's windows alone, as its shard evaluates them.
  eval::EvalInput recording(std::size_t r) const {
    eval::EvalInput one;
    one.classes = input.classes;
    one.settings = input.settings;
    for (const auto& side : input.sides)
      one.sides.push_back({side.backend, side.precision, {5, {}}, {5, {}}});
    for (std::size_t i = r * kWindows; i < (r + 1) * kWindows; ++i) {
      auto w = input.windows[i];
      w.session = 0;
      one.windows.push_back(w);
      for (std::size_t s = 0; s < input.sides.size(); ++s) {
        one.sides[s].logits.append(input.sides[s].logits.row(i), 5);
        one.sides[s].probabilities.append(input.sides[s].probabilities.row(i), 5);
      }
    }
    return one;
  }

  test::EvalPeer peer;
  eval::EvalInput input;
};

void expectSameConformal(const eval::ConformalResult& a, const eval::ConformalResult& b) {
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.rank, b.rank);
  EXPECT_EQ(a.coverage, b.coverage);
  EXPECT_EQ(a.averageSetSize, b.averageSetSize);
  EXPECT_EQ(a.setSizeCounts, b.setSizeCounts);
  EXPECT_EQ(a.setSizes, b.setSizes);
  ASSERT_EQ(a.classes.size(), b.classes.size());
  for (std::size_t k = 0; k < a.classes.size(); ++k) {
    EXPECT_EQ(a.classes[k].covered, b.classes[k].covered);
    EXPECT_EQ(a.classes[k].averageSetSize, b.classes[k].averageSetSize);
  }
}

TEST_F(FittedCalibration, RecordingsJoinedFromTheirFilesFitExactlyAsOneEvaluation) {
  const auto whole = eval::evaluate(input);
  eval::FitData joined;
  for (std::size_t r = 0; r < kRecordings; ++r) {
    const auto file = peer.dir / ("r" + std::to_string(r) + ".evaluate.fit");
    const auto written = eval::writeFitData(eval::fitDataOf(recording(r)), file);
    eval::FitDataDigest read;
    eval::appendFitData(joined, eval::readFitData(file, &read));
    EXPECT_EQ(read.sha256, written.sha256);
    EXPECT_EQ(read.bytes, std::filesystem::file_size(file));
  }
  const auto all = eval::fitDataOf(input);
  EXPECT_EQ(joined.calibrationLabels, all.calibrationLabels);
  EXPECT_EQ(joined.testLabels, all.testLabels);
  for (std::size_t s = 0; s < 2; ++s) {
    EXPECT_EQ(joined.sides[s].calibrationLogits.values, all.sides[s].calibrationLogits.values);
    EXPECT_EQ(joined.sides[s].testProbabilities.values, all.sides[s].testProbabilities.values);
  }
  const auto fitted =
      eval::fitCalibration(joined, input.settings.alpha, input.settings.eceBins, input.classes);
  ASSERT_EQ(fitted.size(), 2u);
  for (std::size_t s = 0; s < 2; ++s) {
    const auto& c = whole.sides[s].calibration;
    EXPECT_EQ(fitted[s].temperature.temperature, c.temperature.temperature);
    EXPECT_EQ(fitted[s].temperature.nllAfter, c.temperature.nllAfter);
    EXPECT_EQ(fitted[s].testAfter.ece, c.testAfter.ece);
    EXPECT_EQ(fitted[s].nllTestAfter, c.nllTestAfter);
    ASSERT_EQ(fitted[s].conformal.size(), whole.sides[s].conformal.size());
    for (std::size_t i = 0; i < fitted[s].conformal.size(); ++i)
      expectSameConformal(fitted[s].conformal[i], whole.sides[s].conformal[i]);
    EXPECT_NE(c.temperature.temperature, 1.0);
  }
}

TEST_F(FittedCalibration, TablesKeepTheirValuesInTheNarrowestExactWidth) {
  const auto data = eval::fitDataOf(recording(0));
  const auto bytes = eval::encodeFitData(data);
  const auto back = eval::decodeFitData(bytes, "memory");
  for (std::size_t s = 0; s < 2; ++s) {
    EXPECT_EQ(back.sides[s].calibrationLogits.values, data.sides[s].calibrationLogits.values);
    EXPECT_EQ(back.sides[s].calibrationProbabilities.values,
              data.sides[s].calibrationProbabilities.values);
    EXPECT_EQ(back.sides[s].testLogits.values, data.sides[s].testLogits.values);
    EXPECT_EQ(back.sides[s].testProbabilities.values, data.sides[s].testProbabilities.values);
    EXPECT_EQ(back.sides[s].backend, data.sides[s].backend);
  }
  // Side A: float logits and probabilities (4 + 4 bytes a value); side B: doubles (8 + 8).
  const std::size_t rows = data.calibrationLabels.size() + data.testLabels.size();
  const std::size_t header = 40 + (4 + 5 + 4) + (4 + 6 + 4);  // names "z.npy", "zb.npy"
  EXPECT_EQ(bytes.size(), header + rows * 4 + rows * 5 * (8 + 16) + 64);
}

std::string errorOf(const std::string& bytes) {
  try {
    eval::decodeFitData(bytes, "r.evaluate.fit");
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), "r.evaluate.fit");
    EXPECT_FALSE(e.fix().empty());
    return e.problem();
  }
  ADD_FAILURE() << "decoded a bad file";
  return "";
}

TEST_F(FittedCalibration, ATruncatedDamagedOrForeignFileIsAnErrorThatSaysWhich) {
  const auto bytes = eval::encodeFitData(eval::fitDataOf(recording(1)));
  for (const std::size_t keep : {std::size_t{0}, std::size_t{7}, std::size_t{30}, std::size_t{60},
                                 bytes.size() / 2, bytes.size() - 64, bytes.size() - 1}) {
    const auto problem = errorOf(bytes.substr(0, keep));
    EXPECT_TRUE(problem.find("truncated") != std::string::npos ||
                (keep < 8 && problem.find("not an imuwb fit") != std::string::npos))
        << keep << ": " << problem;
  }
  EXPECT_NE(errorOf(bytes + "x").find("longer"), std::string::npos);
  auto flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x10;
  EXPECT_NE(errorOf(flipped).find("damaged"), std::string::npos);
  auto version = bytes;
  version[8] = 9;
  EXPECT_NE(errorOf(version).find("version 9"), std::string::npos);
  EXPECT_NE(errorOf("{\"format\": \"imuwb-batch-result\"}").find("not an imuwb fit"),
            std::string::npos);
  EXPECT_THROW(eval::readFitData(peer.dir / "missing.evaluate.fit"), Error);
}

TEST_F(FittedCalibration, JoiningRefusesOtherClassesOrSides) {
  auto a = eval::fitDataOf(recording(0));
  auto b = eval::fitDataOf(recording(1));
  b.sides[1].backend = "hailort";
  EXPECT_THROW(eval::appendFitData(a, b), Error);
  b.sides.pop_back();
  EXPECT_THROW(eval::appendFitData(a, b), Error);
}

}  // namespace
}  // namespace imuwb
