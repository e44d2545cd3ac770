#include "common/AtomicFile.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <system_error>

#include "common/LiveTemporaries.hpp"

namespace imuwb {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kTempMarker = ".tmp-";

fs::path folderOf(const fs::path& target) {
  return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

std::string describeErrno(int errorNumber) {
  return std::error_code(errorNumber, std::generic_category()).message();
}

// ".name.tmp-<pid>-<n>": the pid of its writer, or nullopt when name is not one of ours.
std::optional<long> writerPidOf(const std::string& name) {
  if (name.size() < 2 || name[0] != '.') return std::nullopt;
  const auto marker = name.rfind(kTempMarker);
  if (marker == std::string::npos || marker == 0) return std::nullopt;
  const std::string tail = name.substr(marker + kTempMarker.size());
  const auto dash = tail.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == tail.size()) return std::nullopt;
  for (std::size_t i = 0; i < tail.size(); ++i)
    if (i != dash && (tail[i] < '0' || tail[i] > '9')) return std::nullopt;
  if (dash > 9) return std::nullopt;  // not a pid
  return std::stol(tail.substr(0, dash));
}

bool processIsGone(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

bool contains(std::string_view text, std::string_view part) {
  return !part.empty() && text.find(part) != std::string_view::npos;
}

}  // namespace

std::optional<Error> storageFailure(const fs::path& target, int errorNumber,
                                    std::string_view detail) {
  const std::string folder = fs::absolute(folderOf(target)).lexically_normal().string();
  const bool full = errorNumber == ENOSPC || errorNumber == EDQUOT ||
                    contains(detail, describeErrno(ENOSPC)) ||
                    contains(detail, describeErrno(EDQUOT));
  if (full)
    return Error(target.string(),
                 "disk full: the device ran out of space (or quota) while writing; nothing "
                 "was written and the temporary file was removed",
                 "free space on the disk holding '" + folder + "' or write to another disk");
  if (errorNumber == EIO || contains(detail, describeErrno(EIO)))
    return Error(target.string(),
                 "I/O error: the device reported a failure while writing; nothing was written "
                 "and the temporary file was removed",
                 "check the disk holding '" + folder + "' (dmesg) or write to another disk");
  return std::nullopt;
}

int removeStaleTemporaries(const fs::path& folder) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const auto pid = writerPidOf(name);
    if (!pid || *pid == ::getpid() || !processIsGone(*pid)) continue;
    std::error_code removeError;
    if (!it->is_regular_file(removeError) || !fs::remove(it->path(), removeError)) continue;
    ++removed;
    std::fprintf(stderr,
                 "imuwb: note: removed %s, a temporary file left by process %ld, which no "
                 "longer runs (killed or crashed mid-write)\n",
                 it->path().string().c_str(), *pid);
  }
  return removed;
}

TemporaryFile::TemporaryFile(const fs::path& target) : target_(target) {
  static std::atomic<unsigned long> counter{0};
  const fs::path directory = folderOf(target);
  if (!fs::is_directory(directory))
    throw Error(target.string(), "the folder to write into does not exist",
                "create '" + directory.string() + "' first or choose another output path");
  removeStaleTemporaries(directory);
  const std::string prefix = "." + target.filename().string() + std::string(kTempMarker) +
                             std::to_string(::getpid()) + "-";
  for (int attempt = 0;; ++attempt) {
    fs::path candidate = directory / (prefix + std::to_string(counter++));
    // Registered before it exists, so a quick exit (a second Ctrl-C) at any moment after the
    // file appears removes it; registered after, it could be left behind in between.
    const int slot = registerLiveTemporary(candidate);
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      path_ = std::move(candidate);
      slot_ = slot;
      return;
    }
    const int error = errno;
    unregisterLiveTemporary(slot);
    if (error == EEXIST && attempt < 1000) continue;  // a dead namesake: take the next number
    if (auto failure = storageFailure(target, error)) throw *failure;
    throw Error(target.string(),
                "cannot create a file in '" + directory.string() + "': " + describeErrno(error),
                "choose a folder you can write to");
  }
}

TemporaryFile::TemporaryFile(TemporaryFile&& other) noexcept
    : target_(std::move(other.target_)),
      path_(std::move(other.path_)),
      slot_(other.slot_),
      done_(other.done_) {
  other.slot_ = -1;
  other.done_ = true;
}

TemporaryFile::~TemporaryFile() {
  discard();
}

void TemporaryFile::discard() noexcept {
  if (done_) return;
  done_ = true;
  ::unlink(path_.c_str());
  unregisterLiveTemporary(slot_);
  slot_ = -1;
}

void TemporaryFile::commit() {
  if (done_)
    throw Error(target_.string(), "the temporary file was already committed or discarded",
                "write the file again");
  // fsync before rename: a rename that lands before the data would leave an empty file after a
  // crash, and a full disk with delayed allocation only shows here.
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  if (fd >= 0) {
    if (::fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) error = errno;
    ::close(fd);
  }
  std::error_code renameError;
  if (!error) {
    fs::rename(path_, target_, renameError);
    error = renameError.value();
  }
  if (error) {
    discard();
    if (auto failure = storageFailure(target_, error)) throw *failure;
    throw Error(target_.string(),
                "could not move the finished file into place: " + describeErrno(error),
                "check permissions of the output folder");
  }
  done_ = true;
  unregisterLiveTemporary(slot_);
  slot_ = -1;
  // Make the rename itself durable; a failure here cannot undo it, so it is not an error.
  const int folder = ::open(folderOf(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder >= 0) {
    ::fsync(folder);
    ::close(folder);
  }
}

void rethrowNamingStorageFailure(const fs::path& target, int errorNumber) {
  try {
    throw;
  } catch (const Cancelled&) {
    throw;
  } catch (const fs::filesystem_error& error) {
    if (auto failure = storageFailure(target, error.code().value(), error.what())) throw *failure;
    throw;
  } catch (const std::exception& error) {
    if (auto failure = storageFailure(target, errorNumber, error.what())) throw *failure;
    throw;
  }
}

void writeAtomically(const fs::path& target, const std::function<void(const fs::path&)>& write) {
  TemporaryFile temp(target);
  try {
    errno = 0;
    write(temp.path());
  } catch (...) {
    // Stream writers report "could not be written"; errno still says why (ENOSPC, EIO).
    rethrowNamingStorageFailure(target, errno);  // temp is removed as the exception leaves
  }
  temp.commit();
}

void closeWrittenStream(std::ofstream& out, const fs::path& target, std::string_view what) {
  const bool failedBefore = !out;
  const int errorBefore = errno;  // of a write that failed before the close, if one did
  errno = 0;
  out.close();
  if (out && !failedBefore) return;
  const int error = errno ? errno : errorBefore;  // read before anything else can change it
  if (auto failure = storageFailure(target, error)) throw *failure;
  throw Error(target.string(),
              "could not write " + std::string(what) +
                  (error ? ": " + describeErrno(error) : std::string()),
              "check disk space and permissions of the folder");
}

void writeTextAtomically(const fs::path& target, std::string_view text, std::string_view what) {
  writeAtomically(target, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    closeWrittenStream(out, target, what);
  });
}

}  // namespace imuwb
