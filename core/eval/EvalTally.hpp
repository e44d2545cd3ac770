#pragma once
// The sufficient statistics of an evaluation, so evaluations of disjoint recordings merge into
// exactly the figures one evaluation over all of them gives (`imuwb report merge`, docs/
// scale.md): the window counts, per side the confusion matrix (every decision metric is read
// from it), the mixed-label windows and how many were right, and the reliability bins' counts
// and sums (ECE over every labelled window, and over the test split as deployed), the test
// split's summed NLL; and, with two sides, the flips. Temperature scaling and conformal sets are
// fitted over every calibration window at once, so they are not merged (docs/scale.md).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/Evaluation.hpp"

namespace imuwb::eval {

struct BinSums {
  std::vector<std::size_t> count;
  std::vector<double> confidence, correct;  // sums per bin
  std::size_t samples = 0;
};

struct SideTally {
  std::string backend, precision;
  std::vector<std::size_t> confusion;  // [label][prediction], classes x classes
  std::size_t mixedWindows = 0, mixedCorrect = 0;
  BinSums all, testBefore;
  double nllTestSum = 0;
};

struct EvalTally {
  std::vector<std::string> classes;
  int eceBins = kEceBins;
  WindowCounts counts;  // unknownClasses and firstUnlabelledTimes_s are not merged
  std::vector<SideTally> sides;
  std::size_t comparedWindows = 0, flips = 0;
};

EvalTally tallyOf(const EvalInput& input);
// Adds `from` to `into`; an empty `into` (no classes) takes `from`. Throws imuwb::Error when the
// classes, bins or sides differ.
void mergeTally(EvalTally& into, const EvalTally& from);

// The merged figures: counts, and per side the confusion matrix, decision metrics, mixed-label
// accuracy, ECE (all, test as deployed) with reliability bins and the test NLL; the comparison.
nlohmann::json finishTallyJson(const EvalTally& tally);

nlohmann::json tallyToJson(const EvalTally& tally);
EvalTally tallyFromJson(const nlohmann::json& json);  // throws imuwb::Error when malformed

}  // namespace imuwb::eval
