#pragma once
// The history of a side-car labels file: S.h5 -> S.labels.history.jsonl, the versions saved
// before the current one, one version per line (LabelsFile.hpp's VERSION on one line), oldest
// first. A save appends one line (the version it replaces) and fsyncs, so it writes the size of
// one version, not of the whole history; the file is compacted (rewritten atomically, newest
// versions kept) when it holds twice the history limit.
// A kill during an append leaves a last line without its newline: readers ignore it and the
// next append cuts it off first. Any other unreadable line is an error. A version whose revision
// is not below the current one (an append whose save never reached the rename) is dropped.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "labels/LabelsFile.hpp"

namespace imuwb {

std::filesystem::path labelHistoryPath(const std::filesystem::path& sessionPath);

struct LabelHistory {
  std::vector<LabelVersion> versions;  // newest first, one per revision, all below current
  std::size_t lines = 0;               // complete lines in the file (what compaction counts)
};

// An empty history when the file does not exist. Throws imuwb::Error for a malformed line.
LabelHistory readLabelHistory(const std::filesystem::path& path, int currentRevision);
// Appends versionLine (serializeLabelVersion(version, true)) as one line, then fsyncs.
void appendLabelHistory(const std::filesystem::path& path, const std::string& versionLine);
// Replaces the file with versions (newest first; written oldest first) through writeAtomically.
void rewriteLabelHistory(const std::filesystem::path& path,
                         const std::vector<std::string>& newestFirstLines);

}  // namespace imuwb
