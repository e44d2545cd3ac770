#include "session/import/ColumnMapping.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "common/Channels.hpp"
#include "common/Error.hpp"
#include "session/TextFormat.hpp"
#include "session/UnitConversion.hpp"

namespace imuwb {

using session_text::lowerAscii;

namespace {

std::vector<std::string> tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == '_' || c == '.' || c == '-' || c == ' ' || c == ':' || c == '/' || c == '\t') {
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

struct Stem {
  int group = -1;  // 0 acc, 1 gyro, 2 mag
  AccelKind accel = AccelKind::Plain;
  const char* unit = "";  // the unit a logger's name implies (gFx is in g)
};

// Lower-case, separator-free sensor names as loggers write them, before the axis letter.
std::optional<Stem> stemOf(const std::string& stem) {
  static const std::set<std::string> acc = {"a",
                                            "acc",
                                            "accel",
                                            "accl",
                                            "acceleration",
                                            "accelerometer",
                                            "imuacc",
                                            "accelerometeracceleration"};
  static const std::set<std::string> withGravity = {"gf",
                                                    "gforce",
                                                    "totalacc",
                                                    "totalacceleration",
                                                    "accincludinggravity",
                                                    "accelerationincludinggravity",
                                                    "accwithgravity"};
  static const std::set<std::string> linear = {
      "linacc", "linearacc", "linearaccel",      "linearacceleration", "la",
      "lacc",   "useracc",   "useracceleration", "accnogravity",       "dynacc"};
  static const std::set<std::string> gyro = {
      "g",           "gyro",    "gyr",          "gyroscope",
      "w",           "omega",   "angvel",       "angularvelocity",
      "rot",         "imugyro", "rotationrate", "rate",
      "gyrorotation"};
  static const std::set<std::string> mag = {"m", "mag",   "magn",   "magnetometer", "magnetic",
                                            "b", "field", "imumag", "magneticfield"};
  if (acc.count(stem)) return Stem{0, AccelKind::Plain, ""};
  if (withGravity.count(stem)) return Stem{0, AccelKind::GravityIncluding, stem == "gf" ? "g" : ""};
  if (linear.count(stem)) return Stem{0, AccelKind::Linear, ""};
  if (gyro.count(stem)) return Stem{1, AccelKind::Plain, ""};
  if (mag.count(stem)) return Stem{2, AccelKind::Plain, ""};
  return std::nullopt;
}

int axisOf(const std::string& word) {
  return word == "x" ? 0 : word == "y" ? 1 : word == "z" ? 2 : -1;
}

struct SensorMatch {
  Stem stem;
  int channel = -1;
  std::string unit;  // canonical, from a unit word after the axis
};

// "<stem><axis>" joined from parts[from..to).
std::optional<SensorMatch> matchJoined(const std::vector<std::string>& parts, std::size_t from,
                                       std::size_t to) {
  const std::string joined = join(parts, from, to);
  if (joined.size() < 2) return std::nullopt;
  const int axis = axisOf(joined.substr(joined.size() - 1));
  if (axis < 0) return std::nullopt;
  const auto stem = stemOf(joined.substr(0, joined.size() - 1));
  if (!stem) return std::nullopt;
  return SensorMatch{*stem, stem->group * 3 + axis, stem->unit};
}

// "<channel>" or "<channel>_<unit>" from parts[from..].
std::optional<SensorMatch> matchChannel(const std::vector<std::string>& parts, std::size_t from) {
  if (auto match = matchJoined(parts, from, parts.size())) return match;
  if (parts.size() - from >= 2) {
    if (auto match = matchJoined(parts, from, parts.size() - 1)) {
      const auto group = sensorGroupOf(match->channel);
      if (auto unit = canonicalUnit(group, parts.back())) {
        match->unit = *unit;
        return match;
      }
    }
  }
  return std::nullopt;
}

// EuRoC / ROS style "w_RS_S_x", "a_RS_S_x": a sensor stem, frame letters, then the axis.
std::optional<SensorMatch> matchFramed(const std::vector<std::string>& parts) {
  if (parts.size() < 3) return std::nullopt;
  const int axis = axisOf(parts.back());
  const auto stem = stemOf(parts.front());
  if (axis < 0 || !stem) return std::nullopt;
  for (std::size_t i = 1; i + 1 < parts.size(); ++i)
    if (parts[i].size() > 3) return std::nullopt;
  return SensorMatch{*stem, stem->group * 3 + axis, stem->unit};
}

double timeScaleFromWord(const std::string& word) {
  if (word == "s" || word == "sec" || word == "secs" || word == "seconds") return 1.0;
  if (word == "ms" || word == "msec" || word == "millis" || word == "milliseconds") return 1e-3;
  if (word == "us" || word == "usec" || word == "micros" || word == "microseconds" ||
      word == "\xc2\xb5s" || word == "\xce\xbcs")
    return 1e-6;
  if (word == "ns" || word == "nsec" || word == "nanos" || word == "nanoseconds") return 1e-9;
  return 0;
}

bool isTimeWord(const std::string& word) {
  static const std::set<std::string> names = {
      "time",  "timestamp", "t",           "ts",    "seconds",  "elapsed",   "datetime",
      "clock", "utc",       "loggingtime", "epoch", "unixtime", "systemtime"};
  return names.count(word) > 0;
}

bool isLabelWord(const std::string& word) {
  static const std::set<std::string> names = {"label",          "labels",     "class",
                                              "classification", "behavior",   "behaviour",
                                              "activity",       "annotation", "category"};
  return names.count(word) > 0;
}

// A header split into its name and the unit in its first [...] or (...), lower-cased, with a
// leading '#' or '%' (commented headers) dropped.
struct HeaderName {
  std::string base, bracketUnit;
};

HeaderName splitHeader(const std::string& header) {
  std::string base = lowerAscii(header);
  while (!base.empty() && (base.front() == '#' || base.front() == '%' || base.front() == ' '))
    base.erase(base.begin());
  HeaderName name;
  const auto open = base.find_first_of("[(");
  if (open != std::string::npos) {
    const auto close = base.find_first_of("])", open);
    name.bracketUnit =
        base.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    base = base.substr(0, open);
  }
  name.base = base;
  return name;
}

std::string channelName(int channel) {
  return std::string(kChannelNames[static_cast<std::size_t>(channel)]);
}

void mapOneColumn(CsvColumn& column, std::size_t index, CsvLayout& layout,
                  const std::string& source) {
  const HeaderName name = splitHeader(column.header);
  const auto parts = tokens(name.base);
  if (parts.empty()) {
    column.why = "empty name";
    return;
  }
  const std::string& head = parts.front();
  if (isTimeWord(head) && parts.size() <= 2) {
    if (layout.timeColumn >= 0) {
      column.why = "a second time column; '" +
                   layout.columns[static_cast<std::size_t>(layout.timeColumn)].header + "' is used";
      return;
    }
    column.role = ColumnRole::Time;
    layout.timeColumn = static_cast<int>(index);
    if (parts.size() == 2) layout.timeScaleHint = timeScaleFromWord(parts[1]);
    if (!name.bracketUnit.empty()) layout.timeScaleHint = timeScaleFromWord(name.bracketUnit);
    if (head == "seconds") layout.timeScaleHint = 1.0;
    column.why = "time column by name";
    return;
  }
  if ((head == "date" || head == "day") && parts.size() == 1 && layout.dateColumn < 0) {
    column.role = ColumnRole::Date;
    layout.dateColumn = static_cast<int>(index);
    column.why = "date column by name";
    return;
  }
  if (isLabelWord(head) && parts.size() <= 2 && layout.labelColumn < 0) {
    column.role = ColumnRole::Label;
    layout.labelColumn = static_cast<int>(index);
    column.why = "inline label column by name";
    return;
  }
  std::optional<SensorMatch> match;
  for (std::size_t from = 0; from < parts.size() && !match; ++from) {
    match = matchChannel(parts, from);
    if (match) column.device = join(parts, 0, from, "_");
  }
  if (!match) {
    match = matchFramed(parts);
    if (match) column.device.clear();
  }
  if (!match) {
    column.why = head.rfind("grav", 0) == 0 ? "the gravity vector alone, not a sensor"
                                            : "not a time, date, label or sensor name";
    return;
  }
  column.role = ColumnRole::Sensor;
  column.channel = match->channel;
  column.accel = match->stem.accel;
  column.unitHint = match->unit;
  if (!name.bracketUnit.empty()) {
    const auto canonical = canonicalUnit(sensorGroupOf(column.channel), name.bracketUnit);
    if (!canonical)
      throw Error(source + ": column '" + column.header + "'",
                  "unknown unit '" + name.bracketUnit + "'",
                  "use m/s^2 g mg | rad/s deg/s | uT mG nT G (any common spelling), or pass "
                  "--units");
    column.unitHint = *canonical;
  }
  column.why = std::string(column.accel == AccelKind::GravityIncluding ? "gravity-including "
                           : column.accel == AccelKind::Linear         ? "linear "
                                                                       : "") +
               channelName(column.channel) + " by name" +
               (column.unitHint.empty() ? "" : ", unit " + column.unitHint + " from the header");
}

// With gravity-including and other acceleration columns on one device, the gravity-including
// ones are the accelerometer; plain "ax" beside "gFx" is the app's linear acceleration
// (Physics Toolbox writes both). Linear columns beside plain ones are dropped too.
void resolveAcceleration(CsvLayout& layout) {
  // Columns chosen with --map are never second-guessed.
  auto chosen = [](const CsvColumn& column) { return column.why.rfind("--map", 0) == 0; };
  std::map<std::string, std::set<AccelKind>> kinds;
  for (const auto& column : layout.columns)
    if (column.role == ColumnRole::Sensor && column.channel < 3)
      kinds[column.device].insert(chosen(column) ? AccelKind::Plain : column.accel);
  for (auto& column : layout.columns) {
    if (column.role != ColumnRole::Sensor || column.channel >= 3 || chosen(column)) continue;
    const auto& present = kinds[column.device];
    const bool gravity = present.count(AccelKind::GravityIncluding) > 0;
    const bool plain = present.count(AccelKind::Plain) > 0;
    if (gravity && column.accel != AccelKind::GravityIncluding) {
      column.role = ColumnRole::Ignored;
      column.why =
          "acceleration with gravity removed (beside g-force columns); the "
          "gravity-including columns are used";
    } else if (!gravity && plain && column.accel == AccelKind::Linear) {
      column.role = ColumnRole::Ignored;
      column.why = "linear acceleration (gravity removed); the accelerometer columns are used";
    } else if (!gravity && !plain) {
      layout.linearOnly = true;
    }
  }
}

// Matches a --map/--ignore column name against the headers: exactly, then case-insensitively
// without a commented header's '#'.
int findColumn(const CsvLayout& layout, const std::string& wanted, const std::string& flag,
               const std::string& source) {
  auto plain = [](const std::string& text) {
    std::string out = lowerAscii(text);
    while (!out.empty() && (out.front() == '#' || out.front() == '%' || out.front() == ' '))
      out.erase(out.begin());
    return out;
  };
  for (std::size_t i = 0; i < layout.columns.size(); ++i)
    if (layout.columns[i].header == wanted) return static_cast<int>(i);
  for (std::size_t i = 0; i < layout.columns.size(); ++i)
    if (plain(layout.columns[i].header) == plain(wanted)) return static_cast<int>(i);
  std::string names;
  for (const auto& column : layout.columns) names += (names.empty() ? "" : ", ") + column.header;
  throw Error(flag + " " + wanted, "no column '" + wanted + "' in " + source,
              "the columns are: " + names);
}

void unassign(CsvLayout& layout, std::size_t index, const std::string& why) {
  auto& column = layout.columns[index];
  const int i = static_cast<int>(index);
  if (layout.timeColumn == i) layout.timeColumn = -1, layout.timeScaleHint = 0;
  if (layout.dateColumn == i) layout.dateColumn = -1;
  if (layout.labelColumn == i) layout.labelColumn = -1;
  column.role = ColumnRole::Ignored;
  column.channel = -1;
  column.why = why;
}

void applyOneMapping(CsvLayout& layout, const std::string& role, const std::string& wanted,
                     const std::string& source) {
  const std::string flag = "--map " + role + "=";
  const auto index = static_cast<std::size_t>(findColumn(layout, wanted, flag, source));
  const std::string why = "--map " + role + "=" + wanted;
  const std::string header = layout.columns[index].header;
  const HeaderName name = splitHeader(header);
  if (role == "time" || role == "date" || role == "label") {
    int& slot = role == "time"   ? layout.timeColumn
                : role == "date" ? layout.dateColumn
                                 : layout.labelColumn;
    if (slot >= 0 && static_cast<std::size_t>(slot) != index)
      unassign(layout, static_cast<std::size_t>(slot), "replaced by " + why);
    unassign(layout, index, why);
    layout.columns[index].role = role == "time"   ? ColumnRole::Time
                                 : role == "date" ? ColumnRole::Date
                                                  : ColumnRole::Label;
    (role == "time"   ? layout.timeColumn
     : role == "date" ? layout.dateColumn
                      : layout.labelColumn) = static_cast<int>(index);
    if (role == "time") layout.timeScaleHint = timeScaleFromWord(name.bracketUnit);
    return;
  }
  const auto dot = role.find('.');
  const std::string device = dot == std::string::npos ? "" : role.substr(0, dot);
  const std::string channelText = dot == std::string::npos ? role : role.substr(dot + 1);
  int channel = -1;
  for (int c = 0; c < kChannelCount; ++c)
    if (channelName(c) == channelText) channel = c;
  if (channel < 0)
    throw Error(flag + wanted, "unknown role '" + role + "'",
                "roles are time, date, label and ax ay az gx gy gz mx my mz (optionally "
                "DEVICE.ax for a second device)");
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    const auto& other = layout.columns[i];
    if (i != index && other.role == ColumnRole::Sensor && other.channel == channel &&
        other.device == device)
      unassign(layout, i, "replaced by " + why);
  }
  unassign(layout, index, why);
  auto& column = layout.columns[index];
  column.role = ColumnRole::Sensor;
  column.channel = channel;
  column.device = device;
  column.accel = AccelKind::Plain;  // the user's choice is the accelerometer (see below)
  column.unitHint.clear();
  if (!name.bracketUnit.empty()) {
    if (auto unit = canonicalUnit(sensorGroupOf(channel), name.bracketUnit))
      column.unitHint = *unit;
  }
}

void applyColumnChoices(CsvLayout& layout, const ColumnChoices& choices,
                        const std::string& source) {
  for (const auto& [role, wanted] : choices.map) applyOneMapping(layout, role, wanted, source);
  for (const auto& wanted : choices.ignore) {
    const auto index = static_cast<std::size_t>(findColumn(layout, wanted, "--ignore", source));
    unassign(layout, index, "--ignore " + wanted);
  }
}

// Two columns on one channel is ambiguous: refuse, and say how to choose. Then list devices.
void finishLayout(CsvLayout& layout, const std::string& source) {
  std::map<std::pair<std::string, int>, std::string> seen;
  for (auto& column : layout.columns) {
    if (column.role != ColumnRole::Sensor) continue;
    auto& previous = seen[{column.device, column.channel}];
    if (!previous.empty())
      throw Error(source + ": column '" + column.header + "'",
                  "maps to the same channel as '" + previous + "'",
                  "rename or drop one of the two columns, or choose with --map " +
                      channelName(column.channel) + "=COLUMN / --ignore COLUMN");
    previous = column.header;
    if (std::find(layout.devices.begin(), layout.devices.end(), column.device) ==
        layout.devices.end())
      layout.devices.push_back(column.device);
  }
}

}  // namespace

ColumnChoices ColumnChoices::parse(const std::string& mapText,
                                   const std::vector<std::string>& ignore) {
  ColumnChoices choices;
  choices.ignore = ignore;
  std::stringstream stream(mapText);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (item.empty()) continue;
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == item.size())
      throw Error("--map '" + mapText + "'", "'" + item + "' is not ROLE=COLUMN",
                  "write --map ax=accx,gx=gyrox,time=timestamp,label=classification");
    choices.map.emplace_back(lowerAscii(item.substr(0, equals)), item.substr(equals + 1));
  }
  return choices;
}

CsvLayout mapCsvHeader(const std::vector<std::string>& headers, const std::string& source,
                       const ColumnChoices& choices) {
  CsvLayout layout;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    CsvColumn column;
    column.header = headers[i];
    layout.columns.push_back(column);
    mapOneColumn(layout.columns.back(), i, layout, source);
  }
  applyColumnChoices(layout, choices, source);
  resolveAcceleration(layout);
  finishLayout(layout, source);
  return layout;
}

}  // namespace imuwb

namespace imuwb {

std::vector<Finding> explainLayout(const CsvLayout& layout) {
  std::vector<Finding> out;
  Finding summary;
  summary.code = "column_mapping";
  summary.message = "columns:";
  for (const auto& column : layout.columns) {
    std::string role =
        column.role == ColumnRole::Time    ? "time"
        : column.role == ColumnRole::Date  ? "date"
        : column.role == ColumnRole::Label ? "label"
        : column.role == ColumnRole::Sensor
            ? (column.device.empty() ? "" : column.device + ".") + channelName(column.channel)
            : "ignored";
    summary.message += " '" + column.header + "' -> " + role + " (" + column.why + ");";
  }
  summary.message.pop_back();
  out.push_back(summary);
  for (const auto& column : layout.columns) {
    if (column.role != ColumnRole::Ignored) continue;
    Finding finding;
    finding.code = "column_ignored";
    finding.subject = column.header;
    finding.message = "column '" + column.header + "' ignored: " + column.why;
    out.push_back(finding);
  }
  if (layout.linearOnly) {
    Finding finding;
    finding.severity = Severity::Warning;
    finding.code = "acc_linear_only";
    finding.subject = "acc";
    finding.message =
        "only linear acceleration (gravity removed) is recorded; models trained on raw "
        "accelerometer data expect gravity in it";
    finding.fix =
        "export the accelerometer with gravity (e.g. g-force gFx gFy gFz) if the "
        "logger can, or map it with --map ax=COLUMN,...";
    out.push_back(finding);
  }
  return out;
}

}  // namespace imuwb
