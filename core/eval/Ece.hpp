#pragma once
// Expected calibration error over the top-class confidence (Guo et al. 2017, "On Calibration of
// Modern Neural Networks"): M equal-width bins, bin m = (m/M, (m+1)/M] (a confidence exactly on
// an edge belongs to the bin below it; 0 goes to the first bin), and
//   ECE = sum_m (n_m / N) |accuracy_m - mean confidence_m|.
// Edges are computed as m * (1/M) (the last is 1), as numpy.linspace(0, 1, M + 1) does, so a
// tie on an edge falls the same way in both.
#include <cstddef>
#include <vector>

#include "eval/ProbabilityTable.hpp"

namespace imuwb::eval {

inline constexpr int kEceBins = 15;

struct ReliabilityBin {
  double lo = 0, hi = 0;  // (lo, hi]
  std::size_t count = 0;
  double meanConfidence = 0;  // 0 for an empty bin
  double accuracy = 0;        // 0 for an empty bin
};

struct CalibrationError {
  std::size_t samples = 0;
  double ece = 0;
  std::vector<ReliabilityBin> bins;  // the reliability diagram
};

// The bin of confidence c in [0, 1] among `bins` equal-width bins.
std::size_t eceBin(double confidence, int bins);

// confidence[i] and correct[i] (0/1) per sample.
CalibrationError calibrationError(const std::vector<double>& confidence,
                                  const std::vector<int>& correct, int bins = kEceBins);

// Top-class confidence of each row of probabilities, correct when its top class (lowest index on
// ties) is the row's label.
CalibrationError calibrationError(const ProbabilityTable& probabilities,
                                  const std::vector<int>& labels, int bins = kEceBins);

}  // namespace imuwb::eval
