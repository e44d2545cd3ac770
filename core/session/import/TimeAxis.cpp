#include "session/import/TimeAxis.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"
#include "session/SampleStats.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

using session_stats::floorQuantile;
using session_stats::upperMedian;
using session_text::formatSignificant;

namespace {

constexpr double kDay = 86400.0;

std::string lineText(const RowLines& lines, std::size_t row) {
  return std::to_string(lines.lineOf(row));
}

// Numbers: the unit from the header, else from an epoch's magnitude, else from the median step
// (exactly one of s/ms/us/ns gives a rate in (2, 2000] Hz). Sets how.
double numberScale(const RawTimeColumn& raw, double rawStep, const std::string& where,
                   std::string& how, bool& epoch) {
  epoch = false;
  if (raw.scaleHint > 0) {
    how = "from the header";
    const double start = static_cast<double>(raw.origin) * raw.scaleHint;
    epoch = start > 9.4e8 && start < 4.2e9;
    return raw.scaleHint;
  }
  const double origin = std::abs(static_cast<double>(raw.origin));
  const double scales[] = {1.0, 1e-3, 1e-6, 1e-9};
  for (double scale : scales) {
    const double start = origin * scale;
    // Epoch times since 2000 (9.4e8 s) and before 2103, with a plausible step.
    if (start > 9.4e8 && start < 4.2e9 && rawStep * scale < 60 && rawStep * scale > 1e-6) {
      how = "from the epoch's magnitude";
      epoch = true;
      return scale;
    }
  }
  double chosen = 0;
  for (double scale : scales) {
    const double rate = 1.0 / (rawStep * scale);
    if (rate > 2 && rate <= 2000) chosen = scale;
  }
  how = "from the median step";
  if (chosen == 0)
    throw Error(where,
                "cannot tell whether timestamps are s, ms, us or ns (median step " +
                    formatSignificant(rawStep, 4) + ")",
                "name the column time_s, time_ms, time_us or time_ns, or pass --rate");
  return chosen;
}

const char* unitName(double scale) {
  return scale == 1 ? "s" : scale == 1e-3 ? "ms" : scale == 1e-6 ? "us" : "ns";
}

// Clock times that jump back by more than 12 h crossed midnight: add a day from there on.
std::size_t unwrapMidnight(std::vector<double>& t) {
  std::size_t wraps = 0;
  double add = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i] + add < t[i - 1] - kDay / 2) add += kDay, ++wraps;
    t[i] += add;
  }
  return wraps;
}

void refuseDescending(const std::vector<double>& t, const RowLines& lines,
                      const std::string& source) {
  std::size_t first = 0, count = 0;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] < t[i - 1]) first = count++ == 0 ? i : first;
  if (count == 0) return;
  throw Error(source + ":" + lineText(lines, first),
              "timestamp goes back by " + formatSignificant(t[first - 1] - t[first], 4) +
                  " s from line " + lineText(lines, first - 1) + " (" + std::to_string(count) +
                  " descending step(s) in the file)",
              "sort the rows by time, or fix the logger's clock; windows need increasing time");
}

// Rows sharing one timestamp of a coarse clock are spread evenly over their tick: k rows of a
// full tick are 1/k apart. The first and last ticks are usually partial, so they take their
// neighbour's spacing, the first ending where the next tick starts.
Finding spreadCoarseClock(std::vector<double>& t, const RowLines& lines, double tick) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (i == 0 || t[i] != t[i - 1]) starts.push_back(i);
  starts.push_back(t.size());
  const std::size_t ticks = starts.size() - 1;
  std::vector<double> spacing(ticks, 0.0);
  std::size_t minRows = t.size(), maxRows = 0;
  for (std::size_t k = 0; k + 1 < ticks; ++k) {
    const std::size_t a = starts[k], b = starts[k + 1];
    spacing[k] = std::min(t[b] - t[a], tick) / static_cast<double>(b - a);
    if (k > 0) minRows = std::min(minRows, b - a), maxRows = std::max(maxRows, b - a);
  }
  if (ticks >= 3) spacing[0] = spacing[1];
  spacing[ticks - 1] =
      ticks >= 2 ? spacing[ticks - 2] : tick / static_cast<double>(starts[1] - starts[0]);
  for (std::size_t k = 0; k < ticks; ++k) {
    const std::size_t a = starts[k], b = starts[k + 1];
    // The first tick's rows end one spacing before the second tick starts.
    const double base =
        k == 0 && ticks >= 3 ? t[b] - static_cast<double>(b - a) * spacing[0] : t[a];
    for (std::size_t i = a; i < b; ++i) t[i] = base + static_cast<double>(i - a) * spacing[k];
  }
  if (maxRows == 0) minRows = maxRows = t.size();
  Finding finding;
  finding.severity = Severity::Warning;
  finding.code = "time_coarse_clock";
  finding.subject = "time";
  finding.message = "the clock ticks every " + formatSignificant(tick, 4) + " s with " +
                    std::to_string(minRows) + "-" + std::to_string(maxRows) +
                    " rows per full tick (" + std::to_string(ticks) + " ticks from line " +
                    lineText(lines, 0) + "); rows are spread evenly within each tick";
  finding.fix = "log finer timestamps if the logger can; within a tick the rate is assumed even";
  return finding;
}

Finding reportDuplicates(const std::vector<double>& t, const RowLines& lines) {
  std::size_t first = 0, count = 0;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] == t[i - 1]) first = count++ == 0 ? i : first;
  Finding finding;
  finding.severity = Severity::Warning;
  finding.code = "time_duplicate";
  finding.subject = "time";
  finding.message = std::to_string(count) + " duplicate timestamp(s); the first at line " +
                    lineText(lines, first) + " repeats line " + lineText(lines, first - 1);
  finding.fix = "drop the duplicated rows (a logger wrote a sample twice)";
  return finding;
}

// Event-driven logs drift off any uniform grid: within each gap-free stretch, the distance of
// a row from the stretch's own uniform grid grows past two steps. Bounded jitter stays near it.
bool driftsOffGrid(const std::vector<double>& t, double medianStep) {
  std::size_t start = 0;
  auto check = [&](std::size_t end) {  // rows [start, end)
    if (end - start < 3) return false;
    const double step = (t[end - 1] - t[start]) / static_cast<double>(end - 1 - start);
    for (std::size_t i = start; i < end; ++i)
      if (std::abs(t[i] - t[start] - static_cast<double>(i - start) * step) > 2 * medianStep)
        return true;
    return false;
  };
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] - t[i - 1] > 3 * medianStep) {
      if (check(i)) return true;
      start = i;
    }
  return check(t.size());
}

std::string startTimeOf(const RawTimeColumn& raw, double scale, bool epoch, double shift) {
  switch (raw.format) {
    case TimeFormat::DateTime:
      return isoFromEpochSeconds(static_cast<double>(raw.origin) + shift);
    case TimeFormat::Clock:
      if (!raw.dateDays) return {};
      return isoFromEpochSeconds(static_cast<double>(*raw.dateDays) * kDay +
                                 static_cast<double>(raw.origin) + shift);
    case TimeFormat::Number:
      return epoch ? isoFromEpochSeconds(static_cast<double>(raw.origin) * scale + shift)
                   : std::string();
  }
  return {};
}

// The rate and the report once the times are final: a regular log's rate is the mean of its
// non-gap steps (jitter, even lopsided, cannot move it), an irregular log's is rows per second
// of duration, and its timestamps are kept as they are.
void finishTimeAxis(TimeAxis& axis, std::vector<double>& t, const RawTimeColumn& raw, double scale,
                    bool epoch, const std::string& how, bool coarse,
                    std::optional<double> givenRate) {
  std::vector<double> steps;
  steps.reserve(t.size());
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] > t[i - 1]) steps.push_back(t[i] - t[i - 1]);
  const double median = upperMedian(steps);
  double sum = 0;
  std::size_t counted = 0;
  for (double s : steps)
    if (s < 2 * median) sum += s, ++counted;
  const double meanStep = sum / static_cast<double>(counted);
  const double duration = t.back() - t.front();
  axis.irregular = !coarse && driftsOffGrid(t, median);
  const double measured =
      axis.irregular ? static_cast<double>(t.size() - 1) / duration : niceRate(1.0 / meanStep);
  const double p05 = floorQuantile(steps, 0.05), p95 = floorQuantile(steps, 0.95);
  std::string written;
  if (raw.format == TimeFormat::Number)
    written = std::string("timestamps in ") + unitName(scale) + (epoch ? " since the epoch" : "") +
              " (" + how + ")";
  else if (raw.format == TimeFormat::Clock)
    written = "clock times HH:MM:SS" +
              (raw.dateDays ? ", date from " + raw.dateSource : std::string(", no date"));
  else
    written = "ISO 8601 date-times";
  Finding finding;
  finding.code = "time_inferred";
  finding.subject = "time";
  finding.message = written + "; mean step " + formatSignificant(meanStep * 1000, 4) + " ms -> " +
                    formatSignificant(measured, 4) +
                    " Hz (5-95 % of steps: " + formatSignificant(p05 * 1000, 4) + "-" +
                    formatSignificant(p95 * 1000, 4) + " ms)";
  axis.rateHz = measured;
  if (axis.irregular) {
    finding.severity = Severity::Warning;
    finding.code = "time_irregular";
    finding.message = written + "; irregular (event-driven) rows: steps " +
                      formatSignificant(p05 * 1000, 4) + "-" + formatSignificant(p95 * 1000, 4) +
                      " ms (5-95 %); rate estimated as rows per second of duration: " +
                      formatSignificant(measured, 4) + " Hz; timestamps kept as recorded";
    finding.fix = "resample onto a uniform grid before running a model";
  } else if (givenRate) {
    axis.rateHz = *givenRate;
    if (std::abs(*givenRate - measured) > 0.02 * *givenRate) {
      finding.severity = Severity::Warning;
      finding.message += "; but --rate says " + formatSignificant(*givenRate, 4) + " Hz";
      finding.fix = "check --rate; timestamps are kept as recorded";
    }
  }
  axis.report.push_back(finding);
  if (raw.format == TimeFormat::Clock && !raw.dateDays) {
    Finding noDate;
    noDate.severity = Severity::Warning;
    noDate.code = "time_no_date";
    noDate.subject = "time";
    noDate.message = "clock times without a date: the start time is unknown";
    noDate.fix = "pass --date YYYY-MM-DD (the day the recording started, UTC)";
    axis.report.push_back(noDate);
  }
  // Spreading may move the first row off the first timestamp: the session starts at that row.
  const double shift = t.front();
  for (double& value : t) value -= shift;
  axis.startTime = startTimeOf(raw, scale, epoch, shift);
  axis.time_s = std::move(t);
}

}  // namespace

double niceRate(double rate) {
  for (double candidate :
       {1.0,   5.0,   10.0,  12.5,  20.0,  25.0,  50.0,  52.0,  100.0, 104.0,  128.0,  200.0,
        208.0, 250.0, 256.0, 400.0, 416.0, 500.0, 512.0, 800.0, 833.0, 1000.0, 1600.0, 2000.0})
    if (std::abs(rate - candidate) < 0.01 * candidate) return candidate;
  return std::round(rate * 10) / 10;
}

TimeAxis buildTimeAxis(RawTimeColumn raw, const RowLines& lines, const std::string& source,
                       const std::string& column, std::optional<double> givenRate) {
  const std::string where = source + " column '" + column + "'";
  TimeAxis axis;
  std::vector<double>& t = raw.offsets;
  std::vector<double> steps;
  for (std::size_t i = 1; i < t.size(); ++i)
    if (t[i] > t[i - 1]) steps.push_back(t[i] - t[i - 1]);
  if (steps.empty())
    throw Error(where, "timestamps never increase",
                "check the time column or drop it and pass --rate");
  double scale = 1;
  bool epoch = false;
  std::string how = "as written";
  if (raw.format == TimeFormat::Number) {
    scale = numberScale(raw, upperMedian(steps), where, how, epoch);
    for (double& value : t) value *= scale;
  }
  if (raw.format == TimeFormat::Clock && unwrapMidnight(t) > 0) {
    Finding wrap;
    wrap.code = "time_midnight";
    wrap.subject = "time";
    wrap.message = "clock times pass midnight; the next day is assumed";
    axis.report.push_back(wrap);
  }
  refuseDescending(t, lines, source);
  const std::size_t zeros = t.size() - 1 - steps.size();
  const double tick = upperMedian(steps) * scale;
  const bool coarse = zeros * 2 >= t.size() - 1;
  if (coarse)
    axis.report.push_back(spreadCoarseClock(t, lines, tick));
  else if (zeros > 0)
    axis.report.push_back(reportDuplicates(t, lines));
  finishTimeAxis(axis, t, raw, scale, epoch, how, coarse, givenRate);
  return axis;
}

}  // namespace imuwb
