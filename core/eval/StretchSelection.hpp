#pragma once
// Which stretches of a SessionReview the reviewer looks at, in which order, and the step to the
// next or previous one from a time: the review panel's filters, its sortable list, and the
// keyboard's next/previous disagreement (a binary search, so a day of windows costs no more).
#include <cstddef>
#include <vector>

#include "eval/Disagreements.hpp"

namespace imuwb::eval {

struct StretchFilter {
  int truth = -1;      // a model class, or -1 for any
  int predicted = -1;  // a model class, or -1 for any
  // Mean confidence in [minConfidence, maxConfidence); a band reaching 1 includes 1.
  double minConfidence = 0, maxConfidence = 1;
  // Disagreements only, unless truth and predicted name the same class: a confusion matrix's
  // diagonal cell, whose stretches agree.
  bool matches(const Stretch& stretch) const;
  bool diagonal() const { return truth >= 0 && truth == predicted; }
};

// The matching stretches' indices, in time order.
std::vector<std::size_t> selectStretches(const std::vector<Stretch>& stretches,
                                         const StretchFilter& filter);
// A confusion matrix cell's stretches (every one, whatever its confidence), in time order.
std::vector<std::size_t> cellStretches(const std::vector<Stretch>& stretches, int truth,
                                       int predicted);

enum class StretchOrder { Time, Length, Confidence };
// Sorts indices by start, by length or by mean confidence, ascending or descending; ties in
// time order.
void sortStretches(std::vector<std::size_t>& indices, const std::vector<Stretch>& stretches,
                   StretchOrder order, bool descending);

// On indices in time order: the first stretch starting after t_s, or the last one starting
// before it (a stretch starting within 1 µs of t_s is where the cursor already is); -1 when
// there is none. O(log n).
long nextStretch(const std::vector<Stretch>& stretches, const std::vector<std::size_t>& byTime,
                 double t_s);
long previousStretch(const std::vector<Stretch>& stretches, const std::vector<std::size_t>& byTime,
                     double t_s);

}  // namespace imuwb::eval
