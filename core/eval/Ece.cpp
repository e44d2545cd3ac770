#include "eval/Ece.hpp"

#include <cmath>

#include "common/Error.hpp"

namespace imuwb::eval {
namespace {

double edge(std::size_t m, int bins) {
  return m >= static_cast<std::size_t>(bins) ? 1.0 : static_cast<double>(m) * (1.0 / bins);
}

}  // namespace

std::size_t eceBin(double confidence, int bins) {
  const auto last = static_cast<std::size_t>(bins - 1);
  const double scaled = std::ceil(confidence * bins) - 1;
  std::size_t m = scaled <= 0 ? 0 : std::min(last, static_cast<std::size_t>(scaled));
  // The product can round across an edge; settle on the exact comparison with the edges.
  while (m > 0 && confidence <= edge(m, bins)) --m;
  while (m < last && confidence > edge(m + 1, bins)) ++m;
  return m;
}

CalibrationError calibrationError(const std::vector<double>& confidence,
                                  const std::vector<int>& correct, int bins) {
  if (bins < 1) throw Error("ECE", "needs at least one bin");
  if (confidence.size() != correct.size())
    throw Error("ECE", "confidences and correctness flags differ in count");
  CalibrationError result;
  result.samples = confidence.size();
  result.bins.resize(static_cast<std::size_t>(bins));
  std::vector<double> confidenceSum(result.bins.size(), 0), correctSum(result.bins.size(), 0);
  for (std::size_t i = 0; i < confidence.size(); ++i) {
    const std::size_t m = eceBin(confidence[i], bins);
    ++result.bins[m].count;
    confidenceSum[m] += confidence[i];
    correctSum[m] += correct[i] ? 1.0 : 0.0;
  }
  for (std::size_t m = 0; m < result.bins.size(); ++m) {
    auto& bin = result.bins[m];
    bin.lo = edge(m, bins);
    bin.hi = edge(m + 1, bins);
    if (bin.count == 0) continue;
    bin.meanConfidence = confidenceSum[m] / bin.count;
    bin.accuracy = correctSum[m] / bin.count;
    result.ece += static_cast<double>(bin.count) / result.samples *
                  std::fabs(bin.accuracy - bin.meanConfidence);
  }
  return result;
}

CalibrationError calibrationError(const ProbabilityTable& probabilities,
                                  const std::vector<int>& labels, int bins) {
  if (probabilities.rows() != labels.size())
    throw Error("ECE", "probability rows and labels differ in count");
  std::vector<double> confidence(labels.size());
  std::vector<int> correct(labels.size());
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const int top = topClass(probabilities.row(r), probabilities.classes);
    confidence[r] = probabilities.row(r)[top];
    correct[r] = top == labels[r] ? 1 : 0;
  }
  return calibrationError(confidence, correct, bins);
}

}  // namespace imuwb::eval
