#include "eval/TemperatureScaling.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"

namespace imuwb::eval {
namespace {

double logSumExp(const double* row, std::size_t classes, double scale) {
  double top = row[0] * scale;
  for (std::size_t c = 1; c < classes; ++c) top = std::max(top, row[c] * scale);
  double sum = 0;
  for (std::size_t c = 0; c < classes; ++c) sum += std::exp(row[c] * scale - top);
  return top + std::log(sum);
}

void checkLabels(const ProbabilityTable& logits, const std::vector<int>& labels) {
  if (logits.rows() != labels.size())
    throw Error("temperature scaling", "logit rows and labels differ in count");
  for (int label : labels)
    if (label < 0 || label >= static_cast<int>(logits.classes))
      throw Error("temperature scaling", "label " + std::to_string(label) + " outside the " +
                                             std::to_string(logits.classes) + " classes");
}

}  // namespace

double meanNll(const ProbabilityTable& logits, const std::vector<int>& labels, double temperature) {
  checkLabels(logits, labels);
  if (labels.empty()) return 0;
  const double scale = 1.0 / temperature;
  double sum = 0;
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const double* row = logits.row(r);
    sum += logSumExp(row, logits.classes, scale) - row[labels[r]] * scale;
  }
  return sum / static_cast<double>(labels.size());
}

ProbabilityTable softmax(const ProbabilityTable& logits, double temperature) {
  ProbabilityTable out{logits.classes, std::vector<double>(logits.values.size())};
  const double scale = 1.0 / temperature;
  for (std::size_t r = 0; r < logits.rows(); ++r) {
    const double* row = logits.row(r);
    const double lse = logSumExp(row, logits.classes, scale);
    for (std::size_t c = 0; c < logits.classes; ++c)
      out.values[r * logits.classes + c] = std::exp(row[c] * scale - lse);
  }
  return out;
}

TemperatureFit fitTemperature(const ProbabilityTable& logits, const std::vector<int>& labels,
                              const TemperatureFitOptions& options) {
  checkLabels(logits, labels);
  if (labels.empty())
    throw Error("temperature scaling", "the calibration split has no labelled windows",
                "evaluate more labelled windows, or raise --calibration-split");
  TemperatureFit fit;
  auto nllAt = [&](double u) {
    ++fit.evaluations;
    return meanNll(logits, labels, std::exp(u));
  };
  const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;  // 1/phi
  double a = options.logLo, b = options.logHi;
  double c = b - ratio * (b - a), d = a + ratio * (b - a);
  double fc = nllAt(c), fd = nllAt(d);
  while (b - a > options.tolerance) {
    if (fc <= fd) {
      b = d, d = c, fd = fc;
      c = b - ratio * (b - a), fc = nllAt(c);
    } else {
      a = c, c = d, fc = fd;
      d = a + ratio * (b - a), fd = nllAt(d);
    }
  }
  const double u = (a + b) / 2;
  fit.temperature = std::exp(u);
  fit.nllBefore = meanNll(logits, labels, 1.0);
  fit.nllAfter = meanNll(logits, labels, fit.temperature);
  const double edge = 1e3 * options.tolerance;
  fit.atBound = u - options.logLo < edge || options.logHi - u < edge;
  return fit;
}

}  // namespace imuwb::eval
