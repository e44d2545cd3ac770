#pragma once
// Per-window rows ([W, D], e.g. class probabilities) averaged per pixel column, for stacked
// areas. Min/max per column (the line views' decimation) does not stack; means do: the mean of
// rows that each sum to 1 sums to 1, so a zoomed-out stack still fills the plot exactly. Prefix
// sums make a column cost O(D) at any zoom level. Qt-free.
#include <cstddef>
#include <vector>

namespace imuwb::widgets {

struct ColumnRows {
  bool raw = false;            // true: the windows themselves (zoomed in), not column means
  std::vector<double> time_s;  // column centres, or window centres when raw
  std::vector<float> values;   // [time_s.size(), width] row-major
  std::size_t width = 0;
  float at(std::size_t row, std::size_t column) const { return values[row * width + column]; }
};

class ColumnMeans {
 public:
  // centres_s ascending, one per row of `rows` ([count, width] row-major). Copies what it needs.
  void reset(const std::vector<double>& centres_s, const float* rows, std::size_t count,
             std::size_t width);
  void clear();
  bool empty() const { return centres_s_.empty(); }
  // The view [t0_s, t1_s) on a plot `columns` pixels wide. Below two windows per column: the
  // windows in view plus one either side (so areas reach the plot edges). Otherwise one mean
  // row per column that holds at least one window; empty columns are left out.
  ColumnRows rows(double t0_s, double t1_s, int columns) const;

 private:
  std::vector<double> centres_s_;
  std::vector<double> prefix_;  // [(count + 1), width]: sums of rows [0, i)
  std::size_t width_ = 0;
};

}  // namespace imuwb::widgets
