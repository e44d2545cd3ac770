#include "LabelEditInteraction.hpp"

#include <QKeyEvent>
#include <QMouseEvent>
#include <algorithm>
#include <cmath>

#include "LabelEditController.hpp"
#include "LabelStrip.hpp"
#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

LabelEditInteraction::LabelEditInteraction(LabelStrip* strip, LabelEditController* edits,
                                           TimeAxisModel* axis)
    : QObject(strip), strip_(strip), edits_(edits), axis_(axis) {
  strip_->installEventFilter(this);  // after TimeInteraction's, so this one runs first
}

std::optional<std::pair<int, IntervalEdge>> LabelEditInteraction::edgeAt(double x) const {
  const auto map = strip_->timeMapping();
  const auto& intervals = edits_->labels().intervals;
  const double t = map.toTime(x);
  const double reach = kEdgeGrabPx * map.view.length() / map.width;
  std::optional<std::pair<int, IntervalEdge>> best;
  double bestDistance = kEdgeGrabPx + 1;
  auto consider = [&](std::size_t i, IntervalEdge edge, double edge_s) {
    const double distance = std::abs(map.toX(edge_s) - x);
    const bool inside = t >= intervals[i].start_s && t < intervals[i].end_s;
    // A boundary two intervals share: the one under the pointer takes it.
    if (distance < bestDistance || (distance == bestDistance && inside)) {
      bestDistance = distance;
      best = std::pair(static_cast<int>(i), edge);
    }
  };
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    if (intervals[i].end_s < t - reach) continue;
    if (intervals[i].start_s > t + reach) break;
    consider(i, IntervalEdge::Start, intervals[i].start_s);
    consider(i, IntervalEdge::End, intervals[i].end_s);
  }
  if (bestDistance > kEdgeGrabPx) return std::nullopt;
  return best;
}

double LabelEditInteraction::dragTime(double x) const {
  const auto map = strip_->timeMapping();
  const double t = map.toTime(x);
  const auto& predicted = strip_->predicted();
  if (!snapToPredicted_ || predicted.empty()) return t;
  // Bands are sorted: the boundaries in reach belong to the bands around t.
  auto it = std::lower_bound(predicted.begin(), predicted.end(), t,
                             [](const TimeBand& band, double time) { return band.end_s < time; });
  if (it != predicted.begin()) --it;
  double best = t, bestDistance = kEdgeGrabPx;
  for (int k = 0; k < 3 && it != predicted.end(); ++k, ++it)
    for (const double boundary : {it->start_s, it->end_s})
      if (const double distance = std::abs(map.toX(boundary) - x); distance <= bestDistance) {
        bestDistance = distance;
        best = boundary;
      }
  return best;
}

bool LabelEditInteraction::press(QPointF position, Qt::MouseButton button,
                                 Qt::KeyboardModifiers modifiers) {
  if (button != Qt::LeftButton || (modifiers & Qt::ShiftModifier) || !edits_->hasDocument())
    return false;
  if (!strip_->labelRow().contains(position)) return false;
  strip_->setFocus(Qt::MouseFocusReason);
  pressPos_ = position;
  pressTime_ = strip_->timeMapping().toTime(position.x());
  moved_ = false;
  createStart_ = dragTime(position.x());
  if (const auto edge = edgeAt(position.x());
      edge && edits_->beginDrag(edge->first, edge->second)) {
    mode_ = Mode::Edge;
    return true;
  }
  const long index = intervalAt(edits_->labels(), pressTime_);
  if (index >= 0) edits_->select(static_cast<int>(index));
  mode_ = index >= 0 ? Mode::Click : Mode::Create;
  return true;
}

bool LabelEditInteraction::move(QPointF position) {
  if (mode_ == Mode::None) {
    // Hovering: a resize pointer over an edge says it can be dragged.
    const bool overEdge = edits_->hasDocument() && strip_->labelRow().contains(position) &&
                          edgeAt(position.x()).has_value();
    if (overEdge)
      strip_->setCursor(Qt::SizeHorCursor);
    else
      strip_->unsetCursor();
    return false;  // navigation still reports the hover
  }
  if (std::abs(position.x() - pressPos_.x()) > kClickSlopPx) moved_ = true;
  const double t = dragTime(position.x());
  if (mode_ == Mode::Edge && moved_) edits_->updateDrag(t);
  if (mode_ == Mode::Create && moved_)
    strip_->setPreview(
        TimeBand{std::min(createStart_, t), std::max(createStart_, t), edits_->activeClass()});
  return true;
}

bool LabelEditInteraction::release() {
  const Mode mode = std::exchange(mode_, Mode::None);
  switch (mode) {
    case Mode::None:
      return false;
    case Mode::Edge:
      edits_->commitDrag();
      return true;
    case Mode::Click:
      axis_->setCursor(pressTime_);
      return true;
    case Mode::Create: {
      const auto preview = strip_->preview();
      strip_->setPreview(std::nullopt);
      if (moved_ && preview) {
        edits_->create(preview->start_s, preview->end_s);
      } else {
        edits_->select(-1);
        axis_->setCursor(pressTime_);
      }
      return true;
    }
  }
  return true;
}

bool LabelEditInteraction::cancel() {
  const Mode mode = std::exchange(mode_, Mode::None);
  if (mode == Mode::Edge) edits_->cancelDrag();
  if (mode == Mode::Create) strip_->setPreview(std::nullopt);
  return mode != Mode::None;
}

bool LabelEditInteraction::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::MouseButtonPress: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      return press(mouse->position(), mouse->button(), mouse->modifiers());
    }
    case QEvent::MouseMove:
      return move(static_cast<QMouseEvent*>(event)->position());
    case QEvent::MouseButtonRelease:
      return static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton && release();
    case QEvent::KeyPress:
      return static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape && cancel();
    case QEvent::FocusOut:
      cancel();  // a drag never outlives the strip's focus (a dialog, another window)
      return false;
    default:
      return QObject::eventFilter(watched, event);
  }
}

}  // namespace imuwb::widgets
