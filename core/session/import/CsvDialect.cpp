#include "session/import/CsvDialect.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "session/CsvText.hpp"

namespace imuwb::csv {

namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

std::size_t countFields(std::string_view line, const Dialect& dialect) {
  std::vector<std::string_view> fields;
  splitFields(line, dialect, fields);
  return fields.size();
}

// "9,81" or "-0,5": digits, one comma, digits and nothing else.
bool looksLikeDecimalComma(std::string_view field) {
  if (!field.empty() && (field.front() == '-' || field.front() == '+')) field.remove_prefix(1);
  const auto comma = field.find(',');
  if (comma == std::string_view::npos || comma == 0 || comma + 1 == field.size()) return false;
  for (std::size_t i = 0; i < field.size(); ++i)
    if (i != comma && !std::isdigit(static_cast<unsigned char>(field[i]))) return false;
  return true;
}

}  // namespace

std::string_view withoutBom(std::string_view line) {
  if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return line;
}

bool isCommentLine(std::string_view line) {
  line = withoutBom(line);
  while (!line.empty() && isBlank(line.front())) line.remove_prefix(1);
  return !line.empty() && (line.front() == '#' || line.front() == '%' || line.substr(0, 2) == "//");
}

std::string_view commentBody(std::string_view line) {
  line = withoutBom(line);
  while (!line.empty() && isBlank(line.front())) line.remove_prefix(1);
  while (!line.empty() && (line.front() == '#' || line.front() == '%' || line.front() == '/'))
    line.remove_prefix(1);
  while (!line.empty() && isBlank(line.front())) line.remove_prefix(1);
  return line;
}

Dialect detectDialect(std::string_view header, std::string_view firstData) {
  static constexpr std::array<char, 4> kOrder = {'\t', ';', ',', ' '};
  Dialect chosen;
  if (!firstData.empty()) {
    bool found = false;
    for (char delimiter : kOrder) {
      const Dialect candidate{delimiter, false};
      const std::size_t inHeader = countFields(header, candidate);
      if (inHeader > 1 && inHeader == countFields(firstData, candidate)) {
        chosen = candidate;
        found = true;
        break;
      }
    }
    if (!found) chosen.delimiter = detectDelimiter(header);
  } else {
    chosen.delimiter = detectDelimiter(header);
  }
  if (chosen.delimiter != ',' && !firstData.empty()) {
    std::vector<std::string_view> fields;
    splitFields(firstData, chosen, fields);
    chosen.decimalComma = std::any_of(fields.begin(), fields.end(), looksLikeDecimalComma);
  }
  return chosen;
}

void splitFields(std::string_view line, const Dialect& dialect,
                 std::vector<std::string_view>& fields) {
  if (dialect.delimiter != ' ') {
    splitLine(line, dialect.delimiter, fields);
    return;
  }
  fields.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (isBlank(line[i]) || line[i] == '\r')) ++i;
    if (i == line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && !isBlank(line[i]) && line[i] != '\r') ++i;
    fields.push_back(trim(line.substr(start, i - start)));
  }
}

bool parseDialectNumber(std::string_view text, const Dialect& dialect, double& value) {
  if (!dialect.decimalComma || text.find(',') == std::string_view::npos)
    return parseNumber(text, value);
  char buffer[64];
  if (text.size() >= sizeof buffer) return false;
  std::copy(text.begin(), text.end(), buffer);
  std::replace(buffer, buffer + text.size(), ',', '.');
  return parseNumber(std::string_view(buffer, text.size()), value);
}

std::string describeDialect(const Dialect& dialect) {
  std::string name = dialect.delimiter == ','    ? "comma"
                     : dialect.delimiter == ';'  ? "semicolon"
                     : dialect.delimiter == '\t' ? "tab"
                                                 : "whitespace";
  if (dialect.decimalComma) name += ", decimal comma";
  return name;
}

}  // namespace imuwb::csv
