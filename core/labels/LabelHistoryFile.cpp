#include "labels/LabelHistoryFile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/SafeRead.hpp"

namespace imuwb {
namespace {

[[noreturn]] void failWrite(const std::filesystem::path& path, int error) {
  if (auto named = storageFailure(path, error)) throw *named;
  throw Error(path.string(),
              std::string("cannot write the labels history: ") + std::strerror(error),
              "check that the session's folder is writable");
}

}  // namespace

std::filesystem::path labelHistoryPath(const std::filesystem::path& sessionPath) {
  auto path = sessionPath;
  path.replace_extension(".labels.history.jsonl");
  return path;
}

LabelHistory readLabelHistory(const std::filesystem::path& path, int currentRevision) {
  LabelHistory history;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return history;
  const std::string text = readFileBounded(path, "labels history", limits::kJsonBytes);
  std::set<int> seen;
  std::size_t begin = 0, lineNumber = 0;
  std::vector<LabelVersion> oldestFirst;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;  // a torn last line: the append never finished
    ++lineNumber;
    ++history.lines;
    const std::string where = path.string() + ":" + std::to_string(lineNumber);
    oldestFirst.push_back(
        parseLabelVersion(std::string_view(text).substr(begin, end - begin), where));
    begin = end + 1;
  }
  for (auto it = oldestFirst.rbegin(); it != oldestFirst.rend(); ++it)
    if (it->revision < currentRevision && seen.insert(it->revision).second)
      history.versions.push_back(std::move(*it));
  return history;
}

void appendLabelHistory(const std::filesystem::path& path, const std::string& versionLine) {
  const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0) failWrite(path, errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // Cut a torn last line (a killed append) back to the last newline.
  struct stat info {};
  if (::fstat(fd, &info) != 0) failWrite(path, errno);
  off_t keep = info.st_size;
  char c = '\n';
  while (keep > 0 && ::pread(fd, &c, 1, keep - 1) == 1 && c != '\n') --keep;
  if (keep != info.st_size && ::ftruncate(fd, keep) != 0) failWrite(path, errno);
  const std::string line = versionLine + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::pwrite(fd, line.data() + written, line.size() - written,
                               keep + static_cast<off_t>(written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failWrite(path, n < 0 ? errno : EIO);
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) failWrite(path, errno);
}

void rewriteLabelHistory(const std::filesystem::path& path,
                         const std::vector<std::string>& newestFirstLines) {
  std::string text;
  for (auto it = newestFirstLines.rbegin(); it != newestFirstLines.rend(); ++it) text += *it + "\n";
  writeTextAtomically(path, text, "the labels history");
}

}  // namespace imuwb
