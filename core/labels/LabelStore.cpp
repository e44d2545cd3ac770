#include "labels/LabelStore.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "labels/LabelHistoryFile.hpp"
#include "labels/LabelJournal.hpp"

namespace imuwb {
namespace {

// An advisory lock on S.labels.json.lock for the length of one save.
class SaveLock {
 public:
  explicit SaveLock(const std::filesystem::path& sidecar) {
    const auto path = sidecar.string() + ".lock";
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw Error(path, std::string("cannot create the labels lock file: ") + std::strerror(errno),
                  "check that the session's folder is writable");
    while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~SaveLock() { ::close(fd_); }  // closing releases the lock
  SaveLock(const SaveLock&) = delete;
  SaveLock& operator=(const SaveLock&) = delete;

 private:
  int fd_ = -1;
};

std::string defaultAuthor(const std::string& author) {
  if (!author.empty()) return author;
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

}  // namespace

FileStamp fileStamp(const std::filesystem::path& path) {
  FileStamp stamp;
  struct stat info = {};
  if (::stat(path.c_str(), &info) != 0) return stamp;
  stamp.exists = true;
  stamp.device = info.st_dev;
  stamp.inode = info.st_ino;
  stamp.size = static_cast<std::uint64_t>(info.st_size);
  stamp.modified_ns =
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
  return stamp;
}

LabelStore LabelStore::open(const std::filesystem::path& sessionPath, const LabelSet& embedded) {
  LabelStore store;
  store.sessionPath_ = sessionPath;
  store.sidecarPath_ = labelsSidecarPath(sessionPath);
  store.historyPath_ = labelHistoryPath(sessionPath);
  store.document_.session = sessionPath.filename().string();
  store.document_.current.labels = embedded;
  store.document_.current.note = "labels embedded in the session file";
  store.baseChecksum_ = labelSetChecksum(embedded);
  const FileStamp stamp = fileStamp(store.sidecarPath_);
  if (stamp.exists) store.adoptDisk(readLabelsFile(store.sidecarPath_), stamp);
  return store;
}

void LabelStore::adoptDisk(LabelsDocument document, const FileStamp& stamp) {
  document_ = std::move(document);
  base_ = stamp;
  baseChecksum_ = labelSetChecksum(document_.current.labels);
  loadHistory();
}

void LabelStore::loadHistory() {
  LabelHistory history = readLabelHistory(historyPath_, document_.current.revision);
  document_.history = std::move(history.versions);
  if (document_.history.size() > document_.historyLimit)
    document_.history.resize(document_.historyLimit);
  historyLines_ = history.lines;
  historyText_.clear();
  for (const auto& version : document_.history)
    historyText_.push_back(serializeLabelVersion(version, true));
}

bool LabelStore::changedOnDisk() const {
  return !(fileStamp(sidecarPath_) == base_);
}

void LabelStore::reload() {
  const FileStamp stamp = fileStamp(sidecarPath_);
  if (stamp.exists) adoptDisk(readLabelsFile(sidecarPath_), stamp);
}

void LabelStore::checkNotChanged(const LabelSaveOptions& options) {
  const FileStamp now = fileStamp(sidecarPath_);
  if (now == base_) return;
  LabelsDocument disk;
  if (now.exists) {
    disk = readLabelsFile(sidecarPath_);
    // Touched or copied back, but the same labels: not a conflict.
    if (base_.exists && disk.current.revision == document_.current.revision &&
        labelSetChecksum(disk.current.labels) == baseChecksum_) {
      base_ = now;
      return;
    }
  }
  if (!options.force) {
    const std::string theirs = now.exists
                                   ? "revision " + std::to_string(disk.current.revision) + " by " +
                                         disk.current.author + " at " + disk.current.time
                                   : "the file was removed";
    throw Error(sidecarPath_.string(),
                "changed on disk since these labels were loaded (loaded revision " +
                    std::to_string(document_.current.revision) + "; on disk now: " + theirs +
                    "); another window or the CLI saved labels for this session",
                "reload the labels and redo the edits, or save with force: your labels become "
                "the newest revision and the other writer's stay in the history");
  }
  // Forced: the other writer's current version goes into the history below ours.
  if (now.exists) adoptDisk(std::move(disk), now);
  base_ = now;
}

const LabelVersion& LabelStore::save(const LabelSet& labels, const LabelSaveOptions& options) {
  const SaveLock lock(sidecarPath_);
  checkNotChanged(options);
  LabelVersion next;
  next.revision = document_.current.revision + 1;
  for (const auto& old : document_.history)
    next.revision = std::max(next.revision, old.revision + 1);
  next.author = defaultAuthor(options.author);
  next.time = utcNowIso8601();
  next.note = options.note;
  next.labels = labels;
  LabelsDocument updated;
  updated.session = sessionPath_.filename().string();
  updated.historyLimit = options.historyLimit;
  updated.current = std::move(next);
  const std::string mainText = serializeLabelsDocument(updated);  // also checks the labels
  // First the replaced version into the history, then the new current version into place: a
  // kill between the two leaves a history line the reader drops (revision not below current).
  std::string replacedLine;
  if (options.historyLimit > 0) {
    replacedLine = serializeLabelVersion(document_.current, true);
    appendLabelHistory(historyPath_, replacedLine);
    ++historyLines_;
  }
  writeTextAtomically(sidecarPath_, mainText, "the labels file");
  // On disk now; the store follows.
  std::vector<std::string> text;
  if (options.historyLimit > 0) {
    updated.history.push_back(std::move(document_.current));
    text.push_back(std::move(replacedLine));
    for (std::size_t i = 0; i < document_.history.size() && text.size() < options.historyLimit;
         ++i) {
      updated.history.push_back(std::move(document_.history[i]));
      text.push_back(std::move(historyText_[i]));
    }
  }
  document_ = std::move(updated);
  historyText_ = std::move(text);
  base_ = fileStamp(sidecarPath_);
  baseChecksum_ = labelSetChecksum(labels);
  if (historyLines_ > 2 * std::max<std::size_t>(options.historyLimit, 1)) {
    rewriteLabelHistory(historyPath_, historyText_);  // compaction: the kept versions only
    historyLines_ = historyText_.size();
  }
  if (!options.keepJournal) discardLabelJournal(sessionPath_);
  return document_.current;
}

const LabelVersion& LabelStore::restore(int revision, const LabelSaveOptions& options) {
  const LabelVersion* found = document_.current.revision == revision ? &document_.current : nullptr;
  for (const auto& version : document_.history)
    if (!found && version.revision == revision) found = &version;
  if (!found)
    throw Error(sidecarPath_.string(), "has no revision " + std::to_string(revision),
                "list the kept revisions with `imuwb labels history`");
  const LabelSet labels = found->labels;  // save() replaces the history found points into
  LabelSaveOptions restoreOptions = options;
  if (restoreOptions.note.empty())
    restoreOptions.note = "restored revision " + std::to_string(revision);
  return save(labels, restoreOptions);
}

}  // namespace imuwb
