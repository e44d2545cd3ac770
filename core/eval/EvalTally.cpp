#include "eval/EvalTally.hpp"

#include <cmath>

#include "common/Error.hpp"
#include "eval/TemperatureScaling.hpp"

namespace imuwb::eval {

using nlohmann::json;

namespace {

BinSums emptyBins(int bins) {
  const auto n = static_cast<std::size_t>(bins);
  return {std::vector<std::size_t>(n, 0), std::vector<double>(n, 0), std::vector<double>(n, 0), 0};
}

void addToBins(BinSums& b, const double* probabilities, std::size_t classes, int label, int bins) {
  const int top = topClass(probabilities, classes);
  const std::size_t m = eceBin(probabilities[top], bins);
  ++b.count[m];
  b.confidence[m] += probabilities[top];
  b.correct[m] += top == label ? 1.0 : 0.0;
  ++b.samples;
}

SideTally tallySide(const EvalInput& input, const SidePredictions& side) {
  const std::size_t k = input.classes.size();
  const int bins = input.settings.eceBins;
  SideTally t{side.backend,
              side.precision,
              std::vector<std::size_t>(k * k, 0),
              0,
              0,
              emptyBins(bins),
              emptyBins(bins),
              0};
  ProbabilityTable testLogits{k, {}};
  std::vector<int> testLabels;
  for (std::size_t r = 0; r < input.windows.size(); ++r) {
    const auto& w = input.windows[r];
    if (w.label < 0) continue;
    const double* p = side.probabilities.row(r);
    const int top = topClass(p, k);
    ++t.confusion[static_cast<std::size_t>(w.label) * k + static_cast<std::size_t>(top)];
    if (w.mixedLabels) ++t.mixedWindows, t.mixedCorrect += top == w.label;
    addToBins(t.all, p, k, w.label, bins);
    if (!inCalibrationSplit(w.window, input.settings.split)) {
      testLogits.append(side.logits.row(r), k);
      testLabels.push_back(w.label);
    }
  }
  const auto testProbabilities = softmax(testLogits);
  for (std::size_t i = 0; i < testLabels.size(); ++i)
    addToBins(t.testBefore, testProbabilities.row(i), k, testLabels[i], bins);
  if (!testLabels.empty())
    t.nllTestSum = meanNll(testLogits, testLabels) * static_cast<double>(testLabels.size());
  return t;
}

WindowCounts countWindows(const EvalInput& input) {
  WindowCounts c;
  c.windows = input.windows.size();
  for (const auto& w : input.windows) {
    if (w.label == kUnlabelled) {
      ++c.unlabelled;
    } else if (w.label == kUnknownClass) {
      ++c.unknownClass;
    } else {
      ++c.labelled;
      c.mixedLabels += w.mixedLabels;
      ++(inCalibrationSplit(w.window, input.settings.split) ? c.calibration : c.test);
    }
  }
  return c;
}

}  // namespace

EvalTally tallyOf(const EvalInput& input) {
  EvalTally t;
  t.classes = input.classes;
  t.eceBins = input.settings.eceBins;
  t.counts = countWindows(input);
  for (const auto& side : input.sides) t.sides.push_back(tallySide(input, side));
  if (input.sides.size() == 2) {
    const std::size_t k = input.classes.size();
    t.comparedWindows = input.windows.size();
    for (std::size_t r = 0; r < t.comparedWindows; ++r)
      t.flips += topClass(input.sides[0].probabilities.row(r), k) !=
                 topClass(input.sides[1].probabilities.row(r), k);
  }
  return t;
}

namespace {

void addBins(BinSums& a, const BinSums& b) {
  for (std::size_t m = 0; m < a.count.size(); ++m) {
    a.count[m] += b.count[m];
    a.confidence[m] += b.confidence[m];
    a.correct[m] += b.correct[m];
  }
  a.samples += b.samples;
}

void addCounts(WindowCounts& a, const WindowCounts& b) {
  a.windows += b.windows;
  a.labelled += b.labelled;
  a.unlabelled += b.unlabelled;
  a.unknownClass += b.unknownClass;
  a.mixedLabels += b.mixedLabels;
  a.calibration += b.calibration;
  a.test += b.test;
  a.skippedGap += b.skippedGap;
  a.skippedNan += b.skippedNan;
}

}  // namespace

void mergeTally(EvalTally& into, const EvalTally& from) {
  if (into.classes.empty()) {
    into = from;
    return;
  }
  if (into.classes != from.classes || into.eceBins != from.eceBins ||
      into.sides.size() != from.sides.size())
    throw Error("evaluation results", "the recordings' results differ in classes, bins or sides",
                "merge results of one model and one set of options");
  addCounts(into.counts, from.counts);
  for (std::size_t s = 0; s < into.sides.size(); ++s) {
    auto& a = into.sides[s];
    const auto& b = from.sides[s];
    if (a.backend != b.backend)
      throw Error("evaluation results", "side " + b.backend + " does not match " + a.backend,
                  "merge results of one set of backends");
    for (std::size_t i = 0; i < a.confusion.size(); ++i) a.confusion[i] += b.confusion[i];
    a.mixedWindows += b.mixedWindows;
    a.mixedCorrect += b.mixedCorrect;
    addBins(a.all, b.all);
    addBins(a.testBefore, b.testBefore);
    a.nllTestSum += b.nllTestSum;
  }
  into.comparedWindows += from.comparedWindows;
  into.flips += from.flips;
}

}  // namespace imuwb::eval
