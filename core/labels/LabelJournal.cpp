#include "labels/LabelJournal.hpp"

#include <system_error>

#include "common/AtomicFile.hpp"
#include "common/SafeRead.hpp"
#include "labels/LabelsFile.hpp"

namespace imuwb {

// The journal is a labels document whose current version is the unsaved edits: one format, one
// parser. Its revision is the base revision, its note says what it is.
namespace {
constexpr const char* kJournalNote = "unsaved edits (autosave journal)";
}

std::filesystem::path labelJournalPath(const std::filesystem::path& sessionPath) {
  auto path = sessionPath;
  path.replace_extension(".labels.journal.json");
  return path;
}

void writeLabelJournal(const std::filesystem::path& sessionPath, const LabelJournal& journal) {
  LabelsDocument document;
  document.session = sessionPath.filename().string();
  document.current.revision = journal.baseRevision;
  document.current.author = journal.author;
  document.current.time = journal.time.empty() ? utcNowIso8601() : journal.time;
  document.current.note = kJournalNote;
  document.current.labels = journal.labels;
  writeTextAtomically(labelJournalPath(sessionPath), serializeLabelsDocument(document),
                      "the labels autosave journal");
}

std::optional<LabelJournal> readLabelJournal(const std::filesystem::path& sessionPath) {
  const auto path = labelJournalPath(sessionPath);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return std::nullopt;
  const LabelsDocument document = readLabelsFile(path);
  LabelJournal journal;
  journal.baseRevision = document.current.revision;
  journal.time = document.current.time;
  journal.author = document.current.author;
  journal.labels = document.current.labels;
  return journal;
}

void discardLabelJournal(const std::filesystem::path& sessionPath) {
  std::error_code error;
  std::filesystem::remove(labelJournalPath(sessionPath), error);
}

}  // namespace imuwb
