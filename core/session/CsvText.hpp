#pragma once
// Minimal CSV line handling shared by the sample and label importers.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace imuwb::csv {

// Picks ',' ';' or tab: whichever appears most in the header line.
inline char detectDelimiter(std::string_view header) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  for (char c : header) {
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas) return ';';
  return ',';
}

inline std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"' || text.front() == '\r' ||
                           text.front() == '\'' || text.front() == '\xEF' ||
                           text.front() == '\xBB' || text.front() == '\xBF'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"' || text.back() == '\r' ||
                           text.back() == '\'' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

inline void splitLine(std::string_view line, char delimiter, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(delimiter, start);
    out.push_back(trim(line.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

// Parses a number; empty, "nan", "NaN", "NA" give NaN. Returns false for anything else.
inline bool parseNumber(std::string_view text, double& value) {
  if (text.empty() || text == "nan" || text == "NaN" || text == "NAN" || text == "NA" ||
      text == "null") {
    value = std::nan("");
    return true;
  }
  if (text.front() == '+') text.remove_prefix(1);
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec == std::errc() && result.ptr == text.data() + text.size()) return true;
  if (text == "inf" || text == "Inf") return value = INFINITY, true;
  if (text == "-inf" || text == "-Inf") return value = -INFINITY, true;
  return false;
}

}  // namespace imuwb::csv
