#include "eval/Evaluation.hpp"

#include "common/Error.hpp"
#include "eval/FittedCalibration.hpp"

namespace imuwb::eval {
namespace {

constexpr std::size_t kReportFirstUnlabelled = 5;

// The labelled windows' rows of a table, and their labels, split by the calibration rule.
struct Subset {
  std::vector<std::size_t> rows;
  std::vector<int> labels;
  ProbabilityTable pick(const ProbabilityTable& table) const {
    ProbabilityTable out{table.classes, {}};
    out.values.reserve(rows.size() * table.classes);
    for (auto r : rows) out.append(table.row(r), table.classes);
    return out;
  }
  void add(std::size_t row, int label) { rows.push_back(row), labels.push_back(label); }
};

struct Subsets {
  Subset all, calibration, test;
};

Subsets splitWindows(const EvalInput& input, WindowCounts& counts) {
  Subsets s;
  counts.windows = input.windows.size();
  for (std::size_t r = 0; r < input.windows.size(); ++r) {
    const auto& w = input.windows[r];
    if (w.label == kUnlabelled) {
      ++counts.unlabelled;
      if (counts.firstUnlabelledTimes_s.size() < kReportFirstUnlabelled)
        counts.firstUnlabelledTimes_s.push_back(w.start_s);
      continue;
    }
    if (w.label == kUnknownClass) {
      ++counts.unknownClass;
      continue;
    }
    counts.mixedLabels += w.mixedLabels;
    s.all.add(r, w.label);
    (inCalibrationSplit(w.window, input.settings.split) ? s.calibration : s.test).add(r, w.label);
  }
  counts.labelled = s.all.rows.size();
  counts.calibration = s.calibration.rows.size();
  counts.test = s.test.rows.size();
  return s;
}

// The figures read from each window as deployed, plus what fitCalibration fitted.
CalibrationReport calibrate(const SidePredictions& side, const Subsets& s, int bins,
                            const FittedSide& fitted) {
  CalibrationReport report;
  report.all = calibrationError(s.all.pick(side.probabilities), s.all.labels, bins);
  report.temperature = fitted.temperature;
  const auto testLogits = s.test.pick(side.logits);
  report.testBefore = calibrationError(softmax(testLogits), s.test.labels, bins);
  report.testAfter = fitted.testAfter;
  report.nllTestBefore = meanNll(testLogits, s.test.labels);
  report.nllTestAfter = fitted.nllTestAfter;
  return report;
}

// Top class and its probability for every window, labelled or not.
void addWindowDecisions(const ProbabilityTable& probabilities, SideEvaluation& out) {
  const std::size_t rows = probabilities.rows();
  out.predicted.resize(rows);
  out.confidence.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const int top = topClass(probabilities.row(r), probabilities.classes);
    out.predicted[r] = top;
    out.confidence[r] = static_cast<float>(probabilities.row(r)[top]);
  }
}

std::vector<int> windowSetSizes(const ProbabilityTable& probabilities, const ConformalResult& c) {
  std::vector<int> sizes(probabilities.rows());
  for (std::size_t r = 0; r < sizes.size(); ++r)
    sizes[r] = static_cast<int>(
        predictionSet(probabilities.row(r), probabilities.classes, c.threshold, c.score).size());
  return sizes;
}

std::vector<EvaluatedWindow> evaluatedWindows(const EvalInput& input) {
  std::vector<EvaluatedWindow> out;
  out.reserve(input.windows.size());
  for (const auto& w : input.windows)
    out.push_back({w.session, w.window, w.start_s, w.end_s, w.label, w.mixedLabels,
                   w.label >= 0 && inCalibrationSplit(w.window, input.settings.split)});
  return out;
}

SideEvaluation evaluateSide(const EvalInput& input, const SidePredictions& side, const Subsets& s,
                            const FittedSide& fitted) {
  SideEvaluation out;
  out.backend = side.backend;
  out.precision = side.precision;
  out.confusion = ConfusionMatrix(input.classes.size());
  std::size_t mixedCorrect = 0;
  for (std::size_t i = 0; i < s.all.rows.size(); ++i) {
    const std::size_t r = s.all.rows[i];
    const int predicted = topClass(side.probabilities.row(r), side.probabilities.classes);
    out.confusion.add(s.all.labels[i], predicted);
    if (input.windows[r].mixedLabels) {
      ++out.mixedWindows;
      mixedCorrect += predicted == s.all.labels[i];
    }
  }
  if (out.mixedWindows) out.mixedAccuracy = static_cast<double>(mixedCorrect) / out.mixedWindows;
  out.decisions = decisionMetrics(out.confusion, input.classes);
  addWindowDecisions(side.probabilities, out);
  out.calibration = calibrate(side, s, input.settings.eceBins, fitted);
  out.conformal = fitted.conformal;
  for (const auto& c : out.conformal)
    out.windowSetSizes.push_back(windowSetSizes(side.probabilities, c));
  return out;
}

BackendComparison compare(const EvalInput& input, const SideEvaluation& a,
                          const SideEvaluation& b) {
  BackendComparison c;
  const std::size_t k = input.classes.size();
  for (std::size_t t = 0; t < k; ++t)
    for (std::size_t p = 0; p < k; ++p)
      c.difference.push_back(static_cast<long long>(b.confusion.count(t, p)) -
                             static_cast<long long>(a.confusion.count(t, p)));
  const auto& pa = input.sides[0].probabilities;
  const auto& pb = input.sides[1].probabilities;
  c.windows = input.windows.size();
  for (std::size_t r = 0; r < c.windows; ++r) {
    const int topA = topClass(pa.row(r), k), topB = topClass(pb.row(r), k);
    if (topA == topB) continue;
    const auto& w = input.windows[r];
    c.flipped.push_back(
        {w.session, w.window, w.start_s, w.end_s, w.label < 0 ? -1 : w.label, topA, topB});
  }
  c.flips = c.flipped.size();
  c.agreement = c.windows ? 1.0 - static_cast<double>(c.flips) / c.windows : 1.0;
  return c;
}

std::vector<ThresholdCheck> thresholdChecks(const Thresholds& t,
                                            const std::vector<SideEvaluation>& sides) {
  std::vector<ThresholdCheck> checks;
  for (const auto& side : sides) {
    const auto one = sideChecks(t, side.backend, side.decisions.accuracy, side.calibration.all.ece,
                                side.conformal);
    checks.insert(checks.end(), one.begin(), one.end());
  }
  return checks;
}

}  // namespace

EvaluationResult evaluate(const EvalInput& input) {
  checkSplitOptions(input.settings.split);
  if (input.sides.empty() || input.sides.size() > 2)
    throw Error("evaluate", "needs one or two backends, got " + std::to_string(input.sides.size()));
  for (const auto& side : input.sides)
    if (side.probabilities.rows() != input.windows.size() ||
        side.logits.rows() != input.windows.size() ||
        side.probabilities.classes != input.classes.size())
      throw Error("evaluate " + side.backend, "outputs do not match the windows and classes");
  EvaluationResult result;
  result.modelName = input.modelName;
  result.classes = input.classes;
  result.sessions = input.sessions;
  result.devices = input.devices;
  result.settings = input.settings;
  const Subsets subsets = splitWindows(input, result.counts);
  if (subsets.all.rows.empty())
    throw Error("evaluate", "no window has a label among the model's classes",
                "evaluate sessions with label intervals of the model's classes");
  result.windows = evaluatedWindows(input);
  // Fitted over the calibration windows at once, as `imuwb report merge` fits a batch.
  const auto fitted =
      fitCalibration(fitDataOf(input), input.settings.alpha, input.settings.eceBins, input.classes);
  for (std::size_t i = 0; i < input.sides.size(); ++i)
    result.sides.push_back(evaluateSide(input, input.sides[i], subsets, fitted[i]));
  if (result.sides.size() == 2)
    result.comparison = compare(input, result.sides[0], result.sides[1]);
  result.checks = thresholdChecks(input.settings.thresholds, result.sides);
  return result;
}

}  // namespace imuwb::eval
