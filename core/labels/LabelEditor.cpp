#include "labels/LabelEditor.hpp"

#include <algorithm>
#include <cstdint>

#include "common/Error.hpp"

namespace imuwb {

LabelEditor::LabelEditor(LabelSet labels, SampleGrid grid)
    : labels_(std::move(labels)), grid_(grid) {
  std::stable_sort(
      labels_.intervals.begin(), labels_.intervals.end(),
      [](const LabelInterval& a, const LabelInterval& b) { return a.start_s < b.start_s; });
}

void LabelEditor::perform(LabelEdit edit) {
  finishDragIfAny();
  if (edit.changesNothing()) return;
  applyEdit(labels_, edit);
  if (savedDepth_ > done_.size())
    savedDepth_ = SIZE_MAX;  // the saved state was undone and is now lost
  done_.push_back(std::move(edit));
  undone_.clear();
}

void LabelEditor::create(LabelInterval interval) {
  perform(editCreate(labels_, grid_, std::move(interval)));
}
void LabelEditor::moveEdge(std::size_t index, IntervalEdge edge, double time_s) {
  perform(editMoveEdge(labels_, grid_, index, edge, time_s));
}
void LabelEditor::splitAt(double time_s) {
  perform(editSplit(labels_, grid_, time_s));
}
void LabelEditor::merge(std::size_t first, std::size_t last) {
  perform(editMerge(labels_, first, last));
}
void LabelEditor::relabel(std::size_t index, const std::string& label) {
  perform(editRelabel(labels_, index, label));
}
void LabelEditor::setNote(std::size_t index, const std::string& note) {
  perform(editNote(labels_, index, note));
}
void LabelEditor::remove(std::size_t index) {
  perform(editDelete(labels_, index));
}
void LabelEditor::acceptPrediction(double start_s, double end_s,
                                   const std::vector<LabelInterval>& predicted) {
  perform(editAcceptPrediction(labels_, grid_, start_s, end_s, predicted));
}
void LabelEditor::addClass(const std::string& name) {
  perform(editAddClass(labels_, name));
}

void LabelEditor::beginDrag(std::size_t index, IntervalEdge edge) {
  finishDragIfAny();
  if (index >= labels_.intervals.size())
    throw Error("labels: drag", "interval " + std::to_string(index) + " does not exist",
                "start the drag on an interval's edge");
  const auto& interval = labels_.intervals[index];
  drag_ = Drag{index, edge, edge == IntervalEdge::Start ? interval.start_s : interval.end_s, {}};
}

void LabelEditor::updateDrag(double time_s) {
  if (!drag_) throw Error("labels: drag", "no drag in progress", "call beginDrag first");
  revertEdit(labels_, drag_->pending);  // back to the state the drag began from
  drag_->pending = editMoveEdge(labels_, grid_, drag_->index, drag_->edge, time_s);
  applyEdit(labels_, drag_->pending);
}

void LabelEditor::commitDrag() {
  if (!drag_) return;
  LabelEdit edit = std::move(drag_->pending);
  drag_.reset();
  if (edit.changesNothing()) return;
  revertEdit(labels_, edit);  // perform applies it again, as one step
  edit.name = "drag edge";
  perform(std::move(edit));
}

void LabelEditor::cancelDrag() {
  if (!drag_) return;
  revertEdit(labels_, drag_->pending);
  drag_.reset();
}

void LabelEditor::finishDragIfAny() {
  if (drag_) commitDrag();
}

void LabelEditor::undo() {
  cancelDrag();
  if (done_.empty()) return;
  revertEdit(labels_, done_.back());
  undone_.push_back(std::move(done_.back()));
  done_.pop_back();
}

void LabelEditor::redo() {
  cancelDrag();
  if (undone_.empty()) return;
  applyEdit(labels_, undone_.back());
  done_.push_back(std::move(undone_.back()));
  undone_.pop_back();
}

}  // namespace imuwb
