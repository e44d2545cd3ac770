// The label edit model: every operation, its undo and its redo, snapping to samples, shared
// boundaries, and a drag as one undo step.
#include <gtest/gtest.h>

#include "common/Error.hpp"
#include "labels/LabelEditor.hpp"

namespace imuwb {
namespace {

LabelSet threeIntervals() {
  return {{"rest", "walk", "trot"},
          {{0.0, 10.0, "rest", ""}, {10.0, 20.0, "walk", "first walk"}, {25.0, 30.0, "trot", ""}}};
}

SampleGrid grid100() {
  return SampleGrid{100.0, 0.0, 40.0};
}

// Runs op, checks the result with after(), then undo restores the start, redo the result.
template <class Op, class Check>
void expectUndoRedo(Op op, Check after) {
  LabelEditor editor(threeIntervals(), grid100());
  const LabelSet start = editor.labels();
  op(editor);
  after(editor.labels());
  ASSERT_TRUE(editor.canUndo());
  EXPECT_TRUE(editor.modified());
  const LabelSet done = editor.labels();
  editor.undo();
  EXPECT_EQ(editor.labels(), start);
  EXPECT_FALSE(editor.modified());
  ASSERT_TRUE(editor.canRedo());
  editor.redo();
  EXPECT_EQ(editor.labels(), done);
  EXPECT_FALSE(editor.canRedo());
}

TEST(LabelEditor, CreatePaintsOverWhatItOverlapsAndSnaps) {
  expectUndoRedo(
      [](LabelEditor& e) {
        e.create({5.004, 12.0, "trot", "new"});
      },
      [](const LabelSet& l) {
        ASSERT_EQ(l.intervals.size(), 4u);
        EXPECT_EQ(l.intervals[0], (LabelInterval{0.0, 5.0, "rest", ""}));
        EXPECT_EQ(l.intervals[1], (LabelInterval{5.0, 12.0, "trot", "new"}));
        EXPECT_EQ(l.intervals[2], (LabelInterval{12.0, 20.0, "walk", "first walk"}));
      });
}

TEST(LabelEditor, CreateInsideOneIntervalSplitsIt) {
  expectUndoRedo(
      [](LabelEditor& e) {
        e.create({2.0, 3.0, "walk", ""});
      },
      [](const LabelSet& l) {
        ASSERT_EQ(l.intervals.size(), 5u);
        EXPECT_EQ(l.intervals[0].end_s, 2.0);
        EXPECT_EQ(l.intervals[2], (LabelInterval{3.0, 10.0, "rest", ""}));
      });
}

TEST(LabelEditor, MoveSharedEdgeMovesTheNeighbourToo) {
  expectUndoRedo([](LabelEditor& e) { e.moveEdge(1, IntervalEdge::Start, 8.123); },
                 [](const LabelSet& l) {
                   EXPECT_DOUBLE_EQ(l.intervals[0].end_s, 8.12);
                   EXPECT_DOUBLE_EQ(l.intervals[1].start_s, 8.12);
                 });
}

TEST(LabelEditor, MoveEdgeStopsAtAGapNeighbourAndKeepsOneSample) {
  expectUndoRedo([](LabelEditor& e) { e.moveEdge(1, IntervalEdge::End, 99.0); },
                 [](const LabelSet& l) { EXPECT_DOUBLE_EQ(l.intervals[1].end_s, 25.0); });
  expectUndoRedo([](LabelEditor& e) { e.moveEdge(2, IntervalEdge::Start, 31.0); },
                 [](const LabelSet& l) { EXPECT_DOUBLE_EQ(l.intervals[2].start_s, 29.99); });
  expectUndoRedo([](LabelEditor& e) { e.moveEdge(2, IntervalEdge::End, 1000.0); },
                 [](const LabelSet& l) { EXPECT_DOUBLE_EQ(l.intervals[2].end_s, 40.0); });
}

TEST(LabelEditor, SplitAtTimeKeepsClassAndNote) {
  expectUndoRedo([](LabelEditor& e) { e.splitAt(14.996); },
                 [](const LabelSet& l) {
                   ASSERT_EQ(l.intervals.size(), 4u);
                   EXPECT_EQ(l.intervals[1], (LabelInterval{10.0, 15.0, "walk", "first walk"}));
                   EXPECT_EQ(l.intervals[2], (LabelInterval{15.0, 20.0, "walk", "first walk"}));
                 });
  LabelEditor editor(threeIntervals(), grid100());
  EXPECT_THROW(editor.splitAt(22.0), Error);  // in a gap
  EXPECT_FALSE(editor.canUndo());
}

TEST(LabelEditor, MergeJoinsExtentAndNotes) {
  expectUndoRedo([](LabelEditor& e) { e.merge(0, 2); },
                 [](const LabelSet& l) {
                   ASSERT_EQ(l.intervals.size(), 1u);
                   EXPECT_EQ(l.intervals[0], (LabelInterval{0.0, 30.0, "rest", "first walk"}));
                 });
  LabelEditor editor(threeIntervals(), grid100());
  editor.setNote(0, "calm");
  editor.merge(0, 1);
  EXPECT_EQ(editor.labels().intervals[0].note, "calm; first walk");
  EXPECT_THROW(editor.merge(1, 1), Error);
}

TEST(LabelEditor, RelabelNoteAndDelete) {
  expectUndoRedo([](LabelEditor& e) { e.relabel(0, "trot"); },
                 [](const LabelSet& l) { EXPECT_EQ(l.intervals[0].label, "trot"); });
  expectUndoRedo([](LabelEditor& e) { e.setNote(0, "sensor slipped"); },
                 [](const LabelSet& l) { EXPECT_EQ(l.intervals[0].note, "sensor slipped"); });
  expectUndoRedo([](LabelEditor& e) { e.remove(1); },
                 [](const LabelSet& l) {
                   ASSERT_EQ(l.intervals.size(), 2u);
                   EXPECT_EQ(l.intervals[1].label, "trot");
                 });
  LabelEditor editor(threeIntervals(), grid100());
  EXPECT_THROW(editor.relabel(0, "gallop"), Error);
  EXPECT_THROW(editor.remove(7), Error);
}

TEST(LabelEditor, AcceptPredictionReplacesTheStretchAndAddsClasses) {
  const std::vector<LabelInterval> predicted{{0.0, 6.0, "rest", ""},
                                             {6.0, 8.0, "gallop", ""},
                                             {8.0, 9.0, "gallop", ""},
                                             {9.0, 40.0, "walk", ""}};
  LabelEditor editor(threeIntervals(), grid100());
  const LabelSet start = editor.labels();
  editor.acceptPrediction(5.0, 12.0, predicted);
  const auto& l = editor.labels();
  EXPECT_EQ(l.classes.back(), "gallop");
  ASSERT_EQ(l.intervals.size(), 6u);
  EXPECT_EQ(l.intervals[0], (LabelInterval{0.0, 5.0, "rest", ""}));
  EXPECT_EQ(l.intervals[1], (LabelInterval{5.0, 6.0, "rest", ""}));
  EXPECT_EQ(l.intervals[2], (LabelInterval{6.0, 9.0, "gallop", ""}));  // touching pieces joined
  EXPECT_EQ(l.intervals[3], (LabelInterval{9.0, 12.0, "walk", ""}));
  EXPECT_EQ(l.intervals[4], (LabelInterval{12.0, 20.0, "walk", "first walk"}));
  editor.undo();
  EXPECT_EQ(editor.labels(), start);  // classes too
  editor.redo();
  EXPECT_EQ(editor.labels().intervals.size(), 6u);
}

TEST(LabelEditor, AddClassIsUndoable) {
  expectUndoRedo([](LabelEditor& e) { e.addClass("gallop"); },
                 [](const LabelSet& l) { EXPECT_EQ(l.classes.size(), 4u); });
}

TEST(LabelEditor, ADragIsOneUndoStep) {
  LabelEditor editor(threeIntervals(), grid100());
  const LabelSet start = editor.labels();
  editor.beginDrag(1, IntervalEdge::End);
  for (double t = 20.0; t < 23.0; t += 0.137) editor.updateDrag(t);
  editor.updateDrag(22.504);
  EXPECT_DOUBLE_EQ(editor.labels().intervals[1].end_s, 22.5);  // follows the mouse
  editor.commitDrag();
  EXPECT_EQ(editor.undoDepth(), 1u);
  EXPECT_EQ(editor.undoText(), "drag edge");
  editor.undo();
  EXPECT_EQ(editor.labels(), start);
  editor.redo();
  EXPECT_DOUBLE_EQ(editor.labels().intervals[1].end_s, 22.5);
}

TEST(LabelEditor, ACancelledDragLeavesNoTrace) {
  LabelEditor editor(threeIntervals(), grid100());
  const LabelSet start = editor.labels();
  editor.beginDrag(0, IntervalEdge::End);
  editor.updateDrag(3.0);
  editor.updateDrag(4.0);
  editor.cancelDrag();
  EXPECT_EQ(editor.labels(), start);
  EXPECT_FALSE(editor.canUndo());
}

TEST(LabelEditor, ANewEditDropsRedoAndTheSavedMark) {
  LabelEditor editor(threeIntervals(), grid100());
  editor.relabel(0, "walk");
  editor.markSaved();
  editor.undo();
  EXPECT_TRUE(editor.modified());
  editor.relabel(0, "trot");  // the saved state is no longer reachable
  EXPECT_FALSE(editor.canRedo());
  EXPECT_TRUE(editor.modified());
  editor.undo();
  EXPECT_TRUE(editor.modified());
}

}  // namespace
}  // namespace imuwb
