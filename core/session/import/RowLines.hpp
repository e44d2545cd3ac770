#pragma once
// Which file line each data row came from, so that every message about a row names the line a
// user sees in an editor (comments, blank lines and a header shift the two apart). Stored as
// breakpoints: a file without interior comments costs one entry.
#include <algorithm>
#include <cstddef>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace imuwb {

class RowLines {
 public:
  // Rows must be added in increasing order.
  void add(std::size_t row, std::size_t line) {
    if (breaks_.empty() || lineOf(row) != line) breaks_.emplace_back(row, line);
  }
  std::size_t lineOf(std::size_t row) const {
    auto it = std::upper_bound(breaks_.begin(), breaks_.end(), row,
                               [](std::size_t r, const auto& b) { return r < b.first; });
    if (it == breaks_.begin()) return row + 1;
    --it;
    return it->second + (row - it->first);
  }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> breaks_;
};

// message with every "row N" (0-based, as validation and checks count) told as
// "file line L (row N)".
inline std::string withFileLines(const std::string& message, const RowLines& lines) {
  static const std::regex rowNumber("row ([0-9]+)");
  std::string out, rest = message;
  std::smatch match;
  while (std::regex_search(rest, match, rowNumber)) {
    const auto row = static_cast<std::size_t>(std::stoull(match[1].str()));
    out += match.prefix().str() + "file line " + std::to_string(lines.lineOf(row)) + " (row " +
           match[1].str() + ")";
    rest = match.suffix().str();
  }
  return out + rest;
}

}  // namespace imuwb
