#pragma once
// Temperature scaling (Guo et al. 2017): one scalar T divides every logit before softmax, fitted
// by minimizing the mean negative log-likelihood of the labels. NLL(T) is convex in 1/T (a
// log-sum-exp of linear functions minus a linear one), so it has one minimum along u = log T,
// which golden-section search brackets within [logLo, logHi] to `tolerance`.
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
  double tolerance = 1e-9;           // on log T
};

struct TemperatureFit {
  double temperature = 1.0;
  double nllBefore = 0;  // at T = 1
  double nllAfter = 0;   // at the fitted T
  bool atBound = false;  // the minimum is at the edge of the range (e.g. separable data)
  int evaluations = 0;   // NLL evaluations the search took
};

// Throws imuwb::Error for no rows, or a label outside the classes.
TemperatureFit fitTemperature(const ProbabilityTable& logits, const std::vector<int>& labels,
                              const TemperatureFitOptions& options = {});

}  // namespace imuwb::eval
