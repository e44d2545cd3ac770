#pragma once
// The side-car labels file beside a session: S.h5 -> S.labels.json. Small UTF-8 JSON that any
// JSON reader and a text editor can read, holding the current labels with author, time and note:
//   {"format": "imuwb-labels", "format_version": 1, "session": "S.h5", "history_limit": 50,
//    "current": VERSION}
//   VERSION = {"revision": 3, "author": "ana", "time": "2026-12-03T16:50:59Z", "note": "...",
//              "classes": ["rest", "walk"], "intervals": [[start_s, end_s, class_index, note]]}
// The versions saved before it live in S.labels.history.jsonl (LabelHistoryFile.hpp), so a
// save writes the current labels only, not the whole history.
// Times are written in the shortest form that reads back to the same double (exact round trip).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "labels/LabelInterval.hpp"

namespace imuwb {

inline constexpr const char* kLabelsFileFormat = "imuwb-labels";
inline constexpr int kLabelsFileFormatVersion = 1;

// S.h5 -> S.labels.json (the session's extension replaced).
std::filesystem::path labelsSidecarPath(const std::filesystem::path& sessionPath);

struct LabelVersion {
  int revision = 0;    // 0: the labels embedded in the session file (never saved in a side-car)
  std::string author;  // who saved it ($USER by default)
  std::string time;    // ISO 8601 UTC
  std::string note;    // what the save was for
  LabelSet labels;
};

struct LabelsDocument {
  std::string session;            // the session file's name (informational)
  std::size_t historyLimit = 50;  // versions of history kept (the last save's limit)
  LabelVersion current;
  std::vector<LabelVersion> history;  // newest first (from the history file; not in this file)
};

// The file's text (the current version; history is not written here). compact: the version on
// one line, as the history file holds it.
std::string serializeLabelVersion(const LabelVersion& version, bool compact = false);
std::string serializeLabelsDocument(const LabelsDocument& document);
LabelVersion parseLabelVersion(std::string_view text, const std::string& where);
// Throws imuwb::Error naming where (the file) and the entry on anything malformed: a class
// index out of range, end <= start, a non-finite time, an unknown format or a newer version.
LabelsDocument parseLabelsDocument(std::string_view text, const std::string& where);
LabelsDocument readLabelsFile(const std::filesystem::path& path);

// A fingerprint of a label set's content (SHA-256 of its canonical text), what a save was based on.
std::string labelSetChecksum(const LabelSet& labels);

// Now as ISO 8601 UTC ("2026-12-03T16:50:59Z").
std::string utcNowIso8601();

}  // namespace imuwb
