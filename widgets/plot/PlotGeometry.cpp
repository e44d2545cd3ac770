#include "PlotGeometry.hpp"

#include <cmath>

namespace imuwb::widgets {

double niceTickStep(double span_s, int targetTicks) {
  if (!(span_s > 0) || targetTicks < 1) return 1.0;
  const double raw = span_s / targetTicks;
  // Above a minute, step in clock units so labels read 00:05:00, 00:10:00...
  static const double clockSteps[] = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600};
  if (raw > 45) {
    for (double step : clockSteps)
      if (step >= raw) return step;
    return 43200;
  }
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

std::vector<double> tickPositions(TimeRange view, double step_s) {
  std::vector<double> out;
  if (!(step_s > 0) || !view.valid()) return out;
  for (double t = std::ceil(view.start_s / step_s) * step_s; t <= view.end_s + 1e-9; t += step_s) {
    out.push_back(t);
    if (out.size() > 1000) break;
  }
  return out;
}

QString formatTime(double t_s, double step_s) {
  const bool negative = t_s < 0;
  t_s = std::abs(t_s);
  const auto hours = static_cast<long long>(t_s / 3600);
  const auto minutes = static_cast<int>(std::fmod(t_s, 3600) / 60);
  const double seconds = std::fmod(t_s, 60);
  const int decimals = step_s >= 1 ? 0 : (step_s >= 0.1 ? 1 : 2);
  QString secondsText = QString::number(seconds, 'f', decimals);
  if (seconds < 10) secondsText.prepend('0');
  return QStringLiteral("%1%2:%3:%4")
      .arg(negative ? "-" : "")
      .arg(hours, 2, 10, QChar('0'))
      .arg(minutes, 2, 10, QChar('0'))
      .arg(secondsText);
}

}  // namespace imuwb::widgets
