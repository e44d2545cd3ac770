#pragma once
// Which reader a recording goes through, decided once from its extension for every shell:
// `imuwb import`, and the GUI's Open / drop. Then reads it into a Session.
#include <filesystem>
#include <string_view>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "session/ImportOptions.hpp"
#include "session/Session.hpp"

namespace imuwb::jobs {

enum class RecordingKind {
  Csv,         // .csv .tsv .txt: header-mapped columns (importCsv)
  JsonWindow,  // .json: one sidecar request window {"x": [[9] x 100]} (importJsonWindow)
  Session,     // .h5 .hdf5: an imuwb session file (loadSession)
};

// Case-insensitive, by extension. Throws imuwb::Error naming the file and the accepted
// extensions for anything else.
RecordingKind recordingKindOf(const std::filesystem::path& path);
std::string_view recordingKindName(RecordingKind kind);

struct RecordingRead {
  RecordingKind kind = RecordingKind::Session;
  Session session;              // contract units; sourcePath = the file read
  std::vector<Finding> report;  // the importer's decisions (units, rate, columns); none for .h5
  RowLines rowLines;            // CSV: the file line of each row
};

// Reads path with the reader its kind calls for; options apply to CSV and JSON imports.
// Throws imuwb::Error naming the file, or Cancelled.
RecordingRead readRecording(const std::filesystem::path& path, const ImportOptions& options = {},
                            const JobControl& control = {});

}  // namespace imuwb::jobs
