#pragma once
// The label strip's edit gestures, as an event filter installed on the strip after its
// navigation filter (TimeInteraction), so it sees the labels row first and passes the rest on:
// - press on an interval's edge (within kEdgeGrabPx) and drag: moves it, snapping to samples;
//   one undo step however long the drag; Esc during the drag puts it back;
// - click on an interval: selects it and puts the cursor there (for split at the cursor);
// - drag on an empty stretch: creates an interval of the active class (Esc abandons it);
// - click on an empty stretch: clears the selection and sets the cursor.
// With snapping to predicted boundaries on, a dragged edge (or a new interval's ends) within
// kEdgeGrabPx of a boundary of the predicted row goes to that boundary (then to its sample).
// The ruler and the predicted row keep the navigation gestures (drag pans, Shift+drag selects).
#include <QObject>
#include <QPointF>
#include <optional>
#include <utility>

#include "labels/LabelEditOps.hpp"

namespace imuwb::widgets {

class LabelStrip;
class LabelEditController;
class TimeAxisModel;

class LabelEditInteraction : public QObject {
  Q_OBJECT
 public:
  static constexpr double kEdgeGrabPx = 5;
  static constexpr double kClickSlopPx = 3;

  LabelEditInteraction(LabelStrip* strip, LabelEditController* edits, TimeAxisModel* axis);
  bool eventFilter(QObject* watched, QEvent* event) override;

  // The edge under x (the interval index and which edge), if one is within kEdgeGrabPx.
  std::optional<std::pair<int, IntervalEdge>> edgeAt(double x) const;
  void setSnapToPredicted(bool on) { snapToPredicted_ = on; }
  bool snapToPredicted() const { return snapToPredicted_; }
  // The time a drag at x means: x's time, or a predicted boundary within reach when snapping.
  double dragTime(double x) const;

 private:
  bool press(QPointF position, Qt::MouseButton button, Qt::KeyboardModifiers modifiers);
  bool move(QPointF position);
  bool release();
  bool cancel();

  LabelStrip* strip_;
  LabelEditController* edits_;
  TimeAxisModel* axis_;
  enum class Mode { None, Edge, Click, Create } mode_ = Mode::None;
  QPointF pressPos_;
  double pressTime_ = 0;
  double createStart_ = 0;  // a new interval's first end (pressTime_, snapped)
  bool moved_ = false;
  bool snapToPredicted_ = true;
};

}  // namespace imuwb::widgets
