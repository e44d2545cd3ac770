#pragma once
// The label edit model the review GUI drives: a label set, the edit operations as undoable
// commands, and an undo/redo stack that lives as long as the editor (the open session).
// Each operation is one step; a drag is one step too: beginDrag, any number of updateDrag
// (the labels follow the mouse), then commitDrag pushes one edit (or cancelDrag restores).
// Saving is the store's business (LabelStore); the editor only knows whether its labels
// differ from the last saved ones (modified / markSaved).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "labels/LabelEditOps.hpp"

namespace imuwb {

class LabelEditor {
 public:
  // Intervals are sorted by start on the way in.
  LabelEditor(LabelSet labels, SampleGrid grid);

  const LabelSet& labels() const { return labels_; }
  const SampleGrid& grid() const { return grid_; }

  // Each is one undo step (none when it changes nothing). They throw imuwb::Error (and change
  // nothing) for impossible requests; see LabelEditOps.hpp.
  void create(LabelInterval interval);
  void moveEdge(std::size_t index, IntervalEdge edge, double time_s);
  void splitAt(double time_s);
  void merge(std::size_t first, std::size_t last);
  void relabel(std::size_t index, const std::string& label);
  void setNote(std::size_t index, const std::string& note);
  void remove(std::size_t index);
  void acceptPrediction(double start_s, double end_s, const std::vector<LabelInterval>& predicted);
  void addClass(const std::string& name);
  // Any edit from LabelEditOps (or elsewhere) as one step.
  void perform(LabelEdit edit);

  // A drag of one edge: one undo step however often it is updated.
  void beginDrag(std::size_t index, IntervalEdge edge);
  void updateDrag(double time_s);
  void commitDrag();
  void cancelDrag();
  bool dragging() const { return drag_.has_value(); }

  bool canUndo() const { return !done_.empty(); }
  bool canRedo() const { return !undone_.empty(); }
  std::string undoText() const { return canUndo() ? done_.back().name : std::string(); }
  std::string redoText() const { return canRedo() ? undone_.back().name : std::string(); }
  void undo();
  void redo();
  std::size_t undoDepth() const { return done_.size(); }

  // Differs from the labels at the last markSaved() (or construction).
  bool modified() const { return savedDepth_ != done_.size(); }
  void markSaved() { savedDepth_ = done_.size(); }

 private:
  void finishDragIfAny();

  struct Drag {
    std::size_t index;
    IntervalEdge edge;
    double originalEdge_s;
    LabelEdit pending;  // applied to labels_ already
  };
  LabelSet labels_;
  SampleGrid grid_;
  std::vector<LabelEdit> done_, undone_;
  std::size_t savedDepth_ = 0;  // done_.size() when saved; SIZE_MAX when unreachable
  std::optional<Drag> drag_;
};

}  // namespace imuwb
