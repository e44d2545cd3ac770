#pragma once
// Per-window values (model outputs, parity cosine) as decimatable traces on the shared time axis:
// each value sits at its window's centre, and every channel gets a min/max pyramid once, when a
// result is shown. A view change then costs time in proportion to the plot width, not to the
// window count: at most two points per pixel column, exact min/max per column, raw values when
// zoomed in (see DecimatedTrace). Shared by WindowSeriesChart and the parity view.
#include <QList>
#include <QPointF>
#include <vector>

#include "DecimatedTrace.hpp"

namespace imuwb::widgets {

class WindowTraceSource {
 public:
  WindowTraceSource() = default;
  // The TraceSource handed out captures this object; copies would point at the original.
  WindowTraceSource(const WindowTraceSource&) = delete;
  WindowTraceSource& operator=(const WindowTraceSource&) = delete;

  // Window centres in ascending order (a binary search maps time to window). Drops all channels.
  void reset(std::vector<double> centres_s);
  // One value per window, in window order. The values are viewed, not copied: the caller keeps
  // them alive and unchanged until the next reset/clear. Extra values beyond the centres are
  // ignored. Returns the channel's index.
  std::size_t addChannel(analysis::StridedChannel values);
  void clear();

  std::size_t channelCount() const { return pyramids_.size(); }
  const std::vector<double>& centres_s() const { return centres_s_; }
  TraceSource source(std::size_t channel) const;
  const analysis::MinMaxPyramid& pyramid(std::size_t channel) const { return pyramids_[channel]; }
  // Series points for the view [t0_s, t1_s) on a plot `columns` pixels wide.
  QList<QPointF> points(std::size_t channel, double t0_s, double t1_s, int columns) const;

 private:
  std::vector<double> centres_s_;
  std::vector<analysis::MinMaxPyramid> pyramids_;  // each keeps its channel's view
  std::vector<analysis::StridedChannel> channels_;
};

}  // namespace imuwb::widgets
