#include "quant/CalibrationSelection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/Error.hpp"

namespace imuwb::quant {
namespace {

// Window times come from float64 timestamps (start + (T-1)/rate + 1/rate), so a window that
// ends exactly at a whole second may end a rounding error after it.
constexpr double kTimeTolerance_s = 1e-6;

const char* const kRangeFix =
    "write DEVICE:START-END in seconds from session start, e.g. --range collar:60-120 "
    "or --range collar:1:00-2:00 (m:ss) or --range collar:0:01:00-0:02:00 (h:mm:ss)";

std::string secondsText(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", seconds);
  return buffer;
}

std::string joined(const std::set<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "(none)" : text;
}

// A plain decimal number: digits with at most one '.', nothing else.
bool parsePlainNumber(const std::string& text, double& value) {
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos ||
      std::count(text.begin(), text.end(), '.') > 1 || text == ".")
    return false;
  value = std::stod(text);
  return std::isfinite(value);
}

// First and last session time (end exclusive: the last sample plus one period).
std::pair<double, double> sessionSpan(const SampleSource& source) {
  if (source.rowCount() == 0) return {0.0, 0.0};
  double first = 0, last = 0;
  source.readTime(0, 1, &first);
  source.readTime(source.rowCount() - 1, 1, &last);
  return {first, last + 1.0 / source.sampleRateHz()};
}

}  // namespace

double parseClockSeconds(const std::string& text, const std::string& flagValue) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (;;) {
    const auto colon = text.find(':', begin);
    parts.push_back(text.substr(begin, colon == std::string::npos ? colon : colon - begin));
    if (colon == std::string::npos) break;
    begin = colon + 1;
  }
  const auto bad = [&] {
    return Error(flagValue, "'" + text + "' is not a time (seconds, m:ss or h:mm:ss)", kRangeFix);
  };
  if (parts.size() > 3) throw bad();
  double seconds = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    double value = 0;
    const bool last = i + 1 == parts.size();
    // Only the seconds may have a fraction; minutes and seconds after a colon stay below 60.
    if (!parsePlainNumber(parts[i], value) || (!last && parts[i].find('.') != std::string::npos) ||
        (i > 0 && value >= 60.0))
      throw bad();
    seconds = seconds * 60.0 + value;
  }
  return seconds;
}

CalibrationRange parseCalibrationRange(const std::string& text) {
  const std::string where = "--range " + text;
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0)
    throw Error(where, "no device before the times", kRangeFix);
  CalibrationRange range;
  range.device = text.substr(0, colon);
  const std::string times = text.substr(colon + 1);
  const auto dash = times.find('-');
  if (dash == std::string::npos || times.find('-', dash + 1) != std::string::npos)
    throw Error(where, "expected one START-END pair after the device", kRangeFix);
  range.startSeconds = parseClockSeconds(times.substr(0, dash), where);
  range.endSeconds = parseClockSeconds(times.substr(dash + 1), where);
  if (range.startSeconds >= range.endSeconds)
    throw Error(where, "the start is not before the end", "give START < END");
  return range;
}

CalibrationBalance calibrationBalanceNamed(const std::string& name) {
  if (name == "none") return CalibrationBalance::None;
  if (name == "classes") return CalibrationBalance::Classes;
  throw Error("--balance " + name, "unknown balance mode",
              "none (proportional to class sizes) or classes (the same count per class)");
}

std::string calibrationBalanceName(CalibrationBalance balance) {
  return balance == CalibrationBalance::Classes ? "classes" : "none";
}

std::string describeRange(const CalibrationRange& range) {
  return range.device + ":" + secondsText(range.startSeconds) + "-" +
         secondsText(range.endSeconds) + " s";
}

SelectionFilter::SelectionFilter(CalibrationSelection selection,
                                 std::vector<const SampleSource*> sources,
                                 std::vector<std::vector<std::string>> devicesPerSource)
    : selection_(std::move(selection)),
      sources_(std::move(sources)),
      devices_(std::move(devicesPerSource)) {
  checkRanges();
  checkClasses();
}

void SelectionFilter::checkRanges() {
  std::set<std::string> usedDevices;
  for (const auto& devices : devices_) usedDevices.insert(devices.begin(), devices.end());
  for (const auto& range : selection_.ranges) {
    const std::string where = "--range " + describeRange(range);
    if (!(range.startSeconds < range.endSeconds) || range.startSeconds < 0)
      throw Error(where, "the start must be >= 0 and before the end", "give 0 <= START < END");
    if (!usedDevices.count(range.device))
      throw Error(where, "no window is cut from device '" + range.device + "'",
                  "name one of the devices the windows use: " + joined(usedDevices));
    bool overlaps = false, inside = false;
    std::string spans;
    for (std::size_t s = 0; s < sources_.size(); ++s) {
      const auto& devices = devices_[s];
      if (std::find(devices.begin(), devices.end(), range.device) == devices.end()) continue;
      const auto [first, end] = sessionSpan(*sources_[s]);
      spans += (spans.empty() ? "" : ", ") + secondsText(first) + "-" + secondsText(end) + " s";
      overlaps |= range.startSeconds < end && range.endSeconds > first;
      inside |= range.startSeconds >= first - kTimeTolerance_s &&
                range.endSeconds <= end + kTimeTolerance_s;
    }
    if (!overlaps)
      throw Error(where, "the range lies outside the session (" + spans + ")",
                  "give a range inside the recording");
    if (!inside)
      findings_.push_back({Severity::Warning, "calib_range_clipped",
                           "range " + describeRange(range) + " reaches past the session (" + spans +
                               "); only its part inside is used",
                           "", range.device});
  }
}

void SelectionFilter::checkClasses() {
  std::set<std::string> known;
  for (const auto* source : sources_)
    known.insert(source->classes().begin(), source->classes().end());
  for (const auto& name : selection_.classes)
    if (!known.count(name))
      throw Error("--classes " + name, "no session has the class '" + name + "'",
                  "the sessions' classes are: " + joined(known));
}

bool SelectionFilter::inRange(std::size_t source, const WindowInfo& window) const {
  if (selection_.ranges.empty()) return true;
  const auto& devices = devices_[source];
  for (const auto& range : selection_.ranges) {
    if (std::find(devices.begin(), devices.end(), range.device) == devices.end()) continue;
    if (window.startTime_s >= range.startSeconds - kTimeTolerance_s &&
        window.endTime_s <= range.endSeconds + kTimeTolerance_s)
      return true;
  }
  return false;
}

bool SelectionFilter::accept(std::size_t source, const WindowInfo& window) {
  ++counts_.windows;
  if (!inRange(source, window)) {
    ++counts_.outOfRange;
    return false;
  }
  if (selection_.labelFilter()) {
    const auto& classes = sources_[source]->classes();
    if (window.label < 0 || static_cast<std::size_t>(window.label) >= classes.size()) {
      ++counts_.unlabelled;
      return false;
    }
    if (window.mixedLabels) {
      ++counts_.straddling;
      return false;
    }
    const auto& wanted = selection_.classes;
    if (!wanted.empty() &&
        std::find(wanted.begin(), wanted.end(), classes[static_cast<std::size_t>(window.label)]) ==
            wanted.end()) {
      ++counts_.otherClass;
      return false;
    }
  }
  ++counts_.candidates;
  return true;
}

}  // namespace imuwb::quant
