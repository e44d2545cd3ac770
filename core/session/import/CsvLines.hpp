#pragma once
// Lines of a text recording, numbered as an editor shows them, each within text_line_bytes
// (CsvFile), with a UTF-8 byte order mark taken off the first. Both import passes read the file
// through it, so they agree on every line number.
#include <filesystem>
#include <string>
#include <string_view>

#include "session/CsvFile.hpp"
#include "session/import/CsvDialect.hpp"

namespace imuwb::csv {

class Lines {
 public:
  explicit Lines(const std::filesystem::path& path)
      : file_(path, "CSV",
              "this is not a line-per-sample CSV, or a line break is missing; if the file is "
              "genuine, raise the limit with IMUWB_LIMIT_TEXT_LINE_BYTES=N") {}

  bool next(std::string& line) {
    if (!file_.next(line)) return false;
    if (file_.lineNumber() == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) {
      line.erase(0, 3);
      bom_ = true;
    }
    return true;
  }
  // The next line holding data (not blank, not a comment) at or after file line first.
  bool nextData(std::string& line, std::size_t first = 0) {
    while (next(line))
      if (number() >= first && !isBlankLine(line) && !isCommentLine(line)) return true;
    return false;
  }
  std::size_t number() const { return file_.lineNumber(); }
  std::uint64_t bytesRead() const { return file_.bytesRead(); }
  bool sawBom() const { return bom_; }
  std::string at() const { return file_.where(); }

  static bool isBlankLine(std::string_view line) { return trim(line).empty(); }

 private:
  CsvFile file_;
  bool bom_ = false;
};

}  // namespace imuwb::csv
