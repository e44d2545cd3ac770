#pragma once
// Temperature scaling (Guo et al. 2017): one scalar T divides every logit before softmax, fitted
// by minimizing the mean negative log-likelihood of the labels. NLL is convex in s = 1/T (a
// log-sum-exp of linear functions minus a linear one), so along u = log T it has one minimum,
// where g'(u) = -s * mean(E_p[z] - z_y) changes sign from - to +. Safeguarded Newton finds it:
// each pass over the rows gives g, g' and g'' = s^2 * mean(Var_p[z]) + s * mean(E_p[z] - z_y);
// a Newton step that leaves the bracket (or a g'' <= 0) is replaced by bisection. It converges
// in a handful of passes to rounding (golden-section search took ~50 passes to reach 1e-9); with
// 2048 rows or more it starts from the fit on every 32nd row, and needs two or three. The
// unsharded evaluation and `imuwb report merge` both fit with it (eval/FittedCalibration).
// The logits here are the manifest's already divided by the manifest temperature (what the
// deployed softmax sees), so T = 1 means "as deployed" and T * manifest temperature is the
// value a manifest would carry.
#include <vector>

#include "eval/ProbabilityTable.hpp"

namespace imuwb::eval {

// Mean over rows of -log softmax(row / temperature)[label], computed with log-sum-exp.
double meanNll(const ProbabilityTable& logits, const std::vector<int>& labels,
               double temperature = 1.0);

// softmax(row / temperature) of every row.
ProbabilityTable softmax(const ProbabilityTable& logits, double temperature = 1.0);

struct TemperatureFitOptions {
  double logLo = -5.0, logHi = 5.0;  // search range of log T (T in [0.0067, 148])
  double tolerance = 1e-13;          // on log T: stop when a Newton step is below it
};

struct TemperatureFit {
  double temperature = 1.0;
  double nllBefore = 0;  // at T = 1
  double nllAfter = 0;   // at the fitted T
  bool atBound = false;  // the minimum is at the edge of the range (e.g. separable data)
  int evaluations = 0;   // passes over the rows the search took
};

// Throws imuwb::Error for no rows, or a label outside the classes.
TemperatureFit fitTemperature(const ProbabilityTable& logits, const std::vector<int>& labels,
                              const TemperatureFitOptions& options = {});

}  // namespace imuwb::eval
