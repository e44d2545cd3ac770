#pragma once
// One channel of a time series prepared for a plot `columns` pixels wide: raw points when
// zoomed in, exact min/max per pixel column when zoomed out. Used for the raw IMU channels and
// for model outputs over windows alike. Qt-free.
#include <functional>
#include <vector>

#include "analysis/Decimation.hpp"

namespace imuwb::widgets {

struct DecimatedTrace {
  bool raw = false;
  std::vector<double> time_s;          // raw: sample times; columns: column centre times
  std::vector<float> value;            // raw only
  std::vector<analysis::MinMax> band;  // columns only
  analysis::MinMax extent;             // over everything in the trace
};

// A decimatable channel: samples + their pyramid + how sample indices map to time.
struct TraceSource {
  analysis::StridedChannel channel;
  const analysis::MinMaxPyramid* pyramid = nullptr;
  std::function<double(std::size_t)> timeAt;   // sample index -> seconds
  std::function<std::size_t(double)> indexAt;  // first sample at or after t
};

// Below two samples per column: raw samples in [t0,t1) plus one either side, so lines reach the
// plot edges. Otherwise one exact min/max per column.
DecimatedTrace decimateTrace(const TraceSource& source, double t0_s, double t1_s, int columns);

}  // namespace imuwb::widgets
