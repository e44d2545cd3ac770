#include "session/import/TimeAxis.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"
#include "session/TextFormat.hpp"
#include "session/import/CoarseClock.hpp"
#include "session/import/StepQuantiles.hpp"

namespace imuwb {

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

// Numbers times their unit; clock times that jump back by more than 12 h crossed midnight: a
// day is added from there on. Returns the number of midnights passed.
std::size_t toSeconds(const TimeSpool& raw, TimeSpool& out, TimeFormat format, double scale) {
  TimeSpool::Reader reader(raw);
  std::size_t wraps = 0;
  double add = 0, previous = 0, value = 0;
  bool first = true;
  while (reader.next(value)) {
    if (format == TimeFormat::Number) value *= scale;
    if (format == TimeFormat::Clock && !first) {
      if (value + add < previous - kDay / 2) add += kDay, ++wraps;
      value += add;
    }
    out.push(value);
    previous = value;
    first = false;
  }
  return wraps;
}

void refuseDescending(const TimeSpool& t, const RowLines& lines, const std::string& source) {
  std::size_t first = 0, count = 0;
  double before = 0, after = 0, previous = 0, value = 0;
  TimeSpool::Reader reader(t);
  for (std::size_t i = 0; reader.next(value); previous = value, ++i)
    if (i > 0 && value < previous && count++ == 0) first = i, before = previous, after = value;
  if (count == 0) return;
  throw Error(source + ":" + lineText(lines, first),
              "timestamp goes back by " + formatSignificant(before - after, 4) + " s from line " +
                  lineText(lines, first - 1) + " (" + std::to_string(count) +
                  " descending step(s) in the file)",
              "sort the rows by time, or fix the logger's clock; windows need increasing time");
}

Finding reportDuplicates(const TimeSpool& t, const RowLines& lines) {
  std::size_t first = 0, count = 0;
  double previous = 0, value = 0;
  TimeSpool::Reader reader(t);
  for (std::size_t i = 0; reader.next(value); previous = value, ++i)
    if (i > 0 && value == previous && count++ == 0) first = i;
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
// One reader finds each stretch's end, a second follows it through the stretch's rows.
bool driftsOffGrid(const TimeSpool& t, double medianStep) {
  TimeSpool::Reader ahead(t), behind(t);
  std::size_t start = 0;
  double startValue = 0, previous = 0, value = 0;
  auto check = [&](std::size_t end, double last) {  // rows [start, end), t[end - 1] = last
    if (end - start < 3) {
      for (std::size_t i = start; i < end; ++i) behind.next(value);
      return false;
    }
    const double step = (last - startValue) / static_cast<double>(end - 1 - start);
    double row = 0;
    for (std::size_t i = start; i < end; ++i) {
      behind.next(row);
      if (std::abs(row - startValue - static_cast<double>(i - start) * step) > 2 * medianStep)
        return true;
    }
    return false;
  };
  if (!ahead.next(previous)) return false;
  startValue = previous;
  std::size_t i = 1;
  for (; ahead.next(value); ++i) {
    if (value - previous > 3 * medianStep) {
      if (check(i, previous)) return true;
      start = i;
      startValue = value;
    }
    previous = value;
  }
  return check(i, previous);
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
void finishTimeAxis(TimeAxis& axis, TimeSpool t, const RawTimeColumn& raw, double scale, bool epoch,
                    const std::string& how, bool coarse, std::optional<double> givenRate) {
  const StepQuantiles steps = positiveStepQuantiles(t, {0.05, 0.95});
  const double median = steps.median;
  double sum = 0;
  std::size_t counted = 0;
  {
    TimeSpool::Reader reader(t);
    double previous = 0, value = 0;
    for (bool first = true; reader.next(value); previous = value, first = false) {
      const double s = value - previous;
      if (!first && value > previous && s < 2 * median) sum += s, ++counted;
    }
  }
  const double meanStep = sum / static_cast<double>(counted);
  const double duration = t.back() - t.front();
  axis.irregular = !coarse && driftsOffGrid(t, median);
  const double measured =
      axis.irregular ? static_cast<double>(t.size() - 1) / duration : niceRate(1.0 / meanStep);
  const double p05 = steps.quantiles[0], p95 = steps.quantiles[1];
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
  axis.shift = t.front();
  axis.startTime = startTimeOf(raw, scale, epoch, axis.shift);
  axis.times = std::move(t);
}

}  // namespace

double niceRate(double rate) {
  for (double candidate :
       {1.0,   5.0,   10.0,  12.5,  20.0,  25.0,  50.0,  52.0,  100.0, 104.0,  128.0,  200.0,
        208.0, 250.0, 256.0, 400.0, 416.0, 500.0, 512.0, 800.0, 833.0, 1000.0, 1600.0, 2000.0})
    if (std::abs(rate - candidate) < 0.01 * candidate) return candidate;
  return std::round(rate * 10) / 10;
}

std::vector<double> TimeAxis::seconds() const {
  std::vector<double> out;
  out.reserve(times.size());
  TimeSpool::Reader reader(times);
  for (double value = 0; reader.next(value);) out.push_back(value - shift);
  return out;
}

TimeAxis buildTimeAxis(const RawTimeColumn& raw, const RowLines& lines, const std::string& source,
                       const std::string& column, std::optional<double> givenRate) {
  const std::string where = source + " column '" + column + "'";
  TimeAxis axis;
  const StepQuantiles rawSteps = positiveStepQuantiles(raw.offsets);
  if (rawSteps.count == 0)
    throw Error(where, "timestamps never increase",
                "check the time column or drop it and pass --rate");
  double scale = 1;
  bool epoch = false;
  std::string how = "as written";
  if (raw.format == TimeFormat::Number)
    scale = numberScale(raw, rawSteps.median, where, how, epoch);
  TimeSpool t;
  if (toSeconds(raw.offsets, t, raw.format, scale) > 0) {
    Finding wrap;
    wrap.code = "time_midnight";
    wrap.subject = "time";
    wrap.message = "clock times pass midnight; the next day is assumed";
    axis.report.push_back(wrap);
  }
  refuseDescending(t, lines, source);
  const std::size_t zeros = t.size() - 1 - rawSteps.count;
  const double tick = rawSteps.median * scale;
  const bool coarse = zeros * 2 >= t.size() - 1;
  if (coarse) {
    TimeSpool spread;
    axis.report.push_back(spreadCoarseClock(t, spread, lines, tick));
    t = std::move(spread);
  } else if (zeros > 0) {
    axis.report.push_back(reportDuplicates(t, lines));
  }
  finishTimeAxis(axis, std::move(t), raw, scale, epoch, how, coarse, givenRate);
  return axis;
}

}  // namespace imuwb
