#pragma once
// The one time axis every view shares: the visible range, the cursor and the selection, all in
// seconds from session start. Views read it to draw and write it on user input; it emits a signal
// and every other view follows. It holds no data, so it knows nothing about what is plotted.
#include <QObject>

namespace imuwb::widgets {

struct TimeRange {
  double start_s = 0;
  double end_s = 0;
  double length() const { return end_s - start_s; }
  bool valid() const { return end_s > start_s; }
  bool contains(double t) const { return t >= start_s && t <= end_s; }
  bool operator==(const TimeRange&) const = default;
};

class TimeAxisModel : public QObject {
  Q_OBJECT
 public:
  explicit TimeAxisModel(QObject* parent = nullptr);

  // The whole recording; the view can never leave it. Resets the view to all of it.
  void setExtent(TimeRange extent);
  TimeRange extent() const { return extent_; }
  TimeRange view() const { return view_; }
  double cursor() const { return cursor_s_; }
  TimeRange selection() const { return selection_; }  // invalid = none
  double minimumSpan() const { return minimumSpan_s_; }

 public slots:
  void setView(TimeRange view);  // clamped into the extent, at least minimumSpan long
  void setCursor(double t_s);
  void setSelection(TimeRange selection);
  void clearSelection() { setSelection({}); }
  // factor < 1 zooms in. The time under `anchor_s` stays where it is on screen.
  void zoom(double factor, double anchor_s);
  void zoomIn() { zoom(0.5, view_.start_s + view_.length() / 2); }
  void zoomOut() { zoom(2.0, view_.start_s + view_.length() / 2); }
  void pan(double delta_s);
  void panByFraction(double fraction) { pan(view_.length() * fraction); }
  void showAll() { setView(extent_); }
  void zoomToSelection();
  // A view span_s long around the cursor (when it is in view, else around the view's middle);
  // longer than the recording shows all of it.
  void zoomToSpan(double span_s);

 signals:
  void viewChanged(imuwb::widgets::TimeRange view);
  void cursorChanged(double t_s);
  void selectionChanged(imuwb::widgets::TimeRange selection);
  void extentChanged(imuwb::widgets::TimeRange extent);

 private:
  // Moves a view of span_s to start at start_s, kept inside the extent; signals only a change.
  void placeView(double start_s, double span_s);
  TimeRange extent_{0, 1};
  TimeRange view_{0, 1};
  double cursor_s_ = 0;
  TimeRange selection_{};
  double minimumSpan_s_ = 0.05;  // 5 samples at 100 Hz: zooming further shows nothing new
};

}  // namespace imuwb::widgets

Q_DECLARE_METATYPE(imuwb::widgets::TimeRange)
