#include "eval/FittedCalibration.hpp"

#include <functional>
#include <future>

#include "common/Error.hpp"

namespace imuwb::eval {

FitData fitDataOf(const EvalInput& input) {
  FitData data;
  data.classes = input.classes.size();
  for (const auto& side : input.sides)
    data.sides.push_back({side.backend,
                          {data.classes, {}},
                          {data.classes, {}},
                          {data.classes, {}},
                          {data.classes, {}}});
  for (std::size_t r = 0; r < input.windows.size(); ++r) {
    const auto& w = input.windows[r];
    if (w.label < 0) continue;
    const bool calibration = inCalibrationSplit(w.window, input.settings.split);
    (calibration ? data.calibrationLabels : data.testLabels).push_back(w.label);
    for (std::size_t s = 0; s < input.sides.size(); ++s) {
      auto& to = data.sides[s];
      const auto& from = input.sides[s];
      (calibration ? to.calibrationLogits : to.testLogits).append(from.logits.row(r), data.classes);
      (calibration ? to.calibrationProbabilities : to.testProbabilities)
          .append(from.probabilities.row(r), data.classes);
    }
  }
  return data;
}

void appendFitData(FitData& into, const FitData& from) {
  if (into.classes == 0) {
    into = from;
    return;
  }
  if (into.classes != from.classes || into.sides.size() != from.sides.size())
    throw Error("evaluation fit data", "the recordings' fit data differ in classes or sides",
                "merge results of one model and one set of backends");
  into.calibrationLabels.insert(into.calibrationLabels.end(), from.calibrationLabels.begin(),
                                from.calibrationLabels.end());
  into.testLabels.insert(into.testLabels.end(), from.testLabels.begin(), from.testLabels.end());
  for (std::size_t s = 0; s < into.sides.size(); ++s) {
    auto& a = into.sides[s];
    const auto& b = from.sides[s];
    if (a.backend != b.backend)
      throw Error("evaluation fit data", "side " + b.backend + " does not match " + a.backend,
                  "merge results of one set of backends");
    for (auto [to, add] : {std::pair{&a.calibrationLogits, &b.calibrationLogits},
                           std::pair{&a.calibrationProbabilities, &b.calibrationProbabilities},
                           std::pair{&a.testLogits, &b.testLogits},
                           std::pair{&a.testProbabilities, &b.testProbabilities}})
      to->values.insert(to->values.end(), add->values.begin(), add->values.end());
  }
}

void reserveFitData(FitData& data, std::size_t calibrationRows, std::size_t testRows) {
  data.calibrationLabels.reserve(calibrationRows);
  data.testLabels.reserve(testRows);
  for (auto& side : data.sides) {
    side.calibrationLogits.values.reserve(calibrationRows * data.classes);
    side.calibrationProbabilities.values.reserve(calibrationRows * data.classes);
    side.testLogits.values.reserve(testRows * data.classes);
    side.testProbabilities.values.reserve(testRows * data.classes);
  }
}

namespace {

FittedSide fitSide(const FitData& data, const FitSide& side, double alpha, int eceBins,
                   const std::vector<std::string>& classNames) {
  FittedSide f;
  f.temperature = fitTemperature(side.calibrationLogits, data.calibrationLabels);
  const double t = f.temperature.temperature;
  f.testAfter = calibrationError(softmax(side.testLogits, t), data.testLabels, eceBins);
  f.nllTestAfter = meanNll(side.testLogits, data.testLabels, t);
  for (auto score : {ConformalScore::Lac, ConformalScore::Aps})
    f.conformal.push_back(splitConformal(side.calibrationProbabilities, data.calibrationLabels,
                                         side.testProbabilities, data.testLabels, alpha, score,
                                         classNames));
  return f;
}

}  // namespace

std::vector<FittedSide> fitCalibration(const FitData& data, double alpha, int eceBins,
                                       const std::vector<std::string>& classNames) {
  std::vector<std::future<FittedSide>> sides;
  for (const auto& side : data.sides)
    sides.push_back(std::async(std::launch::async, fitSide, std::cref(data), std::cref(side), alpha,
                               eceBins, std::cref(classNames)));
  std::vector<FittedSide> fitted;
  for (auto& side : sides) fitted.push_back(side.get());  // rethrows a side's Error
  return fitted;
}

namespace {

void addCheck(std::vector<ThresholdCheck>& checks, std::string name, bool atLeast, double value,
              double threshold) {
  const bool passed = atLeast ? value >= threshold : value <= threshold;
  checks.push_back({std::move(name), atLeast ? ">=" : "<=", value, threshold, passed});
}

}  // namespace

std::vector<ThresholdCheck> sideChecks(const Thresholds& t, const std::string& backend,
                                       double accuracy, double ece,
                                       const std::vector<ConformalResult>& conformal) {
  std::vector<ThresholdCheck> checks;
  if (t.minAccuracy) addCheck(checks, backend + ".min_accuracy", true, accuracy, *t.minAccuracy);
  if (t.maxEce) addCheck(checks, backend + ".max_ece", false, ece, *t.maxEce);
  if (t.minCoverage)
    for (const auto& c : conformal)
      addCheck(checks, backend + ".min_coverage." + conformalScoreName(c.score), true, c.coverage,
               *t.minCoverage);
  return checks;
}

}  // namespace imuwb::eval
