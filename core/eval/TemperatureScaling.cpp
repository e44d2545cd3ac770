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

namespace {

// g(u) = NLL at T = e^u, with its first and second derivatives in u.
struct NllDerivatives {
  double g = 0, dg = 0, d2g = 0;
};

NllDerivatives nllDerivatives(const ProbabilityTable& logits, const std::vector<int>& labels,
                              double u) {
  const double s = std::exp(-u);
  const std::size_t k = logits.classes;
  std::vector<double> e(k);
  double nll = 0, d1 = 0, var = 0;  // sums over rows: NLL, E_p[z] - z_y, Var_p[z]
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const double* z = logits.row(r);
    double top = z[0] * s;
    for (std::size_t c = 1; c < k; ++c) top = std::max(top, z[c] * s);
    double sum = 0;
    for (std::size_t c = 0; c < k; ++c) sum += (e[c] = std::exp(z[c] * s - top));
    // E_p[z] - z_y as sum p_c (z_c - z_y): no cancellation, so a row whose softmax has all but
    // saturated still shows its (tiny, negative) slope.
    const double zy = z[labels[r]];
    double mean = 0, slope = 0;
    for (std::size_t c = 0; c < k; ++c) {
      mean += e[c] / sum * z[c];
      slope += e[c] / sum * (z[c] - zy);
    }
    double spread = 0;
    for (std::size_t c = 0; c < k; ++c) spread += e[c] / sum * (z[c] - mean) * (z[c] - mean);
    nll += top + std::log(sum) - zy * s;
    d1 += slope;
    var += spread;
  }
  const double n = static_cast<double>(labels.size());
  // d/du = -s d/ds; d2/du2 = s^2 d2/ds2 + s d/ds.
  return {nll / n, -s * d1 / n, s * s * var / n + s * d1 / n};
}

// Safeguarded Newton from u over the rows; returns the minimum's log T. passes counts the passes
// over the rows; nllAtZero gets the NLL at T = 1 when the search evaluates there.
double newtonSearch(const ProbabilityTable& logits, const std::vector<int>& labels,
                    const TemperatureFitOptions& options, double u, int& passes,
                    double* nllAtZero) {
  double lo = options.logLo, hi = options.logHi;  // g' < 0 left of the minimum, > 0 right of it
  for (int pass = 0; pass < 200; ++pass) {
    const auto d = nllDerivatives(logits, labels, u);
    ++passes;
    if (u == 0 && nllAtZero) *nllAtZero = d.g;  // the same sums meanNll makes at T = 1
    // No slope and no curvature: the NLL is flat here (separable rows whose softmax underflowed
    // to one-hot, or rows without spread); move towards smaller T, as the NLL does not rise there.
    const bool flat = d.dg == 0 && d.d2g == 0;
    if (d.dg == 0 && !flat) break;
    (d.dg < 0 ? lo : hi) = u;
    const double newton = u - d.dg / d.d2g;
    const bool useNewton = d.d2g > 0 && newton >= lo && newton <= hi;
    if (useNewton && std::fabs(newton - u) <= options.tolerance) return newton;
    u = useNewton ? newton : (lo + hi) / 2;
    if (hi - lo <= options.tolerance) break;
  }
  return u;
}

}  // namespace

TemperatureFit fitTemperature(const ProbabilityTable& logits, const std::vector<int>& labels,
                              const TemperatureFitOptions& options) {
  checkLabels(logits, labels);
  if (labels.empty())
    throw Error("temperature scaling", "the calibration split has no labelled windows",
                "evaluate more labelled windows, or raise --calibration-split");
  TemperatureFit fit;
  double start = std::clamp(0.0, options.logLo, options.logHi);  // as deployed
  constexpr std::size_t kSubsample = 32;
  if (labels.size() >= 64 * kSubsample) {
    // Many rows (a merged batch): every 32nd row first, so the passes over all of them start
    // near the minimum and need two or three Newton steps, not six or seven.
    ProbabilityTable some{logits.classes, {}};
    std::vector<int> someLabels;
    for (std::size_t r = 0; r < labels.size(); r += kSubsample) {
      some.append(logits.row(r), logits.classes);
      someLabels.push_back(labels[r]);
    }
    int subsamplePasses = 0;
    start = newtonSearch(some, someLabels, options, start, subsamplePasses, nullptr);
  }
  double nllBefore = 0;
  const double u = newtonSearch(logits, labels, options, start, fit.evaluations, &nllBefore);
  fit.temperature = std::exp(u);
  fit.nllBefore = start == 0 ? nllBefore : meanNll(logits, labels, 1.0);
  fit.nllAfter = meanNll(logits, labels, fit.temperature);
  const double edge = 1e-6;
  fit.atBound = u - options.logLo < edge || options.logHi - u < edge;
  return fit;
}

}  // namespace imuwb::eval
