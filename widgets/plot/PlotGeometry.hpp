#pragma once
// Every time-aligned view reserves the same left and right margins, so the same time lands on
// the same pixel column in the signals, the label bands, the outputs and the heatmap.
#include <QRectF>
#include <QString>
#include <vector>

#include "TimeAxisModel.hpp"

namespace imuwb::widgets {

inline constexpr int kPlotLeftMargin = 64;  // room for y-axis labels
inline constexpr int kPlotRightMargin = 16;

// Maps seconds to x pixels inside a plot rectangle and back.
struct TimeMapping {
  TimeRange view;
  double left = 0;
  double width = 1;
  double toX(double t_s) const { return left + (t_s - view.start_s) / view.length() * width; }
  double toTime(double x) const { return view.start_s + (x - left) / width * view.length(); }
};

// "Nice" tick positions (1/2/5 x 10^k seconds, or minutes/hours) for about `targetTicks` ticks.
double niceTickStep(double span_s, int targetTicks);
std::vector<double> tickPositions(TimeRange view, double step_s);
// hh:mm:ss(.s) for a time from session start, precise enough for the step.
QString formatTime(double t_s, double step_s = 1.0);

}  // namespace imuwb::widgets
