#pragma once
// Reading one time field: a number (epoch or relative, unit decided later), a clock time
// HH:MM:SS[.fff] (a date comes from --date or a date column) or an ISO 8601 date-time. Dates
// and times are parsed with Howard Hinnant's date library, numbers with std::from_chars.
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "session/import/CsvDialect.hpp"

namespace imuwb {

enum class TimeFormat { Number, Clock, DateTime };

std::string_view timeFormatName(TimeFormat format);  // "number", "clock time", "date-time"

// From the first data row's field: "12:00:01.5" is a clock time, "2024-05-01T12:00:01Z" or
// "01/05/2024 12:00:01" a date-time, anything else a number.
TimeFormat classifyTimeField(std::string_view field);

class TimeFieldParser {
 public:
  TimeFieldParser(TimeFormat format, csv::Dialect dialect);

  // Number: the value as written (integers exactly, up to 19 digits); Clock: seconds since
  // midnight; DateTime: seconds since 1970-01-01 UTC (a Z or +hh:mm suffix is honoured, none
  // is UTC). False when the field is not of the format.
  bool parse(std::string_view field, long double& value);

  // A calendar date ("2024-05-01", "2024/05/01", "01/05/2024", "01.05.2024") as days since
  // 1970-01-01; nullopt when it is not one.
  std::optional<long> parseDate(std::string_view field);

 private:
  bool parseDateTime(std::string_view field, long double& value);
  bool parseClock(std::string_view field, long double& value);

  TimeFormat format_;
  csv::Dialect dialect_;
  std::istringstream stream_;
  int dateTimeFormat_ = -1;  // index of the date-time layout that matched first
  int dateFormat_ = -1;
  std::string lastDateText_;
  long lastDate_ = 0;
};

// "2024-05-01T12:00:01.250Z" from seconds since the epoch (millisecond precision).
std::string isoFromEpochSeconds(double seconds);

}  // namespace imuwb
