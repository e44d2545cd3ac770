#include "session/import/TimeSpool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "common/Error.hpp"

namespace imuwb {

namespace {
constexpr std::size_t kBlockValues = 1 << 16;  // 512 KiB a block
}

// An unnamed file in the temporary folder (TMPDIR, as std::filesystem::temp_directory_path
// reads it): O_TMPFILE where the file system has it, else a named file unlinked at once. Either
// way the system removes it when it is closed, even when the process dies.
struct TimeSpool::File {
  File() {
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    const std::string folder = ec ? std::string("/tmp") : dir.string();
    handle = ::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (handle < 0) {
      std::string name = folder + "/imuwb-times-XXXXXX";
      handle = ::mkostemp(name.data(), O_CLOEXEC);
      if (handle >= 0) ::unlink(name.c_str());
    }
    if (handle < 0)
      throw Error("temporary file in " + folder,
                  std::string("cannot be created: ") + std::strerror(errno),
                  "free space in the temporary folder, or point TMPDIR elsewhere");
  }
  ~File() { ::close(handle); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return handle; }
  int handle = -1;
};

TimeSpool::TimeSpool() {
  pending_.reserve(kBlockValues);
}

void TimeSpool::push(double value) {
  if (size_ == 0) front_ = value;
  back_ = value;
  ++size_;
  pending_.push_back(value);
  if (pending_.size() == kBlockValues) flush();
}

void TimeSpool::flush() const {
  if (pending_.empty()) return;
  if (!file_) file_ = std::make_shared<File>();
  const auto* bytes = reinterpret_cast<const char*>(pending_.data());
  std::size_t left = pending_.size() * sizeof(double);
  auto offset = static_cast<off_t>(flushed_ * sizeof(double));
  while (left > 0) {
    const ssize_t wrote = ::pwrite(file_->fd(), bytes, left, offset);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0)
      throw Error("temporary file of timestamps",
                  std::string("cannot be written: ") + std::strerror(errno),
                  "free space in the temporary folder (TMPDIR), or point TMPDIR elsewhere");
    bytes += wrote;
    left -= static_cast<std::size_t>(wrote);
    offset += wrote;
  }
  flushed_ += pending_.size();
  pending_.clear();
}

TimeSpool::Reader::Reader(const TimeSpool& spool) : spool_(spool) {
  spool.flush();
}

bool TimeSpool::Reader::refill() {
  const std::size_t left = spool_.flushed_ - read_;
  if (left == 0) return false;
  buffer_.resize(std::min(left, kBlockValues));
  auto* bytes = reinterpret_cast<char*>(buffer_.data());
  std::size_t want = buffer_.size() * sizeof(double);
  auto offset = static_cast<off_t>(read_ * sizeof(double));
  while (want > 0) {
    const ssize_t got = ::pread(spool_.file_->fd(), bytes, want, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      throw Error("temporary file of timestamps",
                  std::string("cannot be read: ") + std::strerror(errno),
                  "check the temporary folder (TMPDIR)");
    bytes += got;
    want -= static_cast<std::size_t>(got);
    offset += got;
  }
  read_ += buffer_.size();
  pos_ = 0;
  return true;
}

}  // namespace imuwb
