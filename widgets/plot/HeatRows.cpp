#include "HeatRows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace imuwb::widgets {

namespace {

// Window index range [begin, end) whose centres fall in column k; when empty, the nearest
// window (as a one-window range) if the column lies within the data, else an empty range.
std::pair<std::size_t, std::size_t> columnWindows(const std::vector<double>& centres, double t0_s,
                                                  double step, int k) {
  const double a = t0_s + step * k, b = a + step;
  const std::size_t begin = analysis::indexAt(a, centres), end = analysis::indexAt(b, centres);
  if (end > begin) return {begin, end};
  if (centres.empty()) return {0, 0};
  const double spacing = centres.size() > 1 ? (centres.back() - centres.front()) /
                                                  static_cast<double>(centres.size() - 1)
                                            : step;
  const double middle = a + step / 2;
  if (middle < centres.front() - spacing / 2 || middle > centres.back() + spacing / 2)
    return {0, 0};
  std::size_t nearest = std::min(begin, centres.size() - 1);
  if (nearest > 0 && middle - centres[nearest - 1] < centres[nearest] - middle) --nearest;
  return {nearest, nearest + 1};
}

}  // namespace

double heatValue(const WindowTraceSource& source, std::size_t channel, double t0_s, double t1_s,
                 int columns, int column) {
  const auto [begin, end] =
      columnWindows(source.centres_s(), t0_s, (t1_s - t0_s) / columns, column);
  if (end <= begin) return std::numeric_limits<double>::quiet_NaN();
  const auto extremes = source.pyramid(channel).query(begin, end);
  return extremes.empty() ? std::numeric_limits<double>::quiet_NaN() : extremes.max;
}

QImage heatRows(const WindowTraceSource& source, double t0_s, double t1_s, int columns,
                QRgb (*color)(double value)) {
  const int rows = static_cast<int>(source.channelCount());
  if (rows == 0 || columns <= 0 || !(t1_s > t0_s)) return {};
  QImage image(columns, rows, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  const double step = (t1_s - t0_s) / columns;
  for (int k = 0; k < columns; ++k) {
    const auto [begin, end] = columnWindows(source.centres_s(), t0_s, step, k);
    if (end <= begin) continue;
    for (int r = 0; r < rows; ++r) {
      const auto extremes = source.pyramid(static_cast<std::size_t>(r)).query(begin, end);
      if (!extremes.empty()) image.setPixel(k, r, color(extremes.max));
    }
  }
  return image;
}

}  // namespace imuwb::widgets
