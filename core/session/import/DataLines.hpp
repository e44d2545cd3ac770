#pragma once
// The second pass's reading of a text recording the first pass has checked: the file in large
// chunks that end at a line end (TextChunks), and within a chunk the lines that are neither
// blank nor comments (DataLineCursor), as views, with no copy per line. Line ends are '\n',
// '\r\n' or a lone '\r', as csv::LineReader reads them (a '\r\n' here yields an extra empty
// line, which is blank and skipped, so the data lines agree).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace imuwb::csv {

class TextChunks {
 public:
  explicit TextChunks(const std::filesystem::path& path, std::size_t chunkBytes = 8u << 20);

  // The next chunk of whole lines (the file's last line may lack its end); false at the end.
  bool next(std::string& chunk);
  std::uint64_t bytesRead() const { return consumed_; }

 private:
  std::ifstream in_;
  std::size_t chunkBytes_;
  std::string carry_;  // the unfinished line after the previous chunk's last line end
  std::uint64_t consumed_ = 0;
  bool eof_ = false;
};

class DataLineCursor {
 public:
  explicit DataLineCursor(std::string_view text) : text_(text) {}
  bool next(std::string_view& line);  // the next line holding data (or the header)

 private:
  bool nextRaw(std::string_view& line);
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace imuwb::csv
