#include "TracePoints.hpp"

#include <cmath>

namespace imuwb::widgets {

QList<QPointF> tracePoints(const DecimatedTrace& trace) {
  QList<QPointF> points;
  if (trace.raw) {
    points.reserve(static_cast<qsizetype>(trace.value.size()));
    for (std::size_t i = 0; i < trace.value.size(); ++i)
      if (std::isfinite(trace.value[i])) points.append(QPointF(trace.time_s[i], trace.value[i]));
    return points;
  }
  points.reserve(static_cast<qsizetype>(2 * trace.band.size()));
  for (std::size_t k = 0; k < trace.band.size(); ++k) {
    const auto& column = trace.band[k];
    if (column.empty()) continue;
    // Alternate the order so consecutive columns join at the nearer extreme.
    if (k % 2 == 0) {
      points.append(QPointF(trace.time_s[k], column.min));
      points.append(QPointF(trace.time_s[k], column.max));
    } else {
      points.append(QPointF(trace.time_s[k], column.max));
      points.append(QPointF(trace.time_s[k], column.min));
    }
  }
  return points;
}

}  // namespace imuwb::widgets
