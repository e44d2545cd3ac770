#include "eval/Confusion.hpp"

#include "common/Error.hpp"

namespace imuwb::eval {

ConfusionMatrix::ConfusionMatrix(std::size_t classes)
    : classes_(classes), counts_(classes * classes, 0) {}

void ConfusionMatrix::add(int truth, int predicted) {
  const auto k = static_cast<int>(classes_);
  if (truth < 0 || truth >= k || predicted < 0 || predicted >= k)
    throw Error("confusion matrix", "class index " + std::to_string(truth) + " / " +
                                        std::to_string(predicted) + " outside 0.." +
                                        std::to_string(k - 1));
  ++counts_[static_cast<std::size_t>(truth) * classes_ + static_cast<std::size_t>(predicted)];
  ++total_;
}

std::size_t ConfusionMatrix::support(std::size_t truth) const {
  std::size_t sum = 0;
  for (std::size_t p = 0; p < classes_; ++p) sum += count(truth, p);
  return sum;
}

std::size_t ConfusionMatrix::predicted(std::size_t predicted) const {
  std::size_t sum = 0;
  for (std::size_t t = 0; t < classes_; ++t) sum += count(t, predicted);
  return sum;
}

std::size_t ConfusionMatrix::correct() const {
  std::size_t sum = 0;
  for (std::size_t k = 0; k < classes_; ++k) sum += count(k, k);
  return sum;
}

double cohensKappa(const ConfusionMatrix& confusion) {
  const double n = static_cast<double>(confusion.total());
  if (n == 0) return 0;
  const double observed = static_cast<double>(confusion.correct()) / n;
  double expected = 0;
  for (std::size_t k = 0; k < confusion.classCount(); ++k)
    expected += static_cast<double>(confusion.support(k)) *
                static_cast<double>(confusion.predicted(k)) / (n * n);
  if (expected >= 1.0) return 1.0;
  return (observed - expected) / (1.0 - expected);
}

DecisionMetrics decisionMetrics(const ConfusionMatrix& confusion,
                                const std::vector<std::string>& names) {
  DecisionMetrics metrics;
  metrics.windows = confusion.total();
  if (metrics.windows)
    metrics.accuracy = static_cast<double>(confusion.correct()) / metrics.windows;
  metrics.kappa = cohensKappa(confusion);
  double recallSum = 0, f1Sum = 0;
  std::size_t withSupport = 0, present = 0;
  for (std::size_t k = 0; k < confusion.classCount(); ++k) {
    ClassMetrics c;
    c.name = k < names.size() ? names[k] : std::to_string(k);
    c.support = confusion.support(k);
    c.predicted = confusion.predicted(k);
    c.truePositives = confusion.count(k, k);
    if (c.predicted) c.precision = static_cast<double>(c.truePositives) / c.predicted;
    if (c.support) c.recall = static_cast<double>(c.truePositives) / c.support;
    if (c.precision + c.recall > 0) c.f1 = 2 * c.precision * c.recall / (c.precision + c.recall);
    if (c.support) recallSum += c.recall, ++withSupport;
    if (c.support || c.predicted) f1Sum += c.f1, ++present;
    metrics.classes.push_back(c);
  }
  if (withSupport) metrics.balancedAccuracy = recallSum / withSupport;
  if (present) metrics.macroF1 = f1Sum / present;
  return metrics;
}

}  // namespace imuwb::eval
