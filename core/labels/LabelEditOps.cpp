#include "labels/LabelEditOps.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"

namespace imuwb {
namespace {

void requireIndex(const LabelSet& labels, std::size_t index, const char* what) {
  if (index >= labels.intervals.size())
    throw Error(std::string("labels: ") + what,
                "interval " + std::to_string(index) + " does not exist (there are " +
                    std::to_string(labels.intervals.size()) + ")",
                "select an existing interval");
}

void requireClass(const LabelSet& labels, const std::string& label, const char* what) {
  if (std::find(labels.classes.begin(), labels.classes.end(), label) == labels.classes.end())
    throw Error(std::string("labels: ") + what, "class '" + label + "' is not in the class list",
                "add the class first");
}

LabelEdit single(const LabelSet& labels, std::size_t index, LabelInterval changed,
                 std::string name) {
  LabelEdit edit;
  edit.name = std::move(name);
  edit.first = index;
  edit.before = {labels.intervals[index]};
  edit.after = {std::move(changed)};
  return edit;
}

// Replaces [start, end) by pieces (inside it, sorted): overlapped intervals are cut back.
LabelEdit paint(const LabelSet& labels, double start, double end, std::vector<LabelInterval> pieces,
                std::string name) {
  const auto& all = labels.intervals;
  std::size_t first = 0;
  while (first < all.size() && all[first].end_s <= start) ++first;
  std::size_t last = first;
  while (last < all.size() && all[last].start_s < end) ++last;
  LabelEdit edit;
  edit.name = std::move(name);
  edit.first = first;
  edit.before.assign(all.begin() + static_cast<std::ptrdiff_t>(first),
                     all.begin() + static_cast<std::ptrdiff_t>(last));
  if (!edit.before.empty() && edit.before.front().start_s < start) {
    LabelInterval left = edit.before.front();
    left.end_s = start;
    edit.after.push_back(left);
  }
  for (auto& piece : pieces) edit.after.push_back(std::move(piece));
  if (!edit.before.empty() && edit.before.back().end_s > end) {
    LabelInterval right = edit.before.back();
    right.start_s = end;
    edit.after.push_back(right);
  }
  return edit;
}

}  // namespace

double SampleGrid::snap(double time_s) const {
  double snapped = origin_s + std::round((time_s - origin_s) * rateHz) / rateHz;
  snapped = std::max(snapped, origin_s);
  if (end_s > origin_s) snapped = std::min(snapped, end_s);
  return snapped;
}

long intervalAt(const LabelSet& labels, double time_s) {
  const auto& all = labels.intervals;
  auto it = std::upper_bound(all.begin(), all.end(), time_s,
                             [](double t, const LabelInterval& i) { return t < i.start_s; });
  if (it == all.begin()) return -1;
  --it;
  return time_s < it->end_s ? static_cast<long>(it - all.begin()) : -1;
}

LabelEdit editCreate(const LabelSet& labels, const SampleGrid& grid, LabelInterval interval) {
  requireClass(labels, interval.label, "create");
  interval.start_s = grid.snap(interval.start_s);
  interval.end_s = grid.snap(interval.end_s);
  if (!(interval.end_s > interval.start_s))
    throw Error("labels: create", "the new interval is shorter than one sample",
                "drag over at least one sample");
  const double start = interval.start_s, end = interval.end_s;
  return paint(labels, start, end, {std::move(interval)}, "create");
}

LabelEdit editMoveEdge(const LabelSet& labels, const SampleGrid& grid, std::size_t index,
                       IntervalEdge edge, double time_s) {
  requireIndex(labels, index, "move edge");
  const auto& all = labels.intervals;
  const double step = grid.step();
  double t = grid.snap(time_s);
  const bool isStart = edge == IntervalEdge::Start;
  const double current = isStart ? all[index].start_s : all[index].end_s;
  // The neighbour across this edge, and whether it touches (then its edge moves too).
  const bool hasNeighbour = isStart ? index > 0 : index + 1 < all.size();
  const std::size_t other = isStart ? index - 1 : index + 1;
  const bool linked = hasNeighbour && (isStart ? all[other].end_s : all[other].start_s) == current;
  if (isStart) {
    double lower =
        hasNeighbour ? (linked ? all[other].start_s + step : all[other].end_s) : grid.origin_s;
    t = std::clamp(t, std::min(lower, current), std::max(all[index].end_s - step, current));
  } else {
    double upper = hasNeighbour ? (linked ? all[other].end_s - step : all[other].start_s)
                                : (grid.end_s > 0 ? grid.end_s : t);
    t = std::clamp(t, std::min(all[index].start_s + step, current), std::max(upper, current));
  }
  LabelEdit edit;
  edit.name = "move edge";
  edit.first = linked && isStart ? other : index;
  const std::size_t count = linked ? 2 : 1;
  edit.before.assign(all.begin() + static_cast<std::ptrdiff_t>(edit.first),
                     all.begin() + static_cast<std::ptrdiff_t>(edit.first + count));
  edit.after = edit.before;
  auto& moved = edit.after[linked && isStart ? 1 : 0];
  (isStart ? moved.start_s : moved.end_s) = t;
  if (linked) {
    auto& neighbour = edit.after[isStart ? 0 : 1];
    (isStart ? neighbour.end_s : neighbour.start_s) = t;
  }
  return edit;
}

LabelEdit editSplit(const LabelSet& labels, const SampleGrid& grid, double time_s) {
  const double t = grid.snap(time_s);
  const long index = intervalAt(labels, t);
  if (index < 0 || labels.intervals[static_cast<std::size_t>(index)].start_s == t)
    throw Error("labels: split", "no interval to split at " + std::to_string(t) + " s",
                "put the cursor inside an interval, at least one sample from its edges");
  auto left = labels.intervals[static_cast<std::size_t>(index)];
  auto right = left;
  left.end_s = t;
  right.start_s = t;
  LabelEdit edit = single(labels, static_cast<std::size_t>(index), left, "split");
  edit.after.push_back(right);
  return edit;
}

LabelEdit editMerge(const LabelSet& labels, std::size_t first, std::size_t last) {
  requireIndex(labels, last, "merge");
  if (first >= last)
    throw Error("labels: merge", "needs at least two intervals", "select two or more intervals");
  LabelInterval merged = labels.intervals[first];
  merged.end_s = labels.intervals[last].end_s;
  for (std::size_t i = first + 1; i <= last; ++i) {
    const auto& note = labels.intervals[i].note;
    if (note.empty() || note == merged.note) continue;
    merged.note += merged.note.empty() ? note : "; " + note;
  }
  LabelEdit edit;
  edit.name = "merge";
  edit.first = first;
  edit.before.assign(labels.intervals.begin() + static_cast<std::ptrdiff_t>(first),
                     labels.intervals.begin() + static_cast<std::ptrdiff_t>(last + 1));
  edit.after = {merged};
  return edit;
}

LabelEdit editRelabel(const LabelSet& labels, std::size_t index, const std::string& label) {
  requireIndex(labels, index, "relabel");
  requireClass(labels, label, "relabel");
  auto changed = labels.intervals[index];
  changed.label = label;
  return single(labels, index, changed, "relabel");
}

LabelEdit editNote(const LabelSet& labels, std::size_t index, const std::string& note) {
  requireIndex(labels, index, "note");
  auto changed = labels.intervals[index];
  changed.note = note;
  return single(labels, index, changed, "edit note");
}

LabelEdit editDelete(const LabelSet& labels, std::size_t index) {
  requireIndex(labels, index, "delete");
  LabelEdit edit;
  edit.name = "delete";
  edit.first = index;
  edit.before = {labels.intervals[index]};
  return edit;
}

LabelEdit editAcceptPrediction(const LabelSet& labels, const SampleGrid& grid, double start_s,
                               double end_s, const std::vector<LabelInterval>& predicted) {
  const double start = grid.snap(start_s), end = grid.snap(end_s);
  if (!(end > start))
    throw Error("labels: accept prediction", "the stretch is shorter than one sample",
                "select a longer stretch");
  std::vector<LabelInterval> pieces;
  std::vector<std::string> classes = labels.classes;
  for (const auto& p : predicted) {
    LabelInterval piece{
        grid.snap(std::max(p.start_s, start)), grid.snap(std::min(p.end_s, end)), p.label, {}};
    if (!(piece.end_s > piece.start_s)) continue;
    if (std::find(classes.begin(), classes.end(), piece.label) == classes.end())
      classes.push_back(piece.label);
    if (!pieces.empty() && pieces.back().label == piece.label &&
        pieces.back().end_s >= piece.start_s)
      pieces.back().end_s = std::max(pieces.back().end_s, piece.end_s);
    else if (pieces.empty() || piece.start_s >= pieces.back().end_s)
      pieces.push_back(std::move(piece));
  }
  LabelEdit edit = paint(labels, start, end, std::move(pieces), "accept prediction");
  if (classes != labels.classes) {
    edit.classesBefore = labels.classes;
    edit.classesAfter = std::move(classes);
  }
  return edit;
}

LabelEdit editAddClass(const LabelSet& labels, const std::string& name) {
  if (name.empty()) throw Error("labels: add class", "the class name is empty", "name the class");
  LabelEdit edit;
  edit.name = "add class";
  edit.first = 0;
  if (std::find(labels.classes.begin(), labels.classes.end(), name) != labels.classes.end())
    return edit;  // already there: changes nothing
  edit.classesBefore = labels.classes;
  edit.classesAfter = labels.classes;
  edit.classesAfter->push_back(name);
  return edit;
}

}  // namespace imuwb
