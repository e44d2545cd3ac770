#include "session/LabelCsv.hpp"

#include <algorithm>
#include <fstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "session/CsvFile.hpp"
#include "session/CsvText.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

using session_text::lowerAscii;

LabelTrack readLabelCsv(const std::filesystem::path& path) {
  csv::CsvFile file(path, "label CSV",
                    "write one short start,end,label line per interval; if the file is genuine, "
                    "raise the limit with IMUWB_LIMIT_TEXT_LINE_BYTES=N");
  const auto maxIntervals = limits::value(limits::kLabelIntervals);
  std::string line;
  std::vector<std::string_view> fields;
  std::vector<std::string> headers;
  int startColumn = -1, endColumn = -1, labelColumn = -1;
  char delimiter = ',';
  while (file.next(line)) {
    if (csv::trim(line).empty() || line.front() == '#') continue;
    delimiter = csv::detectDelimiter(line);
    csv::splitLine(line, delimiter, fields);
    headers.assign(fields.begin(), fields.end());
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string name = lowerAscii(fields[i]);
      if (name == "start" || name == "start_s" || name == "begin" || name == "onset")
        startColumn = static_cast<int>(i);
      else if (name == "end" || name == "end_s" || name == "stop" || name == "offset")
        endColumn = static_cast<int>(i);
      else if (name == "label" || name == "class" || name == "behavior" || name == "behaviour" ||
               name == "activity")
        labelColumn = static_cast<int>(i);
    }
    break;
  }
  if (startColumn < 0 || endColumn < 0 || labelColumn < 0)
    throw Error(file.where(), "header must name start, end and label columns",
                "first line: start,end,label (seconds from session start)");
  LabelTrack track;
  const auto needed = static_cast<std::size_t>(std::max({startColumn, endColumn, labelColumn}));
  while (file.next(line)) {
    if (csv::trim(line).empty() || line.front() == '#') continue;
    csv::splitLine(line, delimiter, fields);
    const std::string where = file.where();
    if (track.labels.size() >= maxIntervals)
      throw Error(
          where,
          "more than the label_intervals limit of " + std::to_string(maxIntervals) + " intervals",
          "merge intervals, or raise the limit with IMUWB_LIMIT_LABEL_INTERVALS=N");
    if (fields.size() <= needed)
      throw Error(where,
                  "has " + std::to_string(fields.size()) + " fields, expected start,end,label",
                  "write one interval per line");
    LabelInterval interval;
    auto seconds = [&](int column, double& value) {
      const auto text = fields[static_cast<std::size_t>(column)];
      if (!csv::parseNumber(text, value) || !std::isfinite(value))
        throw Error(where + " column '" + headers[static_cast<std::size_t>(column)] + "'",
                    "'" + csv::printable(text) + "' is not a time in seconds",
                    "write seconds, e.g. 12.5,20.0,walk");
    };
    seconds(startColumn, interval.start_s);
    seconds(endColumn, interval.end_s);
    if (!(interval.end_s > interval.start_s))
      throw Error(where,
                  "end (" + std::to_string(interval.end_s) + ") is not after start (" +
                      std::to_string(interval.start_s) + ")",
                  "swap or correct the times");
    interval.label = std::string(fields[static_cast<std::size_t>(labelColumn)]);
    if (interval.label.empty()) throw Error(where, "label is empty", "name the class");
    if (interval.label.find('\0') != std::string::npos)
      throw Error(where, "label '" + csv::printable(interval.label) + "' holds a NUL byte",
                  "the file may be binary or corrupt; write plain text class names");
    if (std::find(track.classes.begin(), track.classes.end(), interval.label) ==
        track.classes.end())
      track.classes.push_back(interval.label);
    track.labels.push_back(std::move(interval));
  }
  return track;
}

void writeLabelCsv(const std::vector<LabelInterval>& labels, const std::filesystem::path& path) {
  writeAtomically(path, [&](const std::filesystem::path& temp) {
    std::ofstream out(temp);
    out.precision(10);
    out << "start,end,label\n";
    for (const auto& label : labels)
      out << label.start_s << "," << label.end_s << "," << label.label << "\n";
    closeWrittenStream(out, path, "the label file");
  });
}

}  // namespace imuwb
