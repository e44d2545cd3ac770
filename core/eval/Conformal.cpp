#include "eval/Conformal.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "common/Error.hpp"

namespace imuwb::eval {
namespace {

std::string alphaText(double alpha) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", alpha);
  return text;
}

void checkAlpha(double alpha) {
  if (!(alpha > 0 && alpha < 1))
    throw Error("--alpha " + alphaText(alpha), "the miscoverage level must be in (0, 1)",
                "e.g. --alpha 0.1 for 90% prediction sets");
}

// Class indices by descending probability, ties by ascending index (numpy's stable argsort of -p),
// into order (reused across windows: the merge runs this for millions of them). Insertion sort:
// stable, and faster than std::stable_sort's buffer for a handful of classes.
void descendingOrder(const double* p, std::size_t classes, std::vector<int>& order) {
  order.resize(classes);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = 1; i < classes; ++i) {
    const int c = order[i];
    std::size_t j = i;
    for (; j > 0 && p[order[j - 1]] < p[c]; --j) order[j] = order[j - 1];
    order[j] = c;
  }
}

double apsScore(const double* p, std::size_t classes, int label, std::vector<int>& order) {
  descendingOrder(p, classes, order);
  double mass = 0;
  for (int c : order) {
    mass += p[c];
    if (c == label) break;
  }
  return mass;
}

// The size of a window's prediction set and whether it holds label, as predictionSet decides.
struct SetOutcome {
  std::size_t size = 0;
  bool hit = false;
};
SetOutcome setOutcome(const double* p, std::size_t classes, double threshold, ConformalScore score,
                      int label, std::vector<int>& order) {
  SetOutcome out;
  if (score == ConformalScore::Lac) {
    for (std::size_t c = 0; c < classes; ++c)
      if (1.0 - p[c] <= threshold) ++out.size, out.hit = out.hit || static_cast<int>(c) == label;
    return out;
  }
  descendingOrder(p, classes, order);
  double mass = 0;
  for (int c : order) {
    mass += p[c];
    if (mass > threshold) break;
    ++out.size, out.hit = out.hit || c == label;
  }
  return out;
}

}  // namespace

const char* conformalScoreName(ConformalScore score) {
  return score == ConformalScore::Lac ? "lac" : "aps";
}

double conformalScore(const double* p, std::size_t classes, int label, ConformalScore score) {
  if (label < 0 || label >= static_cast<int>(classes))
    throw Error("conformal score", "label " + std::to_string(label) + " outside the classes");
  if (score == ConformalScore::Lac) return 1.0 - p[label];
  std::vector<int> order;
  return apsScore(p, classes, label, order);
}

std::size_t conformalRank(std::size_t n, double alpha) {
  return static_cast<std::size_t>(std::ceil(static_cast<double>(n + 1) * (1.0 - alpha)));
}

std::size_t minimumCalibrationWindows(double alpha) {
  checkAlpha(alpha);
  auto n = static_cast<std::size_t>(std::max(0.0, std::floor((1.0 - alpha) / alpha) - 1));
  while (conformalRank(n, alpha) > n) ++n;
  return n;
}

double conformalThreshold(std::vector<double> scores, double alpha) {
  checkAlpha(alpha);
  const std::size_t n = scores.size();
  const std::size_t k = conformalRank(n, alpha);
  if (k > n || k == 0)
    throw Error(
        "--alpha " + alphaText(alpha),
        "the calibration split has " + std::to_string(n) +
            " labelled windows; a split-conformal threshold at alpha = " + alphaText(alpha) +
            " needs at least " + std::to_string(minimumCalibrationWindows(alpha)) +
            " (the ceil((n+1)(1-alpha))-th smallest score must exist)",
        "evaluate more labelled windows, raise --calibration-split, or raise --alpha");
  std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(k - 1),
                   scores.end());
  return scores[k - 1];
}

std::vector<int> predictionSet(const double* p, std::size_t classes, double threshold,
                               ConformalScore score) {
  std::vector<int> set;
  if (score == ConformalScore::Lac) {
    for (std::size_t c = 0; c < classes; ++c)
      if (1.0 - p[c] <= threshold) set.push_back(static_cast<int>(c));
    return set;
  }
  std::vector<int> order;
  descendingOrder(p, classes, order);
  double mass = 0;
  for (int c : order) {
    mass += p[c];
    if (mass > threshold) break;
    set.push_back(c);
  }
  std::sort(set.begin(), set.end());
  return set;
}

ConformalResult splitConformal(const ProbabilityTable& calibration,
                               const std::vector<int>& calibrationLabels,
                               const ProbabilityTable& test, const std::vector<int>& testLabels,
                               double alpha, ConformalScore score,
                               const std::vector<std::string>& classNames) {
  const std::size_t classes = calibration.classes;
  ConformalResult result;
  result.score = score;
  result.alpha = alpha;
  result.calibrationWindows = calibrationLabels.size();
  result.testWindows = testLabels.size();
  std::vector<double> scores(calibrationLabels.size());
  std::vector<int> order;
  for (std::size_t r = 0; r < scores.size(); ++r) {
    const int label = calibrationLabels[r];
    if (label < 0 || label >= static_cast<int>(classes))
      throw Error("conformal score", "label " + std::to_string(label) + " outside the classes");
    scores[r] = score == ConformalScore::Lac ? 1.0 - calibration.row(r)[label]
                                             : apsScore(calibration.row(r), classes, label, order);
  }
  result.rank = conformalRank(scores.size(), alpha);
  result.threshold = conformalThreshold(std::move(scores), alpha);
  result.setSizeCounts.assign(classes + 1, 0);
  result.classes.resize(classes);
  for (std::size_t c = 0; c < classes; ++c)
    result.classes[c].name = c < classNames.size() ? classNames[c] : std::to_string(c);
  std::size_t covered = 0, sizeSum = 0;
  result.setSizes.reserve(testLabels.size());
  for (std::size_t r = 0; r < testLabels.size(); ++r) {
    const auto set =
        setOutcome(test.row(r), classes, result.threshold, score, testLabels[r], order);
    auto& perClass = result.classes.at(static_cast<std::size_t>(testLabels[r]));
    ++perClass.windows;
    perClass.covered += set.hit;
    perClass.averageSetSize += static_cast<double>(set.size);
    covered += set.hit;
    sizeSum += set.size;
    ++result.setSizeCounts[set.size];
    result.setSizes.push_back(static_cast<int>(set.size));
  }
  result.emptySets = result.setSizeCounts[0];
  if (!testLabels.empty()) {
    result.coverage = static_cast<double>(covered) / testLabels.size();
    result.averageSetSize = static_cast<double>(sizeSum) / testLabels.size();
  }
  for (auto& c : result.classes)
    if (c.windows) {
      c.coverage = static_cast<double>(c.covered) / c.windows;
      c.averageSetSize /= c.windows;
    }
  return result;
}

}  // namespace imuwb::eval
