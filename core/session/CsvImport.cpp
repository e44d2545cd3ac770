#include "session/CsvImport.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"
#include "session/CsvText.hpp"
#include "session/SampleStats.hpp"
#include "session/TextFormat.hpp"
#include "session/UnitConsistency.hpp"

namespace imuwb {

using session_stats::floorQuantile;
using session_stats::upperMedian;
using session_text::formatSignificant;
using session_text::lowerAscii;

namespace {

std::vector<std::string> tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == '_' || c == '.' || c == '-' || c == ' ' || c == ':' || c == '/') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t from, std::size_t to,
                 const char* separator = "") {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (i > from ? separator : "") + parts[i];
  return out;
}

// Lower-case, separator-free spellings of each sensor's name, followed by the axis letter.
int channelFromAlias(const std::string& joined) {
  if (joined.size() < 2) return -1;
  const char axis = joined.back();
  const int axisIndex = axis == 'x' ? 0 : axis == 'y' ? 1 : axis == 'z' ? 2 : -1;
  if (axisIndex < 0) return -1;
  const std::string stem = joined.substr(0, joined.size() - 1);
  static const std::set<std::string> acc = {
      "a", "acc", "accel", "accl", "acceleration", "accelerometer", "linacc", "imuacc"};
  static const std::set<std::string> gyro = {
      "g", "gyro", "gyr", "gyroscope", "w", "omega", "angvel", "angularvelocity", "rot", "imugyro"};
  static const std::set<std::string> mag = {"m",        "mag", "magn",  "magnetometer",
                                            "magnetic", "b",   "field", "imumag"};
  if (acc.count(stem)) return axisIndex;
  if (gyro.count(stem)) return 3 + axisIndex;
  if (mag.count(stem)) return 6 + axisIndex;
  return -1;
}

// Matches "<channel>" or "<channel>_<unit>" from parts; unit may be empty.
bool matchChannel(const std::vector<std::string>& parts, std::size_t from, int& channel,
                  std::string& unit) {
  if (from >= parts.size()) return false;
  channel = channelFromAlias(join(parts, from, parts.size()));
  if (channel >= 0) return true;
  if (parts.size() - from >= 2) {
    channel = channelFromAlias(join(parts, from, parts.size() - 1));
    if (channel >= 0) {
      const auto canonical = canonicalUnit(sensorGroupOf(channel), parts.back());
      if (canonical) {
        unit = *canonical;
        return true;
      }
    }
  }
  return false;
}

double timeScaleFromWord(const std::string& word) {
  if (word == "s" || word == "sec" || word == "secs" || word == "seconds") return 1.0;
  if (word == "ms" || word == "msec" || word == "millis" || word == "milliseconds") return 1e-3;
  if (word == "us" || word == "usec" || word == "micros" || word == "microseconds") return 1e-6;
  if (word == "ns" || word == "nsec" || word == "nanos" || word == "nanoseconds") return 1e-9;
  return 0;
}

std::string isoFromEpoch(double seconds) {
  const auto whole = static_cast<std::time_t>(std::floor(seconds));
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  const int millis = static_cast<int>(std::round((seconds - std::floor(seconds)) * 1000));
  char out[64];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, std::min(millis, 999));
  return out;
}

// Snaps an inferred rate to a common logger rate when within 1 %.
double niceRate(double rate) {
  for (double candidate :
       {1.0,   5.0,   10.0,  12.5,  20.0,  25.0,  50.0,  52.0,  100.0, 104.0,  128.0,  200.0,
        208.0, 250.0, 256.0, 400.0, 416.0, 500.0, 512.0, 800.0, 833.0, 1000.0, 1600.0, 2000.0})
    if (std::abs(rate - candidate) < 0.01 * candidate) return candidate;
  return std::round(rate * 10) / 10;
}

}  // namespace

CsvLayout mapCsvHeader(const std::vector<std::string>& headers, const std::string& source) {
  CsvLayout layout;
  std::map<std::pair<std::string, int>, std::string> seen;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    CsvColumn column;
    column.header = headers[i];
    std::string base = lowerAscii(headers[i]);
    std::string bracketUnit;
    const auto open = base.find_first_of("[(");
    if (open != std::string::npos) {
      const auto close = base.find_first_of("])", open);
      bracketUnit =
          base.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
      base = base.substr(0, open);
    }
    const auto parts = tokens(base);
    if (parts.empty()) {
      layout.columns.push_back(column);
      continue;
    }
    // Time columns: time, t, ts, timestamp, time_ms, timestamp_ns, time [ms], ...
    const std::string& head = parts.front();
    if ((head == "time" || head == "timestamp" || head == "t" || head == "ts" ||
         head == "seconds" || head == "elapsed") &&
        parts.size() <= 2 && layout.timeColumn < 0) {
      layout.timeColumn = static_cast<int>(i);
      if (parts.size() == 2) layout.timeScaleHint = timeScaleFromWord(parts[1]);
      if (!bracketUnit.empty()) layout.timeScaleHint = timeScaleFromWord(bracketUnit);
      if (head == "seconds") layout.timeScaleHint = 1.0;
      layout.columns.push_back(column);
      continue;
    }
    // Sensor columns, with an optional device prefix of one or more words.
    for (std::size_t from = 0; from < parts.size(); ++from) {
      int channel = -1;
      std::string unit;
      if (matchChannel(parts, from, channel, unit)) {
        column.channel = channel;
        column.device = join(parts, 0, from, "_");
        if (!bracketUnit.empty()) {
          const auto canonical = canonicalUnit(sensorGroupOf(channel), bracketUnit);
          if (!canonical)
            throw Error(source + ": column '" + headers[i] + "'",
                        "unknown unit '" + bracketUnit + "'",
                        "use m/s^2 g mg | rad/s deg/s | uT mG nT G, or pass --units");
          unit = *canonical;
        }
        column.unitHint = unit;
        break;
      }
    }
    if (column.channel >= 0) {
      auto& previous = seen[{column.device, column.channel}];
      if (!previous.empty())
        throw Error(source + ": column '" + headers[i] + "'",
                    "maps to the same channel as '" + previous + "'",
                    "rename or drop one of the two columns");
      previous = headers[i];
      if (std::find(layout.devices.begin(), layout.devices.end(), column.device) ==
          layout.devices.end())
        layout.devices.push_back(column.device);
    }
    layout.columns.push_back(column);
  }
  return layout;
}

namespace {

// Units a device's column headers declare (acc_x_g...); axes of one sensor must agree.
UnitOverrides declaredUnits(const CsvLayout& layout, const std::string& device,
                            const std::string& source) {
  UnitOverrides declared;
  std::optional<std::string> conflict;
  for (const auto& column : layout.columns) {
    if (column.channel < 0 || column.device != device || column.unitHint.empty()) continue;
    auto& slot = column.channel < 3   ? declared.acc
                 : column.channel < 6 ? declared.gyro
                                      : declared.mag;
    if (slot && *slot != column.unitHint) conflict = column.header;
    slot = column.unitHint;
  }
  if (conflict)
    throw Error(source + ": column '" + *conflict + "'",
                "axes of one sensor declare different units", "use one unit per sensor");
  return declared;
}

// What the session records about its origin: the file's name (UTF-8 safe, for JSON) and every
// unit decision.
nlohmann::json importMetadata(const std::filesystem::path& path,
                              const std::vector<Finding>& report) {
  nlohmann::json conversions = nlohmann::json::array();
  for (const auto& finding : report)
    if (finding.code.rfind("unit_", 0) == 0) conversions.push_back(toJson(finding));
  return {{"imported_from", session_text::validUtf8(path.filename().string())},
          {"importer", "csv"},
          {"unit_decisions", conversions}};
}

// Without a time column the rate must come from --rate.
double rateFromOptions(const std::string& source, const ImportOptions& options,
                       std::vector<Finding>& report) {
  if (!options.sampleRateHz)
    throw Error(source, "has no time column, so the sample rate is unknown",
                "pass --rate HZ, or add a time column (time_s/time_ms/time_ns)");
  Finding finding;
  finding.code = "time_from_rate";
  finding.message =
      "no time column; uniform " + formatSignificant(*options.sampleRateHz, 4) + " Hz from --rate";
  report.push_back(finding);
  return *options.sampleRateHz;
}

// Times from the time column: unit (header hint or the median step), zero point, start time,
// rate (the mean of the non-gap steps) and the finding that reports them. Returns the rate.
double applyTimeColumn(const std::vector<double>& rawTime, const std::string& where,
                       double timeScaleHint, const ImportOptions& options, Session& session,
                       std::vector<Finding>& report) {
  std::vector<double> steps;
  for (std::size_t i = 1; i < rawTime.size(); ++i) {
    const double step = rawTime[i] - rawTime[i - 1];
    if (std::isfinite(step) && step > 0) steps.push_back(step);
  }
  if (steps.empty())
    throw Error(where, "timestamps never increase",
                "check the time column or drop it and pass --rate");
  const double rawStep = upperMedian(steps);
  double scale = timeScaleHint;
  std::string how = "from the header";
  if (scale == 0) {
    // Exactly one of s/ms/us/ns gives a rate in (2, 2000] Hz, since the window spans 1000x.
    for (double candidate : {1.0, 1e-3, 1e-6, 1e-9}) {
      const double candidateRate = 1.0 / (rawStep * candidate);
      if (candidateRate > 2 && candidateRate <= 2000) scale = candidate;
    }
    how = "from the median step";
    if (scale == 0)
      throw Error(where,
                  "cannot tell whether timestamps are s, ms, us or ns (median step " +
                      formatSignificant(rawStep, 4) + ")",
                  "name the column time_s, time_ms, time_us or time_ns, or pass --rate");
  }
  const char* unitName = scale == 1 ? "s" : scale == 1e-3 ? "ms" : scale == 1e-6 ? "us" : "ns";
  const double t0 = rawTime.front();
  session.time_s.resize(rawTime.size());
  for (std::size_t i = 0; i < rawTime.size(); ++i) session.time_s[i] = (rawTime[i] - t0) * scale;
  const double epochSeconds = t0 * scale;
  if (epochSeconds > 1e9 && epochSeconds < 4.2e9) session.startTime = isoFromEpoch(epochSeconds);
  // The median picks the unit; the rate is the mean of the non-gap steps, which jitter
  // (even lopsided jitter, where the median is biased) cannot move.
  double sum = 0;
  std::size_t counted = 0;
  for (double s : steps)
    if (s < 2 * rawStep) sum += s, ++counted;
  const double step = sum / static_cast<double>(counted) * scale;
  const double inferred = niceRate(1.0 / step);
  const double p05 = floorQuantile(steps, 0.05) * scale, p95 = floorQuantile(steps, 0.95) * scale;
  Finding finding;
  finding.code = "time_inferred";
  finding.subject = "time";
  finding.message = std::string("timestamps in ") + unitName + " (" + how + "); mean step " +
                    formatSignificant(step * 1000, 4) + " ms -> " + formatSignificant(inferred, 4) +
                    " Hz (5-95 % of steps: " + formatSignificant(p05 * 1000, 4) + "-" +
                    formatSignificant(p95 * 1000, 4) + " ms)";
  double rate = inferred;
  if (options.sampleRateHz) {
    rate = *options.sampleRateHz;
    if (std::abs(rate - inferred) > 0.02 * rate) {
      finding.severity = Severity::Warning;
      finding.message += "; but --rate says " + formatSignificant(rate, 4) + " Hz";
      finding.fix = "check --rate; timestamps are kept as recorded";
    }
  }
  report.push_back(finding);
  return rate;
}

// For each device, the column of each contract channel; unknown columns are reported, and a
// device missing any of the nine channels is an Error.
std::vector<std::array<int, kChannelCount>> columnsPerDevice(const CsvLayout& layout,
                                                             const std::string& headerWhere,
                                                             std::vector<Finding>& report) {
  if (layout.devices.empty())
    throw Error(headerWhere, "no sensor columns recognised in the header",
                "name columns like ax/acc_x, gx/gyro_x, mx/mag_x (optionally collar_ax)");
  std::vector<std::array<int, kChannelCount>> columnOf(layout.devices.size());
  for (auto& columns : columnOf) columns.fill(-1);
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    const auto& column = layout.columns[i];
    if (column.channel < 0) {
      if (static_cast<int>(i) != layout.timeColumn) {
        Finding finding;
        finding.code = "column_ignored";
        finding.subject = column.header;
        finding.message = "column '" + column.header + "' is not a time or sensor column; ignored";
        report.push_back(finding);
      }
      continue;
    }
    const auto d = static_cast<std::size_t>(
        std::find(layout.devices.begin(), layout.devices.end(), column.device) -
        layout.devices.begin());
    columnOf[d][static_cast<std::size_t>(column.channel)] = static_cast<int>(i);
  }
  for (std::size_t d = 0; d < layout.devices.size(); ++d) {
    std::string missing;
    for (int c = 0; c < kChannelCount; ++c)
      if (columnOf[d][static_cast<std::size_t>(c)] < 0)
        missing += " " + std::string(kChannelNames[static_cast<std::size_t>(c)]);
    if (!missing.empty())
      throw Error(headerWhere,
                  (layout.devices[d].empty() ? std::string("columns")
                                             : "device '" + layout.devices[d] + "' columns") +
                      " missing:" + missing,
                  "the contract needs all nine channels ax ay az gx gy gz mx my mz; add the "
                  "columns or rename them (acc_x, gyro_x, mag_x are understood)");
  }
  return columnOf;
}

}  // namespace

ImportResult importCsv(const std::filesystem::path& path, const ImportOptions& options,
                       const JobControl& control) {
  const std::string source = path.string();
  requireRegularFile(path, "CSV");  // a FIFO or /dev/zero would block or never end
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(source, "cannot open the file", "check the path and its permissions");
  const auto fileSize = std::filesystem::file_size(path);
  const auto maxLine = limits::value(limits::kTextLineBytes);
  csv::LineReader lines(in, maxLine);
  std::string line;
  std::size_t lineNumber = 0;
  // Every line passes here: a line over the limit is refused before it is split or kept.
  auto nextLine = [&] {
    if (!lines.next(line)) return false;
    lineNumber = lines.lineNumber();
    if (lines.tooLong())
      throw Error(
          source + ":" + std::to_string(lineNumber),
          "line is longer than the text_line_bytes limit of " + std::to_string(maxLine) + " bytes",
          "this is not a line-per-sample CSV, or a line break is missing; if the file is "
          "genuine, raise the limit with IMUWB_LIMIT_TEXT_LINE_BYTES=N");
    return true;
  };
  while (nextLine())
    if (!csv::trim(line).empty() && line.front() != '#') break;
  if (csv::trim(line).empty())
    throw Error(source, "the file is empty", "export the recording with a header line");
  // Comment or blank lines may come first: name the header by its real line.
  const std::string headerWhere = source + ":" + std::to_string(lineNumber);
  const char delimiter = csv::detectDelimiter(line);
  std::vector<std::string_view> fields;
  csv::splitLine(line, delimiter, fields);
  std::vector<std::string> headers(fields.begin(), fields.end());
  double probe = 0;
  if (!headers.empty() && csv::parseNumber(headers.front(), probe) && !headers.front().empty())
    throw Error(headerWhere, "the first line is data, not a header",
                "add a header line naming the columns, e.g. time_ms,ax,ay,az,gx,gy,gz,mx,my,mz");
  const CsvLayout layout = mapCsvHeader(headers, source);
  ImportResult result;
  const auto columnOf = columnsPerDevice(layout, headerWhere, result.report);

  // Read the rows.
  std::vector<std::vector<float>> samples(layout.devices.size());
  std::vector<double> rawTime;
  std::size_t dataRows = 0;
  const auto maxRows = limits::value(limits::kSessionRows);
  while (nextLine()) {
    if (csv::trim(line).empty() || line.front() == '#') continue;
    if (dataRows >= maxRows)
      throw Error(source + ":" + std::to_string(lineNumber),
                  "has more than the session_rows limit of " + std::to_string(maxRows) + " rows",
                  "split the recording, or raise the limit with IMUWB_LIMIT_SESSION_ROWS=N");
    csv::splitLine(line, delimiter, fields);
    if (fields.size() < headers.size())
      throw Error(source + ":" + std::to_string(lineNumber),
                  "has " + std::to_string(fields.size()) + " fields, the header has " +
                      std::to_string(headers.size()),
                  "the file may be cut short; remove the incomplete line");
    auto parseAt = [&](int column) {
      double value = 0;
      if (!csv::parseNumber(fields[static_cast<std::size_t>(column)], value))
        throw Error(
            source + ":" + std::to_string(lineNumber) + " column '" +
                headers[static_cast<std::size_t>(column)] + "'",
            "'" + csv::printable(fields[static_cast<std::size_t>(column)]) + "' is not a number",
            "fix the value; empty or NaN fields are allowed and reported by validation");
      return value;
    };
    if (layout.timeColumn >= 0) rawTime.push_back(parseAt(layout.timeColumn));
    for (std::size_t d = 0; d < layout.devices.size(); ++d)
      for (int c = 0; c < kChannelCount; ++c)
        samples[d].push_back(static_cast<float>(parseAt(columnOf[d][static_cast<std::size_t>(c)])));
    if ((++dataRows & 0xFFFF) == 0) {
      control.throwIfCancelled();
      if (fileSize > 0)
        control.report(0.9 * static_cast<double>(lines.bytesRead()) / static_cast<double>(fileSize),
                       "reading rows");
    }
  }
  if (dataRows == 0) throw Error(source, "has a header but no data rows", "export the samples");

  Session& session = result.session;
  session.sourcePath = path;
  // Time: unit, zero point, rate.
  const double rate =
      layout.timeColumn < 0
          ? rateFromOptions(source, options, result.report)
          : applyTimeColumn(
                rawTime,
                source + " column '" + headers[static_cast<std::size_t>(layout.timeColumn)] + "'",
                layout.timeScaleHint, options, session, result.report);
  if (!(rate > 0) || !std::isfinite(rate))
    throw Error(source, "sample rate " + formatSignificant(rate, 4) + " Hz is not positive",
                "pass --rate HZ");
  session.sampleRateHz = rate;

  // Units, per device; header hints are shared by the device's columns.
  for (std::size_t d = 0; d < layout.devices.size(); ++d) {
    const UnitOverrides declared = declaredUnits(layout, layout.devices[d], source);
    Device device;
    device.name = layout.devices[d].empty()
                      ? (options.deviceName.empty() ? std::string("imu") : options.deviceName)
                      : layout.devices[d];
    device.samples = std::move(samples[d]);
    auto reports = normalizeUnits(device.samples, rate, source, options.units, declared,
                                  UnitDeclaration::Header);
    // One unit decision covers the whole file; a logger that switched units half way shows as
    // a jump in the magnitude of gravity.
    if (auto change = detectUnitChange(device.samples, rate)) reports.push_back(*change);
    for (auto& report : reports) {
      report.device = device.name;
      result.report.push_back(report);
    }
    session.devices.push_back(std::move(device));
  }
  session.metadata = importMetadata(path, result.report);
  control.report(1.0, "imported");
  return result;
}

}  // namespace imuwb
