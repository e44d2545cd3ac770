#pragma once
// Mouse, wheel and keyboard navigation on the shared time axis, as one event filter that every
// time-aligned view installs. Wheel zooms around the pointer (Shift+wheel pans), drag pans,
// click sets the cursor, Shift+drag selects a range, double-click zooms to the selection (or
// shows everything), arrows pan, +/- zoom, Home shows all, Esc clears the selection.
#include <QObject>
#include <QPointF>
#include <functional>

#include "PlotGeometry.hpp"

namespace imuwb::widgets {

class TimeAxisModel;

class TimeInteraction : public QObject {
  Q_OBJECT
 public:
  // plotSpan returns the plot's left x and width in the watched widget's coordinates.
  TimeInteraction(TimeAxisModel* axis, std::function<std::pair<double, double>()> plotSpan,
                  QObject* parent);
  bool eventFilter(QObject* watched, QEvent* event) override;

 signals:
  void hovered(double t_s, QPointF position);  // pointer moved over the plot, no button down

 private:
  TimeMapping mapping() const;
  TimeAxisModel* axis_;
  std::function<std::pair<double, double>()> plotSpan_;
  enum class Drag { None, Pan, Select } drag_ = Drag::None;
  QPointF pressPos_;
  double pressTime_ = 0;
  TimeRange pressView_;
  bool moved_ = false;
};

}  // namespace imuwb::widgets
