#pragma once
// A line-per-record text file (sample CSV, label CSV) opened for bounded reading: only a regular
// file is read (a FIFO or /dev/zero would block or never end), and no line over the
// text_line_bytes limit is kept; such a line is an Error naming the file and the line.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "session/CsvText.hpp"

namespace imuwb::csv {

class CsvFile {
 public:
  // kind names the file in errors ("CSV", "label CSV"); tooLongFix says what its lines should
  // look like, for the error on a line over the limit.
  CsvFile(const std::filesystem::path& path, const std::string& kind, std::string tooLongFix);

  // The next line without its terminator; false at the end. Every line passes here, so a line
  // over the limit is refused before it is split or kept.
  bool next(std::string& line);
  std::size_t lineNumber() const { return lines_.lineNumber(); }
  std::string where() const { return source_ + ":" + std::to_string(lineNumber()); }  // file:line
  std::uint64_t bytesRead() const { return lines_.bytesRead(); }

 private:
  std::string source_;
  std::string tooLongFix_;
  std::uint64_t maxLine_;
  std::ifstream in_;
  LineReader lines_;
};

}  // namespace imuwb::csv
