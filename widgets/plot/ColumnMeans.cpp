#include "ColumnMeans.hpp"

#include <algorithm>

#include "analysis/Decimation.hpp"

namespace imuwb::widgets {

void ColumnMeans::reset(const std::vector<double>& centres_s, const float* rows, std::size_t count,
                        std::size_t width) {
  count = std::min(count, centres_s.size());
  centres_s_.assign(centres_s.begin(), centres_s.begin() + static_cast<std::ptrdiff_t>(count));
  width_ = width;
  prefix_.assign((count + 1) * width, 0.0);
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t d = 0; d < width; ++d)
      prefix_[(i + 1) * width + d] = prefix_[i * width + d] + rows[i * width + d];
}

void ColumnMeans::clear() {
  centres_s_.clear();
  prefix_.clear();
  width_ = 0;
}

ColumnRows ColumnMeans::rows(double t0_s, double t1_s, int columns) const {
  ColumnRows out;
  out.width = width_;
  const std::size_t n = centres_s_.size();
  if (n == 0 || columns <= 0 || !(t1_s > t0_s)) return out;
  const auto indexOf = [&](double t) { return analysis::indexAt(t, centres_s_); };
  const std::size_t first = indexOf(t0_s), last = indexOf(t1_s);
  auto appendMean = [&](std::size_t begin, std::size_t end, double time) {
    out.time_s.push_back(time);
    const double scale = 1.0 / static_cast<double>(end - begin);
    for (std::size_t d = 0; d < width_; ++d)
      out.values.push_back(
          static_cast<float>((prefix_[end * width_ + d] - prefix_[begin * width_ + d]) * scale));
  };
  if (last - first < 2 * static_cast<std::size_t>(columns)) {
    out.raw = true;
    const std::size_t begin = first > 0 ? first - 1 : 0, end = std::min(n, last + 1);
    for (std::size_t i = begin; i < end; ++i) appendMean(i, i + 1, centres_s_[i]);
    return out;
  }
  const auto bounds = analysis::columnBoundaries(t0_s, t1_s, columns, indexOf);
  const double step = (t1_s - t0_s) / columns;
  for (int k = 0; k < columns; ++k) {
    const std::size_t begin = bounds[static_cast<std::size_t>(k)];
    const std::size_t end = bounds[static_cast<std::size_t>(k) + 1];
    if (end > begin) appendMean(begin, end, t0_s + step * (k + 0.5));
  }
  return out;
}

}  // namespace imuwb::widgets
