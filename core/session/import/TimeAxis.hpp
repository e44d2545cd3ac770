#pragma once
// From the time column as written to the session's clock: the unit of numeric times, the start
// time, coarse clocks spread evenly, irregular (event-driven) logs flagged, and descending or
// duplicate timestamps named by file line. The times live in temporary files (TimeSpool), read
// in passes, so a day of rows costs no memory.
#include <optional>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "session/import/RowLines.hpp"
#include "session/import/TimeParsing.hpp"
#include "session/import/TimeSpool.hpp"

namespace imuwb {

struct RawTimeColumn {
  TimeFormat format = TimeFormat::Number;
  long double origin = 0;        // the first row's value (number as written, or seconds)
  TimeSpool offsets;             // each row's value minus origin, in the same unit
  double scaleHint = 0;          // seconds per unit from the header (numbers); 0 = none
  std::optional<long> dateDays;  // clock times: the date (--date or a date column)
  std::string dateSource;        // "--date" or the date column's name
};

struct TimeAxis {
  // Row i's time in seconds from the first row is times[i] - shift.
  TimeSpool times;
  double shift = 0;
  double rateHz = 0;
  std::string startTime;  // ISO 8601 UTC, or "" when unknown
  bool irregular = false;
  std::vector<Finding> report;

  std::vector<double> seconds() const;  // every row's time (tests and small files)
};

// where names the file and the time column. givenRate is --rate (compared, and used for a
// regular log). Throws imuwb::Error naming the file line for descending or non-finite times.
TimeAxis buildTimeAxis(const RawTimeColumn& raw, const RowLines& lines, const std::string& source,
                       const std::string& column, std::optional<double> givenRate);

// Snaps a rate to a common logger rate when within 1 %, else rounds to 0.1 Hz.
double niceRate(double rate);

}  // namespace imuwb
