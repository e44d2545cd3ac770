#pragma once
// Split-conformal prediction sets (Angelopoulos & Bates, "A Gentle Introduction to Conformal
// Prediction", 2021). A non-conformity score s(x, y) is computed for every calibration window
// with its label; the threshold q is the k-th smallest of those n scores, k = ceil((n+1)(1-alpha));
// the set of a test window is every class y with s(x, y) <= q. Then P(y in set) >= 1 - alpha in
// expectation over exchangeable calibration and test windows. k > n (n < (1-alpha)/alpha) has no
// finite threshold: that is an error naming n, alpha and the n needed, never a set of every class.
// Scores:
//   LAC  s = 1 - p_y (least ambiguous set-valued classifier, Sadinle et al. 2019);
//   APS  s = the mass of the classes sorted by descending probability (ties: lower index first)
//        up to and including y, non-randomized (Romano et al. 2020 without the random term).
// The APS set is then a prefix of the sorted classes; it may be empty, like the LAC set.
#include <cstddef>
#include <string>
#include <vector>

#include "eval/ProbabilityTable.hpp"

namespace imuwb::eval {

enum class ConformalScore { Lac, Aps };
const char* conformalScoreName(ConformalScore score);  // "lac" | "aps"

double conformalScore(const double* probabilities, std::size_t classes, int label,
                      ConformalScore score);

// k = ceil((n+1)(1-alpha)) as numpy computes it in double.
std::size_t conformalRank(std::size_t n, double alpha);
// The smallest n for which conformalRank(n, alpha) <= n.
std::size_t minimumCalibrationWindows(double alpha);

// The k-th smallest score. Throws imuwb::Error when alpha is not in (0, 1) or k > n.
double conformalThreshold(std::vector<double> scores, double alpha);

// The classes (ascending) of the prediction set of one window.
std::vector<int> predictionSet(const double* probabilities, std::size_t classes, double threshold,
                               ConformalScore score);

struct ClassCoverage {
  std::string name;
  std::size_t windows = 0, covered = 0;
  double coverage = 0;  // covered / windows, 0 without windows
  double averageSetSize = 0;
};

struct ConformalResult {
  ConformalScore score = ConformalScore::Lac;
  double alpha = 0.1;
  std::size_t calibrationWindows = 0, testWindows = 0;
  std::size_t rank = 0;  // k
  double threshold = 0;  // q
  double coverage = 0;   // fraction of test windows whose label is in their set
  double averageSetSize = 0;
  std::size_t emptySets = 0;
  std::vector<std::size_t> setSizeCounts;  // [size 0..classes]: test windows per set size
  std::vector<ClassCoverage> classes;      // by label
  std::vector<int> setSizes;               // per test window, in order (the GUI's strip)
};

// Calibrates on (calibration, calibrationLabels), applies to (test, testLabels).
ConformalResult splitConformal(const ProbabilityTable& calibration,
                               const std::vector<int>& calibrationLabels,
                               const ProbabilityTable& test, const std::vector<int>& testLabels,
                               double alpha, ConformalScore score,
                               const std::vector<std::string>& classNames);

}  // namespace imuwb::eval
