#include "session/import/CsvTable.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "session/CsvText.hpp"
#include "session/import/CsvLines.hpp"

namespace imuwb {

namespace {

// A data line starts with a digit, a sign or a decimal point; a header with a name.
bool looksLikeData(std::string_view line) {
  line = csv::trim(line);
  if (line.empty()) return false;
  const char c = line.front();
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
}

// -?digits[.digits] or -?.digits: what std::from_chars reads as a number, for certain, without
// converting it. Anything else (exponents, NaN, a decimal comma) goes through the full parse.
bool plainDecimal(std::string_view text) {
  std::size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
  std::size_t digits = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits > 0;
}

struct HeaderFound {
  std::string header, firstData;
  std::size_t headerLine = 0, dataLine = 0;
  bool commented = false;
};

// Finds the header (a plain line, or the last comment line before data whose field count
// matches it) and the first data line.
HeaderFound findHeader(csv::Lines& lines, const std::string& source) {
  HeaderFound found;
  std::string line, lastComment;
  std::size_t lastCommentLine = 0;
  while (lines.next(line)) {
    if (csv::Lines::isBlankLine(line)) continue;
    if (csv::isCommentLine(line)) {
      lastComment = std::string(csv::commentBody(line));
      lastCommentLine = lines.number();
      continue;
    }
    if (looksLikeData(line)) {
      const auto dialect = csv::detectDialect(lastComment, line);
      std::vector<std::string_view> a, b;
      csv::splitFields(lastComment, dialect, a);
      csv::splitFields(line, dialect, b);
      if (lastComment.empty() || a.size() != b.size() || a.size() < 2)
        throw Error(lines.at(), "the first line is data, not a header",
                    "add a header line naming the columns, e.g. "
                    "time_ms,ax,ay,az,gx,gy,gz,mx,my,mz");
      found = {lastComment, line, lastCommentLine, lines.number(), true};
      return found;
    }
    found.header = line;
    found.headerLine = lines.number();
    while (lines.next(line)) {
      if (csv::Lines::isBlankLine(line) || csv::isCommentLine(line)) continue;
      found.firstData = line;
      found.dataLine = lines.number();
      break;
    }
    return found;
  }
  throw Error(source, "the file is empty", "export the recording with a header line");
}

// A time column that is empty in the first data row (Xsens writes UTC columns it never fills)
// gives no time: it is ignored, and the rate must come from elsewhere.
void dropEmptyTimeColumn(CsvTable& table, std::string_view firstData) {
  auto& layout = table.layout;
  if (layout.timeColumn < 0 || firstData.empty()) return;
  std::vector<std::string_view> fields;
  csv::splitFields(firstData, table.dialect, fields);
  const auto index = static_cast<std::size_t>(layout.timeColumn);
  if (index < fields.size() && !fields[index].empty()) return;
  auto& column = layout.columns[index];
  column.role = ColumnRole::Ignored;
  column.why = "a time column by name, but empty in the first data row";
  layout.timeColumn = -1;
  layout.timeScaleHint = 0;
}

void describeTable(CsvTable& table, bool bom, std::size_t dataLine) {
  Finding format;
  format.code = "text_format";
  format.message = csv::describeDialect(table.dialect) + "-delimited text; header at line " +
                   std::to_string(table.headerLine) +
                   (table.commentedHeader ? " (a commented header)" : "") +
                   (dataLine > 0 ? ", data from line " + std::to_string(dataLine) : "") +
                   (bom ? "; UTF-8 byte-order mark skipped" : "");
  table.report.push_back(format);
  for (auto& finding : explainLayout(table.layout)) table.report.push_back(std::move(finding));
}

// Parses data rows into the table, one at a time.
class RowParser {
 public:
  RowParser(CsvTable& table, const ImportOptions& options, std::string source)
      : table_(table), source_(std::move(source)), maxRows_(limits::value(limits::kSessionRows)) {
    const auto& layout = table.layout;
    table.columnOf.assign(layout.devices.size(), {});
    for (auto& columns : table.columnOf) columns.fill(-1);
    for (std::size_t i = 0; i < layout.columns.size(); ++i) {
      const auto& column = layout.columns[i];
      if (column.role != ColumnRole::Sensor) continue;
      const auto d = static_cast<std::size_t>(
          std::find(layout.devices.begin(), layout.devices.end(), column.device) -
          layout.devices.begin());
      table.columnOf[d][static_cast<std::size_t>(column.channel)] = static_cast<int>(i);
    }
    table.sample = UnitSample(layout.devices.size());
    table.hasTime = layout.timeColumn >= 0;
    table.time.scaleHint = layout.timeScaleHint;
    if (!options.date.empty()) {
      TimeFieldParser dates(TimeFormat::Clock, table.dialect);
      fixedDate_ = dates.parseDate(options.date);
      if (!fixedDate_)
        throw Error("--date " + options.date, "is not a date", "write --date 2024-05-01");
    }
  }

  void row(std::string_view line, std::size_t lineNumber) {
    lineNumber_ = lineNumber;
    if (table_.rows >= maxRows_)
      throw Error(at(),
                  "has more than the session_rows limit of " + std::to_string(maxRows_) + " rows",
                  "split the recording, or raise the limit with IMUWB_LIMIT_SESSION_ROWS=N");
    csv::splitFields(line, table_.dialect, fields_);
    if (fields_.size() < table_.headers.size())
      throw Error(at(),
                  "has " + std::to_string(fields_.size()) + " fields, the header has " +
                      std::to_string(table_.headers.size()),
                  "the file may be cut short; remove the incomplete line");
    if (table_.hasTime) readTime();
    if (table_.sample.keeps(table_.rows)) {
      for (std::size_t d = 0; d < table_.columnOf.size(); ++d) {
        for (std::size_t c = 0; c < values_.size(); ++c) {
          const int column = table_.columnOf[d][c];
          values_[c] = column < 0 ? NAN : static_cast<float>(number(column));
        }
        table_.sample.add(d, values_);
      }
    } else {
      // Rows outside the unit sample are only checked: a plain decimal needs no conversion.
      for (const auto& columns : table_.columnOf)
        for (int column : columns)
          if (column >= 0 && !plainDecimal(field(column))) number(column);
    }
    if (table_.layout.labelColumn >= 0) {
      const std::string_view label = field(table_.layout.labelColumn);
      if (!table_.labels.continuesRun(label)) table_.labels.add(table_.rows, label, at());
    }
    table_.lines.add(table_.rows, lineNumber);
    ++table_.rows;
  }

 private:
  std::string_view field(int column) const { return fields_[static_cast<std::size_t>(column)]; }

  // file:line of the current row, made only for an error.
  std::string at() const { return source_ + ":" + std::to_string(lineNumber_); }

  std::string columnWhere(int column) const {
    return at() + " column '" + table_.headers[static_cast<std::size_t>(column)] + "'";
  }

  double number(int column) const {
    double value = 0;
    if (!csv::parseDialectNumber(field(column), table_.dialect, value))
      throw Error(columnWhere(column), "'" + csv::printable(field(column)) + "' is not a number",
                  "fix the value; empty or NaN fields are allowed and reported by validation");
    return value;
  }

  void readTime() {
    const int column = table_.layout.timeColumn;
    RawTimeColumn& time = table_.time;
    if (!parser_) {
      time.format = classifyTimeField(field(column));
      parser_.emplace(time.format, table_.dialect);
    }
    long double value = 0;
    if (!parser_->parse(field(column), value))
      throw Error(columnWhere(column),
                  "'" + csv::printable(field(column)) + "' is not a " +
                      std::string(timeFormatName(time.format)) + " like the first row's",
                  "write every time in one format: a number, HH:MM:SS[.fff] or ISO 8601");
    if (time.format == TimeFormat::Clock) value += dayOffset();
    if (time.offsets.size() == 0) time.origin = value;
    time.offsets.push(static_cast<double>(value - time.origin));
  }

  // Clock times: seconds from the first row's date to this row's (a date column), recording
  // the first date (or --date) as the recording's.
  long double dayOffset() {
    RawTimeColumn& time = table_.time;
    const int dateColumn = table_.layout.dateColumn;
    if (dateColumn < 0) {
      if (fixedDate_ && !time.dateDays) time.dateDays = fixedDate_, time.dateSource = "--date";
      return 0;
    }
    const auto days = parser_->parseDate(field(dateColumn));
    if (!days)
      throw Error(columnWhere(dateColumn),
                  "'" + csv::printable(field(dateColumn)) + "' is not a date",
                  "write dates as 2024-05-01, 2024/05/01, 01/05/2024 or 01.05.2024");
    if (!time.dateDays) {
      time.dateDays = fixedDate_ ? *fixedDate_ : *days;
      time.dateSource = "column '" + table_.headers[static_cast<std::size_t>(dateColumn)] + "'";
      firstDate_ = *days;
    }
    return static_cast<long double>(*days - firstDate_) * 86400.0L;
  }

  CsvTable& table_;
  std::string source_;
  std::uint64_t maxRows_;
  std::size_t lineNumber_ = 0;
  std::vector<std::string_view> fields_;
  std::array<float, kChannelCount> values_{};
  std::optional<TimeFieldParser> parser_;
  std::optional<long> fixedDate_;
  long firstDate_ = 0;
};

}  // namespace

CsvTable readCsvTable(const std::filesystem::path& path, const ImportOptions& options,
                      const JobControl& control) {
  const std::string source = path.string();
  csv::Lines lines(path);  // a regular file only: a FIFO or /dev/zero would block or never end
  const auto fileSize = std::filesystem::file_size(path);
  const HeaderFound found = findHeader(lines, source);
  CsvTable table;
  table.dialect = csv::detectDialect(found.header, found.firstData);
  table.headerLine = found.headerLine;
  table.commentedHeader = found.commented;
  table.dataLine = found.dataLine;
  std::vector<std::string_view> fields;
  csv::splitFields(found.header, table.dialect, fields);
  table.headers.assign(fields.begin(), fields.end());
  table.layout = mapCsvHeader(table.headers, source, options.columns);
  const std::string headerWhere = source + ":" + std::to_string(found.headerLine);
  if (table.layout.devices.empty())
    throw Error(headerWhere, "no sensor columns recognised in the header",
                "name columns like ax/acc_x, gx/gyro_x, mx/mag_x (optionally collar_ax), or map "
                "them with --map ax=COLUMN,...");
  dropEmptyTimeColumn(table, found.firstData);
  describeTable(table, lines.sawBom(), found.dataLine);
  if (found.firstData.empty())
    throw Error(source, "has a header but no data rows", "export the samples");
  RowParser parser(table, options, source);
  parser.row(found.firstData, found.dataLine);
  std::string line;
  while (lines.nextData(line)) {
    parser.row(line, lines.number());
    if ((table.rows & 0xFFFF) == 0) {
      control.throwIfCancelled();
      if (fileSize > 0)
        control.report(
            kScanShare * static_cast<double>(lines.bytesRead()) / static_cast<double>(fileSize),
            "checking rows");
    }
  }
  return table;
}

}  // namespace imuwb
