#include "DecimatedTrace.hpp"

#include <algorithm>

namespace imuwb::widgets {

DecimatedTrace decimateTrace(const TraceSource& source, double t0_s, double t1_s, int columns) {
  DecimatedTrace out;
  const std::size_t n = source.channel.count;
  if (n == 0 || columns <= 0 || !(t1_s > t0_s) || !source.pyramid) return out;
  const std::size_t first = source.indexAt(t0_s), last = source.indexAt(t1_s);
  if (last - first < 2 * static_cast<std::size_t>(columns)) {
    out.raw = true;
    const std::size_t begin = first > 0 ? first - 1 : 0;
    const std::size_t end = std::min(n, last + 1);
    out.time_s.reserve(end - begin);
    out.value.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      const float v = source.channel.at(i);
      out.time_s.push_back(source.timeAt(i));
      out.value.push_back(v);
      out.extent.add(v);
    }
    return out;
  }
  const auto bounds =
      source.pyramid->snapToBlocks(analysis::columnBoundaries(t0_s, t1_s, columns, source.indexAt));
  out.band = source.pyramid->decimate(bounds);
  out.time_s.reserve(out.band.size());
  const double step = (t1_s - t0_s) / columns;
  for (int k = 0; k < columns; ++k) {
    out.time_s.push_back(t0_s + step * (k + 0.5));
    out.extent.merge(out.band[static_cast<std::size_t>(k)]);
  }
  return out;
}

}  // namespace imuwb::widgets
