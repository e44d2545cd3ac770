#include "TimeAxisModel.hpp"

#include <algorithm>
#include <cmath>

namespace imuwb::widgets {

TimeAxisModel::TimeAxisModel(QObject* parent) : QObject(parent) {
  qRegisterMetaType<TimeRange>("imuwb::widgets::TimeRange");
}

void TimeAxisModel::setExtent(TimeRange extent) {
  if (!extent.valid()) extent = {0, 1};
  extent_ = extent;
  emit extentChanged(extent_);
  view_ = {};  // force the signal
  setView(extent_);
  setCursor(std::clamp(cursor_s_, extent_.start_s, extent_.end_s));
  if (selection_.valid() &&
      (selection_.end_s < extent_.start_s || selection_.start_s > extent_.end_s))
    clearSelection();
}

void TimeAxisModel::setView(TimeRange view) {
  if (!std::isfinite(view.start_s) || !std::isfinite(view.end_s)) return;
  if (view.end_s < view.start_s) std::swap(view.start_s, view.end_s);
  double span = std::clamp(view.length(), minimumSpan_s_, extent_.length());
  const double middle = (view.start_s + view.end_s) / 2;
  placeView(middle - span / 2, span);
}

void TimeAxisModel::placeView(double start_s, double span_s) {
  start_s = std::clamp(start_s, extent_.start_s, extent_.end_s - span_s);
  const TimeRange next{start_s, start_s + span_s};
  if (next == view_) return;
  view_ = next;
  emit viewChanged(view_);
}

void TimeAxisModel::setCursor(double t_s) {
  if (!std::isfinite(t_s)) return;
  t_s = std::clamp(t_s, extent_.start_s, extent_.end_s);
  if (t_s == cursor_s_) return;
  cursor_s_ = t_s;
  emit cursorChanged(cursor_s_);
}

void TimeAxisModel::setSelection(TimeRange selection) {
  if (selection.end_s < selection.start_s) std::swap(selection.start_s, selection.end_s);
  if (selection.valid()) {
    selection.start_s = std::max(selection.start_s, extent_.start_s);
    selection.end_s = std::min(selection.end_s, extent_.end_s);
  }
  if (!selection.valid()) selection = {};
  if (selection == selection_) return;
  selection_ = selection;
  emit selectionChanged(selection_);
}

void TimeAxisModel::zoom(double factor, double anchor_s) {
  if (!(factor > 0)) return;
  const double span = std::clamp(view_.length() * factor, minimumSpan_s_, extent_.length());
  const double anchorFraction =
      view_.length() > 0 ? std::clamp((anchor_s - view_.start_s) / view_.length(), 0.0, 1.0) : 0.5;
  placeView(anchor_s - anchorFraction * span, span);
}

void TimeAxisModel::pan(double delta_s) {
  placeView(view_.start_s + delta_s, view_.length());
}

void TimeAxisModel::zoomToSpan(double span_s) {
  if (!(span_s > 0)) return;
  const double middle = view_.contains(cursor_s_) ? cursor_s_ : view_.start_s + view_.length() / 2;
  const double span = std::clamp(span_s, minimumSpan_s_, extent_.length());
  placeView(middle - span / 2, span);
}

void TimeAxisModel::zoomToSelection() {
  if (selection_.valid()) setView(selection_);
}

}  // namespace imuwb::widgets
