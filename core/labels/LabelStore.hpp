#pragma once
// The labels of one session as the workbench edits them: read from the side-car labels file
// (LabelsFile.hpp) when there is one, else the labels embedded in the session file (revision 0);
// saved only to the side-car, never into the session file.
//
// Saving without loss:
//  - the side-car is written through writeAtomically (temporary file, fsync, rename), so a kill
//    at any point leaves the old file or the new one;
//  - every save appends the version it replaces to the history file (LabelHistoryFile.hpp; at
//    most historyLimit versions are kept), so a save can be undone after a restart (restore());
//  - a save carries what it was based on (revision, content checksum and the file's identity):
//    when another writer (a second window, the CLI) saved in between, save() refuses with an
//    imuwb::Error instead of overwriting; with force it saves anyway and keeps the other
//    writer's labels in the history. Writers of one side-car are serialised by an advisory lock
//    on S.labels.json.lock, so the check and the rename cannot interleave.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "labels/LabelsFile.hpp"

namespace imuwb {

// Which file a load saw: a save compares it with the file on disk now.
struct FileStamp {
  bool exists = false;
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};
FileStamp fileStamp(const std::filesystem::path& path);

struct LabelSaveOptions {
  std::string author;             // empty: $USER, else "unknown"
  std::string note;               // what the save was for
  bool force = false;             // save over another writer's save (theirs goes to history)
  std::size_t historyLimit = 50;  // versions kept besides the current one
  // Leave the autosave journal (LabelJournal.hpp) in place: a save that is not the editor's own
  // (the CLI's import or restore) must not throw away an editor's unrecovered edits.
  bool keepJournal = false;
};

class LabelStore {
 public:
  // embedded: the labels stored in the session file, used when there is no side-car.
  // Throws imuwb::Error when a side-car exists but cannot be read (never silently ignored).
  static LabelStore open(const std::filesystem::path& sessionPath, const LabelSet& embedded);

  const std::filesystem::path& sessionPath() const { return sessionPath_; }
  const std::filesystem::path& sidecarPath() const { return sidecarPath_; }
  bool hasSidecar() const { return base_.exists; }
  const LabelsDocument& document() const { return document_; }
  const LabelVersion& current() const { return document_.current; }
  // True when the side-car on disk is no longer the file this store loaded or last saved.
  bool changedOnDisk() const;

  // Writes labels as the next revision and returns it. Throws imuwb::Error when the side-car
  // changed on disk since it was loaded (unless options.force), or when the write failed (the
  // file on disk is then unchanged). Removes the autosave journal after a successful save
  // (unless options.keepJournal).
  const LabelVersion& save(const LabelSet& labels, const LabelSaveOptions& options);
  // Saves the labels of an earlier revision (current or from the history) as a new revision.
  const LabelVersion& restore(int revision, const LabelSaveOptions& options);
  // Re-reads the side-car (after a refused save: the other writer's labels become current).
  void reload();

 private:
  LabelStore() = default;
  void adoptDisk(LabelsDocument document, const FileStamp& stamp);
  void loadHistory();
  void checkNotChanged(const LabelSaveOptions& options);

  std::filesystem::path sessionPath_, sidecarPath_;
  LabelsDocument document_;
  std::filesystem::path historyPath_;
  std::vector<std::string> historyText_;  // history lines, parallel to document_.history
  std::size_t historyLines_ = 0;          // lines in the history file (for compaction)
  FileStamp base_;
  std::string baseChecksum_;
};

}  // namespace imuwb
