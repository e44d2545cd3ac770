#include "session/import/TimeSpool.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/Error.hpp"

namespace imuwb {

namespace {
constexpr std::size_t kBlockValues = 1 << 16;  // 512 KiB a block
}

// std::tmpfile: created in the temporary folder and removed by the system when closed, even
// when the process dies.
struct TimeSpool::File {
  File() : handle(std::tmpfile()) {
    if (!handle)
      throw Error("temporary file", std::string("cannot be created: ") + std::strerror(errno),
                  "free space in the temporary folder (TMPDIR), or point TMPDIR elsewhere");
  }
  ~File() { std::fclose(handle); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  int fd() const { return fileno(handle); }
  std::FILE* handle;
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
