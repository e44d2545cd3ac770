#pragma once
// The autosave journal of unsaved label edits: S.h5 -> S.labels.journal.json, written
// atomically (a kill leaves the previous journal) by an editor every few seconds while it has
// unsaved edits, and removed by a successful save (LabelStore::save) or when the user discards
// the edits. A journal found when a session is opened means the last editor did not close
// cleanly: offer to recover it. It records the revision it was based on, so recovering it over
// a side-car that has moved on is a conflict the save will catch.
#include <filesystem>
#include <optional>
#include <string>

#include "labels/LabelInterval.hpp"

namespace imuwb {

struct LabelJournal {
  int baseRevision = 0;  // the side-car revision the edits started from
  std::string time;      // when the journal was written (ISO 8601 UTC)
  std::string author;
  LabelSet labels;  // the edited labels
};

std::filesystem::path labelJournalPath(const std::filesystem::path& sessionPath);
void writeLabelJournal(const std::filesystem::path& sessionPath, const LabelJournal& journal);
// nullopt when there is none; throws imuwb::Error when it exists but cannot be read.
std::optional<LabelJournal> readLabelJournal(const std::filesystem::path& sessionPath);
void discardLabelJournal(const std::filesystem::path& sessionPath);

}  // namespace imuwb
