#pragma once
// Saving without losing anything: write to a temporary file beside the target, then rename.
// A crash or error mid-write leaves the original untouched, and no temporary file is left
// behind: failures remove it, a second Ctrl-C unlinks it (LiveTemporaries), and one left by a
// process that was killed (kill -9, power loss) is swept by the next write into that folder.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "common/Error.hpp"

namespace imuwb {

// A temporary file beside target, created exclusively (O_CREAT|O_EXCL) under a name unique per
// process and per call, ".<name>.tmp-<pid>-<n>", so two writers (two threads, two processes)
// never share one. It is registered for the second-Ctrl-C exit path and removed when the
// object dies, unless commit() moved it onto the target. Writers open path() themselves
// (truncating: it exists and is empty).
class TemporaryFile {
 public:
  // Sweeps stale temporaries of dead processes from the folder first. Throws Error when the
  // folder is missing or not writable, or the disk is full.
  explicit TemporaryFile(const std::filesystem::path& target);
  ~TemporaryFile();
  TemporaryFile(TemporaryFile&& other) noexcept;
  TemporaryFile& operator=(TemporaryFile&&) = delete;
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& target() const { return target_; }

  // fsync, then rename onto the target (replacing it), then fsync the folder. Throws Error
  // naming "disk full" / "I/O error" when the data did not reach the disk; the temporary file
  // is removed then and the target is untouched.
  void commit();
  // Removes the temporary file now (no-op after commit or a previous discard).
  void discard() noexcept;

 private:
  std::filesystem::path target_, path_;
  int slot_ = -1;
  bool done_ = false;
};

// Calls write(tempPath), then commits it onto target. On any exception the temporary file is
// removed and the exception propagates (disk full and I/O errors become an Error naming them);
// the target is never half-written.
void writeAtomically(const std::filesystem::path& target,
                     const std::function<void(const std::filesystem::path& tempPath)>& write);

// Writes text to target through writeAtomically, for the small files written in one piece
// (reports, parameter files, manifests). what names the file for the error ("the report").
void writeTextAtomically(const std::filesystem::path& target, std::string_view text,
                         std::string_view what);

// The end of a stream writer: closes out and throws an Error for target when any write, the
// final flush or the close failed. A stream buffers, so a disk that fills while the last buffer
// is flushed fails only at close; checked before, such a file would be committed short. Names
// "disk full" / "I/O error" when errno says so, else "could not write <what>".
void closeWrittenStream(std::ofstream& out, const std::filesystem::path& target,
                        std::string_view what);

// When errorNumber (an errno) or detail (a library's message carrying strerror text, as HDF5's
// does) says the disk is full (ENOSPC, EDQUOT) or the device failed (EIO): the Error to report
// for target, naming the cause and the folder. Otherwise nullopt: the caller keeps its error.
std::optional<Error> storageFailure(const std::filesystem::path& target, int errorNumber,
                                    std::string_view detail = {});

// Inside a catch block: rethrows the exception being handled, replaced by storageFailure's
// Error when errorNumber (errno captured where the failure was caught) or the exception's
// message says the disk is full or failed. Cancelled passes through unchanged.
[[noreturn]] void rethrowNamingStorageFailure(const std::filesystem::path& target, int errorNumber);

// Removes ".<name>.tmp-<pid>-<n>" files in folder whose process no longer exists, with a note
// on stderr for each; returns how many it removed. Files of live processes are left alone.
int removeStaleTemporaries(const std::filesystem::path& folder);

}  // namespace imuwb
