#include "labels/LabelsFile.hpp"

#include <charconv>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"
#include "common/Sha256.hpp"

namespace imuwb {
namespace {

void appendString(std::string& out, std::string_view text) {
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void appendNumber(std::string& out, double value) {
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void appendIntervals(std::string& out, const LabelSet& labels, bool compact) {
  out += "[";
  for (std::size_t i = 0; i < labels.intervals.size(); ++i) {
    const auto& interval = labels.intervals[i];
    if (!std::isfinite(interval.start_s) || !std::isfinite(interval.end_s))
      throw Error("labels", "interval " + std::to_string(i) + " has a time that is not finite",
                  "give every interval finite start and end seconds");
    std::size_t index = 0;
    while (index < labels.classes.size() && labels.classes[index] != interval.label) ++index;
    if (index == labels.classes.size())
      throw Error("labels",
                  "interval " + std::to_string(i) + " has class '" + interval.label +
                      "', which is not in the class list",
                  "add the class to the class list first");
    out += compact ? (i ? ",[" : "[") : (i ? ",\n  [" : "\n  [");
    appendNumber(out, interval.start_s);
    out += ",";
    appendNumber(out, interval.end_s);
    out += ",";
    out += std::to_string(index);
    out += ",";
    appendString(out, interval.note);
    out += "]";
  }
  out += "]";
}

std::string field(const nlohmann::json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_string()) throw Error(where + " " + key, "is not a string", "write a JSON string");
  return it->get<std::string>();
}

LabelInterval parseInterval(const nlohmann::json& row, const std::vector<std::string>& classes,
                            const std::string& where) {
  if (!row.is_array() || row.size() < 3 || row.size() > 4 || !row[0].is_number() ||
      !row[1].is_number() || !row[2].is_number_integer())
    throw Error(where, "is not [start_s, end_s, class_index, note]",
                "write each interval as [start_s, end_s, class_index, \"note\"]");
  LabelInterval interval;
  interval.start_s = row[0].get<double>();
  interval.end_s = row[1].get<double>();
  if (!std::isfinite(interval.start_s) || !(interval.end_s > interval.start_s))
    throw Error(where, "end is not after start", "correct the interval's times");
  const auto index = row[2].get<long long>();
  if (index < 0 || index >= static_cast<long long>(classes.size()))
    throw Error(where, "class index " + std::to_string(index) + " is outside the class list",
                "class_index counts from 0 into \"classes\"");
  interval.label = classes[static_cast<std::size_t>(index)];
  if (row.size() == 4) {
    if (!row[3].is_string()) throw Error(where, "note is not a string", "write the note as text");
    interval.note = row[3].get<std::string>();
  }
  return interval;
}

LabelVersion parseVersion(const nlohmann::json& object, const std::string& where) {
  if (!object.is_object()) throw Error(where, "is not an object", "see docs/user-guide.md");
  LabelVersion version;
  const auto revision = object.find("revision");
  if (revision == object.end() || !revision->is_number_integer() || revision->get<long long>() < 0)
    throw Error(where + " revision", "is missing or not a count", "write \"revision\": N");
  version.revision = revision->get<int>();
  version.author = field(object, "author", where);
  version.time = field(object, "time", where);
  version.note = field(object, "note", where);
  const auto classes = object.find("classes");
  if (classes == object.end() || !classes->is_array())
    throw Error(where + " classes", "is missing or not a list", "write \"classes\": [...]");
  for (const auto& name : *classes) {
    if (!name.is_string() || name.get_ref<const std::string&>().empty())
      throw Error(where + " classes", "holds an entry that is not a class name",
                  "list class names as strings");
    version.labels.classes.push_back(name.get<std::string>());
  }
  const auto intervals = object.find("intervals");
  if (intervals == object.end() || !intervals->is_array())
    throw Error(where + " intervals", "is missing or not a list", "write \"intervals\": [...]");
  if (intervals->size() > limits::value(limits::kLabelIntervals))
    throw Error(where + " intervals", "holds more intervals than the label_intervals limit",
                "raise the limit with IMUWB_LIMIT_LABEL_INTERVALS=N");
  version.labels.intervals.reserve(intervals->size());
  for (std::size_t i = 0; i < intervals->size(); ++i)
    version.labels.intervals.push_back(parseInterval(
        (*intervals)[i], version.labels.classes, where + " intervals[" + std::to_string(i) + "]"));
  return version;
}

}  // namespace

std::filesystem::path labelsSidecarPath(const std::filesystem::path& sessionPath) {
  auto path = sessionPath;
  path.replace_extension(".labels.json");
  return path;
}

std::string serializeLabelVersion(const LabelVersion& version, bool compact) {
  std::string out = "{\"revision\": " + std::to_string(version.revision) + ", \"author\": ";
  appendString(out, version.author);
  out += ", \"time\": ";
  appendString(out, version.time);
  out += ", \"note\": ";
  appendString(out, version.note);
  out += compact ? ", \"classes\": [" : ",\n \"classes\": [";
  for (std::size_t i = 0; i < version.labels.classes.size(); ++i) {
    if (i) out += ", ";
    appendString(out, version.labels.classes[i]);
  }
  out += compact ? "], \"intervals\": " : "],\n \"intervals\": ";
  appendIntervals(out, version.labels, compact);
  out += "}";
  return out;
}

std::string serializeLabelsDocument(const LabelsDocument& document) {
  std::string out = "{\"format\": \"";
  out += kLabelsFileFormat;
  out += "\", \"format_version\": " + std::to_string(kLabelsFileFormatVersion) + ",\n\"session\": ";
  appendString(out, document.session);
  out += ", \"history_limit\": " + std::to_string(document.historyLimit);
  out += ",\n\"current\": " + serializeLabelVersion(document.current) + "}\n";
  return out;
}

LabelVersion parseLabelVersion(std::string_view text, const std::string& where) {
  return parseVersion(parseJsonBounded(text, where), where);
}

LabelsDocument parseLabelsDocument(std::string_view text, const std::string& where) {
  const nlohmann::json root = parseJsonBounded(text, where);
  if (!root.is_object() || root.value("format", "") != kLabelsFileFormat)
    throw Error(where, "is not an imuwb labels file (no \"format\": \"imuwb-labels\")",
                "move the file away; it is found by name beside the session");
  const auto version = root.find("format_version");
  if (version == root.end() || !version->is_number_integer() ||
      version->get<int>() > kLabelsFileFormatVersion)
    throw Error(where, "has a format_version this build cannot read",
                "open it with a newer imuwb, or move the file away");
  LabelsDocument document;
  document.session = field(root, "session", where);
  if (const auto limit = root.find("history_limit"); limit != root.end()) {
    if (!limit->is_number_unsigned())
      throw Error(where + " history_limit", "is not a count", "write \"history_limit\": 50");
    document.historyLimit = limit->get<std::size_t>();
  }
  if (!root.contains("current")) throw Error(where, "has no \"current\" labels", "");
  document.current = parseVersion(root["current"], where + " current");
  return document;
}

LabelsDocument readLabelsFile(const std::filesystem::path& path) {
  return parseLabelsDocument(readFileBounded(path, "labels file"), path.string());
}

std::string labelSetChecksum(const LabelSet& labels) {
  LabelVersion version;
  version.labels = labels;
  const std::string text = serializeLabelVersion(version);
  return sha256Hex(text.data(), text.size());
}

std::string utcNowIso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace imuwb
