#include "session/import/TimeParsing.hpp"

#include <date/date.h>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>

#include "session/CsvText.hpp"

namespace imuwb {

namespace {

constexpr std::array<const char*, 5> kDateTimeFormats = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S",
                                                         "%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S",
                                                         "%d.%m.%Y %H:%M:%S"};
constexpr std::array<const char*, 4> kDateFormats = {"%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y",
                                                     "%d.%m.%Y"};

// A zone suffix after the seconds: "" or "Z" (UTC) or +hh:mm / -hhmm. Seconds east of UTC.
bool zoneOffset(std::string_view rest, long& seconds) {
  seconds = 0;
  if (rest.empty() || rest == "Z" || rest == "z") return true;
  if (rest.size() < 3 || (rest.front() != '+' && rest.front() != '-')) return false;
  const int sign = rest.front() == '-' ? -1 : 1;
  std::string digits;
  for (char c : rest.substr(1))
    if (c != ':') digits += c;
  if (digits.size() != 4 && digits.size() != 2) return false;
  int hours = 0, minutes = 0;
  if (std::from_chars(digits.data(), digits.data() + 2, hours).ec != std::errc()) return false;
  if (digits.size() == 4 &&
      std::from_chars(digits.data() + 2, digits.data() + 4, minutes).ec != std::errc())
    return false;
  seconds = sign * (hours * 3600L + minutes * 60L);
  return hours <= 14 && minutes < 60;
}

// The unparsed rest of the stream, without blanks.
std::string restOf(std::istringstream& stream) {
  std::string rest;
  std::getline(stream, rest);
  return std::string(csv::trim(rest));
}

}  // namespace

std::string_view timeFormatName(TimeFormat format) {
  switch (format) {
    case TimeFormat::Number:
      return "number";
    case TimeFormat::Clock:
      return "clock time";
    case TimeFormat::DateTime:
      return "date-time";
  }
  return "number";
}

TimeFormat classifyTimeField(std::string_view field) {
  if (field.find(':') == std::string_view::npos) return TimeFormat::Number;
  const auto blank = field.find_first_of(" T");
  if (blank != std::string_view::npos && blank >= 8) {
    const auto date = field.substr(0, blank);
    if (date.find_first_of("-/.") != std::string_view::npos) return TimeFormat::DateTime;
  }
  return TimeFormat::Clock;
}

TimeFieldParser::TimeFieldParser(TimeFormat format, csv::Dialect dialect)
    : format_(format), dialect_(dialect) {}

bool TimeFieldParser::parse(std::string_view field, long double& value) {
  switch (format_) {
    case TimeFormat::Clock:
      return parseClock(field, value);
    case TimeFormat::DateTime:
      return parseDateTime(field, value);
    case TimeFormat::Number:
      break;
  }
  // Integers (epoch ns has 19 digits) exactly; anything else through the double parser.
  std::int64_t whole = 0;
  const char* end = field.data() + field.size();
  const char* begin = field.data() + (!field.empty() && field.front() == '+' ? 1 : 0);
  const auto result = std::from_chars(begin, end, whole);
  if (result.ec == std::errc() && result.ptr == end && begin != end) {
    value = static_cast<long double>(whole);
    return true;
  }
  double number = 0;
  if (!csv::parseDialectNumber(field, dialect_, number) || !std::isfinite(number)) return false;
  value = number;
  return true;
}

bool TimeFieldParser::parseClock(std::string_view field, long double& value) {
  using namespace std::chrono;
  stream_.clear();
  stream_.str(std::string(field));
  nanoseconds sinceMidnight{};
  stream_ >> date::parse("%H:%M:%S", sinceMidnight);
  if (stream_.fail() || !restOf(stream_).empty()) return false;
  if (sinceMidnight < nanoseconds::zero() || sinceMidnight >= hours(24)) return false;
  value = static_cast<long double>(sinceMidnight.count()) / 1e9L;
  return true;
}

bool TimeFieldParser::parseDateTime(std::string_view field, long double& value) {
  using namespace std::chrono;
  auto tryLayout = [&](int index) {
    stream_.clear();
    stream_.str(std::string(field));
    date::sys_time<nanoseconds> when{};
    stream_ >> date::parse(kDateTimeFormats[static_cast<std::size_t>(index)], when);
    long offset = 0;
    if (stream_.fail() || !zoneOffset(restOf(stream_), offset)) return false;
    dateTimeFormat_ = index;
    value = static_cast<long double>(when.time_since_epoch().count()) / 1e9L - offset;
    return true;
  };
  // The layout that matched first is tried first: a file keeps one layout.
  if (dateTimeFormat_ >= 0 && tryLayout(dateTimeFormat_)) return true;
  for (int index = 0; index < static_cast<int>(kDateTimeFormats.size()); ++index)
    if (index != dateTimeFormat_ && tryLayout(index)) return true;
  return false;
}

std::optional<long> TimeFieldParser::parseDate(std::string_view field) {
  if (!lastDateText_.empty() && field == lastDateText_) return lastDate_;
  for (int index = 0; index < static_cast<int>(kDateFormats.size()); ++index) {
    stream_.clear();
    stream_.str(std::string(field));
    date::sys_days day{};
    stream_ >> date::parse(kDateFormats[static_cast<std::size_t>(index)], day);
    if (stream_.fail() || !restOf(stream_).empty()) continue;
    dateFormat_ = index;
    lastDateText_ = std::string(field);
    lastDate_ = day.time_since_epoch().count();
    return lastDate_;
  }
  return std::nullopt;
}

std::string isoFromEpochSeconds(double seconds) {
  using namespace std::chrono;
  const auto millis = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
  const date::sys_time<milliseconds> when{milliseconds(millis)};
  return date::format("%Y-%m-%dT%H:%M:%SZ", when);
}

}  // namespace imuwb
