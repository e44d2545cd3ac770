#pragma once
// The label edit operations as pure functions: a label set (sorted by start, not overlapping)
// and the user's intent in, the LabelEdit that does it out; the set is not touched. Times snap
// to the session's sample grid, an interval is never shorter than one sample, and an edge that
// touches its neighbour moves the neighbour's edge with it (a shared boundary stays shared).
// Throws imuwb::Error for an impossible request (index out of range, unknown class, a split
// outside every interval).
#include <cstddef>
#include <string>
#include <vector>

#include "labels/LabelEdit.hpp"

namespace imuwb {

// Sample times origin_s + k / rateHz; end_s > 0 bounds edits to the session's extent.
struct SampleGrid {
  double rateHz = 100;
  double origin_s = 0;
  double end_s = 0;  // 0: unbounded
  double step() const { return 1.0 / rateHz; }
  double snap(double time_s) const;
};

enum class IntervalEdge { Start, End };

// Index of the interval holding time_s (start <= t < end), or -1.
long intervalAt(const LabelSet& labels, double time_s);

// A new interval [start, end) of class label; whatever it overlaps is cut back (painting).
LabelEdit editCreate(const LabelSet& labels, const SampleGrid& grid, LabelInterval interval);
LabelEdit editMoveEdge(const LabelSet& labels, const SampleGrid& grid, std::size_t index,
                       IntervalEdge edge, double time_s);
// Splits the interval holding time_s in two at the nearest sample; both keep class and note.
LabelEdit editSplit(const LabelSet& labels, const SampleGrid& grid, double time_s);
// Intervals first..last become one, from first's start to last's end (gaps filled), with
// first's class and their notes joined by "; ".
LabelEdit editMerge(const LabelSet& labels, std::size_t first, std::size_t last);
LabelEdit editRelabel(const LabelSet& labels, std::size_t index, const std::string& label);
LabelEdit editNote(const LabelSet& labels, std::size_t index, const std::string& note);
LabelEdit editDelete(const LabelSet& labels, std::size_t index);
// The stretch [start, end) takes the predicted intervals (clipped to it, snapped, touching
// pieces of one class joined); classes the labels do not have yet are added.
LabelEdit editAcceptPrediction(const LabelSet& labels, const SampleGrid& grid, double start_s,
                               double end_s, const std::vector<LabelInterval>& predicted);
LabelEdit editAddClass(const LabelSet& labels, const std::string& name);

}  // namespace imuwb
