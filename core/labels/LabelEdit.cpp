#include "labels/LabelEdit.hpp"

namespace imuwb {
namespace {
void splice(LabelSet& labels, std::size_t first, std::size_t removed,
            const std::vector<LabelInterval>& inserted) {
  auto& intervals = labels.intervals;
  const auto at = intervals.begin() + static_cast<std::ptrdiff_t>(first);
  intervals.erase(at, at + static_cast<std::ptrdiff_t>(removed));
  intervals.insert(intervals.begin() + static_cast<std::ptrdiff_t>(first), inserted.begin(),
                   inserted.end());
}
}  // namespace

void applyEdit(LabelSet& labels, const LabelEdit& edit) {
  splice(labels, edit.first, edit.before.size(), edit.after);
  if (edit.classesAfter) labels.classes = *edit.classesAfter;
}

void revertEdit(LabelSet& labels, const LabelEdit& edit) {
  splice(labels, edit.first, edit.after.size(), edit.before);
  if (edit.classesBefore) labels.classes = *edit.classesBefore;
}

}  // namespace imuwb
