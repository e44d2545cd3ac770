#pragma once
// Review of one session: where the model's prediction and the label agree or not, as stretches
// of consecutive windows (docs/user-guide.md, "Reviewing disagreements"). Pure computation on
// windows already run: the GUI's review panel and agreement strip read it.
//
// Rules (the numpy peer, tests/peers/disagreements_peer.py, implements the same):
// - a window's label is the label interval holding its centre time (start inclusive, end
//   exclusive; the latest-starting interval wins), as the windower's centre-sample rule; it is
//   unlabelled when none holds it, and "unknown" when that label is not one of the model's
//   classes. Both are left out of stretches and the confusion matrix (and counted);
// - its prediction is the first index of its largest probability, its confidence that
//   probability;
// - a stretch is a maximal run of consecutive labelled windows with one (label, prediction)
//   pair; a window more than 1.5 window spans after the previous one (a gap the windower
//   skipped) starts a new stretch. It covers [first centre - span/2, last centre + span/2).
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "eval/Confusion.hpp"
#include "eval/ProbabilityTable.hpp"
#include "labels/LabelInterval.hpp"

namespace imuwb::eval {

// The model's per-window outputs over one session.
struct WindowPredictions {
  std::vector<std::string> classes;  // the model's, one per probability column
  std::vector<double> centre_s;      // [W] ascending: where each window's label is read
  double span_s = 0.5;               // each window stands for its stride around its centre
  ProbabilityTable probabilities;    // [W, classes]
};

inline constexpr int kNoWindowLabel = -1;       // no label interval holds the centre
inline constexpr int kUnknownWindowLabel = -2;  // a label the model has no class for

struct ClassProbability {
  int cls = -1;  // -1: fewer classes than places
  double probability = 0;
};

struct Stretch {
  double start_s = 0, end_s = 0;
  std::size_t firstWindow = 0, windows = 0;
  int truth = 0, predicted = 0;
  double meanConfidence = 0, minConfidence = 0;
  std::size_t peakWindow = 0;             // the most confident window (the first on ties)
  std::array<ClassProbability, 3> top{};  // at peakWindow, most probable first
  bool agrees() const { return truth == predicted; }
  double length_s() const { return end_s - start_s; }
};

struct SessionReview {
  std::vector<std::string> classes;
  std::vector<Stretch> stretches;  // agreeing and disagreeing, in time order
  ConfusionMatrix confusion;       // labelled windows with a model class
  std::size_t windows = 0, unlabelled = 0, unknownLabel = 0;
  std::size_t disagreements = 0;  // stretches that disagree
};

// Per window: its label as a model class index, or kNoWindowLabel / kUnknownWindowLabel.
std::vector<int> windowLabels(const std::vector<LabelInterval>& labels,
                              const std::vector<std::string>& classes,
                              const std::vector<double>& centre_s);

// Throws imuwb::Error when the probability table does not match the windows or classes.
SessionReview reviewSession(const WindowPredictions& predictions,
                            const std::vector<LabelInterval>& labels);

// The agreement strip's bands: runs of windows with one state and one confidence level.
struct AgreementSpan {
  double start_s = 0, end_s = 0;
  enum class State { Agrees, Disagrees, Unlabelled } state = State::Unlabelled;
  int level = 0;  // confidence in [level / levels, (level + 1) / levels), the last level closed
};
std::vector<AgreementSpan> agreementSpans(const WindowPredictions& predictions,
                                          const std::vector<int>& labels, int levels = 4);

}  // namespace imuwb::eval
