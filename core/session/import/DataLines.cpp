#include "session/import/DataLines.hpp"

#include <cstring>

#include "common/Error.hpp"
#include "session/CsvText.hpp"
#include "session/import/CsvDialect.hpp"

namespace imuwb::csv {

TextChunks::TextChunks(const std::filesystem::path& path, std::size_t chunkBytes)
    : in_(path, std::ios::binary), chunkBytes_(chunkBytes) {
  if (!in_) throw Error(path.string(), "cannot open the CSV", "check the path and its permissions");
}

bool TextChunks::next(std::string& chunk) {
  chunk.assign(carry_);  // keeps the chunk's buffer: fresh pages fault on every chunk
  carry_.clear();
  while (!eof_) {
    const std::size_t had = chunk.size();
    chunk.resize(had + chunkBytes_);
    in_.read(chunk.data() + had, static_cast<std::streamsize>(chunkBytes_));
    const auto got = static_cast<std::size_t>(in_.gcount());
    chunk.resize(had + got);
    consumed_ += got;
    if (got < chunkBytes_) eof_ = true;
    if (eof_) break;
    // Cut after the chunk's last line end; what follows starts the next chunk. Without a line
    // end yet (a line longer than a chunk, within text_line_bytes), read on.
    const std::size_t end = chunk.find_last_of("\r\n");
    if (end == std::string::npos) continue;
    carry_.assign(chunk, end + 1, std::string::npos);
    chunk.resize(end + 1);
    return true;
  }
  return !chunk.empty();
}

bool DataLineCursor::next(std::string_view& line) {
  while (nextRaw(line))
    if (!trim(line).empty() && !isCommentLine(line)) return true;
  return false;
}

bool DataLineCursor::nextRaw(std::string_view& line) {
  if (pos_ >= text_.size()) return false;
  const char* begin = text_.data() + pos_;
  const char* end = text_.data() + text_.size();
  const auto* newline = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
  const char* stop = newline ? newline : end;
  const auto* carriage = static_cast<const char*>(std::memchr(begin, '\r', stop - begin));
  const char* hit = carriage ? carriage : newline;
  if (!hit) hit = end;
  line = std::string_view(begin, static_cast<std::size_t>(hit - begin));
  pos_ = static_cast<std::size_t>(hit - text_.data()) + 1;
  return true;
}

}  // namespace imuwb::csv
