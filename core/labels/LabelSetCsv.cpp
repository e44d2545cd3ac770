#include "labels/LabelSetCsv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"

namespace imuwb {
namespace {

constexpr std::string_view kClassesPrefix = "# classes: ";

void appendField(std::string& out, std::string_view field) {
  const bool quote =
      field.find_first_of(",\"\r\n") != std::string_view::npos ||
      (!field.empty() && (field.front() == ' ' || field.back() == ' ' || field.front() == '\t' ||
                          field.back() == '\t' || field.front() == '#'));
  if (!quote) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void appendNumber(std::string& out, double value) {
  char buffer[32];
  out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value).ptr);
}

// One record from text at pos (quoted fields may span lines); false at the end.
bool nextRecord(std::string_view text, std::size_t& pos, std::vector<std::string>& fields,
                std::size_t& line, const std::string& where) {
  fields.clear();
  if (pos >= text.size()) return false;
  std::string field;
  bool quoted = false, wasQuoted = false;
  const std::size_t startLine = line;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (quoted) {
      if (c == '"' && pos < text.size() && text[pos] == '"')
        field += '"', ++pos;
      else if (c == '"')
        quoted = false;
      else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"' && field.empty() && !wasQuoted) {
      quoted = wasQuoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      wasQuoted = false;
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r' || (pos < text.size() && text[pos] != '\n')) {
      field += c;
    }
  }
  if (quoted)
    throw Error(where + ":" + std::to_string(startLine), "a quoted field is never closed",
                "close the quote, and double quotes inside a quoted field (\"\")");
  fields.push_back(std::move(field));
  return true;
}

double parseSeconds(const std::string& text, const std::string& where) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    throw Error(where, "'" + text + "' is not a time in seconds", "write seconds, e.g. 12.5");
  return value;
}

}  // namespace

std::string labelSetCsvText(const LabelSet& labels) {
  std::string out;
  if (!labels.classes.empty()) {
    out += kClassesPrefix;
    for (std::size_t i = 0; i < labels.classes.size(); ++i) {
      if (i) out += ',';
      appendField(out, labels.classes[i]);
    }
    out += '\n';
  }
  out += "start,end,label,note\n";
  for (const auto& interval : labels.intervals) {
    appendNumber(out, interval.start_s);
    out += ',';
    appendNumber(out, interval.end_s);
    out += ',';
    appendField(out, interval.label);
    out += ',';
    appendField(out, interval.note);
    out += '\n';
  }
  return out;
}

LabelSet parseLabelSetCsv(std::string_view text, const std::string& where) {
  LabelSet labels;
  std::size_t pos = 0, line = 1;
  std::vector<std::string> fields;
  bool header = false;
  const auto maxIntervals = limits::value(limits::kLabelIntervals);
  while (true) {
    const std::size_t at = line;
    if (text.substr(pos).starts_with(kClassesPrefix) && !header) {
      pos += kClassesPrefix.size();
      nextRecord(text, pos, fields, line, where);
      for (auto& name : fields)
        if (!name.empty() &&
            std::find(labels.classes.begin(), labels.classes.end(), name) == labels.classes.end())
          labels.classes.push_back(std::move(name));
      continue;
    }
    if (!nextRecord(text, pos, fields, line, where)) break;
    const std::string here = where + ":" + std::to_string(at);
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (!fields[0].empty() && fields[0].front() == '#') continue;
    if (!header) {
      if (fields.size() < 3 || fields[0] != "start" || fields[1] != "end" || fields[2] != "label")
        throw Error(here, "the header is not start,end,label,note",
                    "first line: start,end,label,note");
      header = true;
      continue;
    }
    if (fields.size() < 3 || fields.size() > 4)
      throw Error(here,
                  "has " + std::to_string(fields.size()) + " fields, expected start,end,label,note",
                  "quote fields that hold commas");
    if (labels.intervals.size() >= maxIntervals)
      throw Error(here, "more intervals than the label_intervals limit",
                  "raise the limit with IMUWB_LIMIT_LABEL_INTERVALS=N");
    LabelInterval interval{parseSeconds(fields[0], here + " start"),
                           parseSeconds(fields[1], here + " end"), fields[2],
                           fields.size() == 4 ? fields[3] : std::string()};
    if (!(interval.end_s > interval.start_s))
      throw Error(here, "end is not after start", "swap or correct the times");
    if (interval.label.empty()) throw Error(here, "label is empty", "name the class");
    if (std::find(labels.classes.begin(), labels.classes.end(), interval.label) ==
        labels.classes.end())
      labels.classes.push_back(interval.label);
    labels.intervals.push_back(std::move(interval));
  }
  if (!header)
    throw Error(where, "has no start,end,label,note header", "first line: start,end,label,note");
  return labels;
}

void writeLabelSetCsv(const LabelSet& labels, const std::filesystem::path& path) {
  writeTextAtomically(path, labelSetCsvText(labels), "the label CSV");
}

LabelSet readLabelSetCsv(const std::filesystem::path& path) {
  return parseLabelSetCsv(readFileBounded(path, "label CSV"), path.string());
}

}  // namespace imuwb
