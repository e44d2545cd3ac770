#include "session/LabelCsv.hpp"

#include <algorithm>
#include <fstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "session/CsvText.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

using session_text::lowerAscii;

LabelTrack readLabelCsv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error(path.string(), "cannot open the label file", "check the path");
  std::string line;
  std::size_t lineNumber = 0;
  std::vector<std::string_view> fields;
  int startColumn = -1, endColumn = -1, labelColumn = -1;
  char delimiter = ',';
  while (std::getline(in, line)) {
    ++lineNumber;
    if (csv::trim(line).empty() || line.front() == '#') continue;
    delimiter = csv::detectDelimiter(line);
    csv::splitLine(line, delimiter, fields);
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
    throw Error(path.string() + ":" + std::to_string(lineNumber),
                "header must name start, end and label columns",
                "first line: start,end,label (seconds from session start)");
  LabelTrack track;
  const auto needed = static_cast<std::size_t>(std::max({startColumn, endColumn, labelColumn}));
  while (std::getline(in, line)) {
    ++lineNumber;
    if (csv::trim(line).empty() || line.front() == '#') continue;
    csv::splitLine(line, delimiter, fields);
    const std::string where = path.string() + ":" + std::to_string(lineNumber);
    if (fields.size() <= needed)
      throw Error(where,
                  "has " + std::to_string(fields.size()) + " fields, expected start,end,label",
                  "write one interval per line");
    LabelInterval interval;
    if (!csv::parseNumber(fields[static_cast<std::size_t>(startColumn)], interval.start_s) ||
        !csv::parseNumber(fields[static_cast<std::size_t>(endColumn)], interval.end_s) ||
        !std::isfinite(interval.start_s) || !std::isfinite(interval.end_s))
      throw Error(where, "start/end are not numbers", "write seconds, e.g. 12.5,20.0,walk");
    if (!(interval.end_s > interval.start_s))
      throw Error(where,
                  "end (" + std::to_string(interval.end_s) + ") is not after start (" +
                      std::to_string(interval.start_s) + ")",
                  "swap or correct the times");
    interval.label = std::string(fields[static_cast<std::size_t>(labelColumn)]);
    if (interval.label.empty()) throw Error(where, "label is empty", "name the class");
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
    if (!out) throw Error(path.string(), "cannot write the label file", "check free space");
  });
}

}  // namespace imuwb
