#include "session/CsvFile.hpp"

#include <utility>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"

namespace imuwb::csv {

namespace {

// Checked before the stream opens: opening a FIFO for reading would already block.
const std::filesystem::path& regularFile(const std::filesystem::path& path,
                                         const std::string& kind) {
  requireRegularFile(path, kind);
  return path;
}

}  // namespace

CsvFile::CsvFile(const std::filesystem::path& path, const std::string& kind, std::string tooLongFix)
    : source_(path.string()),
      tooLongFix_(std::move(tooLongFix)),
      maxLine_(limits::value(limits::kTextLineBytes)),
      in_(regularFile(path, kind), std::ios::binary),
      lines_(in_, maxLine_) {
  if (!in_) throw Error(source_, "cannot open the " + kind, "check the path and its permissions");
}

bool CsvFile::next(std::string& line) {
  if (!lines_.next(line)) return false;
  if (lines_.tooLong())
    throw Error(
        source_ + ":" + std::to_string(lines_.lineNumber()),
        "line is longer than the text_line_bytes limit of " + std::to_string(maxLine_) + " bytes",
        tooLongFix_);
  return true;
}

}  // namespace imuwb::csv
