#pragma once
// One undoable change to a label set, stored as a splice: the intervals [first, first +
// before.size()) were replaced by after (and, when it changed, the class list). Every edit
// operation (LabelEditOps.hpp) produces one, so undo and redo are the same two functions for all
// of them and a step costs only the intervals it touched, not a copy of the whole set.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "labels/LabelInterval.hpp"

namespace imuwb {

struct LabelEdit {
  std::string name;  // what the user did ("move edge", "split", ...), for Undo/Redo menu text
  std::size_t first = 0;
  std::vector<LabelInterval> before, after;
  std::optional<std::vector<std::string>> classesBefore, classesAfter;

  bool changesNothing() const { return before == after && classesBefore == classesAfter; }
};

// apply: before -> after; revert: after -> before. Both expect the set to be in the state the
// edit starts from (the editor guarantees it).
void applyEdit(LabelSet& labels, const LabelEdit& edit);
void revertEdit(LabelSet& labels, const LabelEdit& edit);

}  // namespace imuwb
