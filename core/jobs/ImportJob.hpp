#pragma once
// `import`: read a recording (CSV, sidecar JSON window or a session file, by extension), add
// label intervals, validate, and write it as a new session file. Never writes over its input.
#include <filesystem>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "jobs/RecordingImport.hpp"
#include "session/ImportOptions.hpp"

namespace imuwb::jobs {

struct ImportJobOptions {
  std::filesystem::path input;   // the recording
  std::filesystem::path output;  // the session file to write (.h5)
  std::filesystem::path labels;  // label intervals CSV (start,end,label in seconds); optional
  ImportOptions import;          // units, sample rate, device name
  bool force = false;            // overwrite an existing output
};

struct ImportJobResult {
  RecordingKind kind = RecordingKind::Csv;
  // As written (sourcePath empty: a new file). A CSV import streams its rows to the file, so
  // its devices hold no samples here: sampleCount is the number of rows written.
  Session session;
  std::size_t sampleCount = 0;
  std::vector<Finding> report;      // the importer's decisions, then the labels note
  std::vector<Finding> validation;  // validateSession on what was written
};

// A CSV recording streams through (session/CsvImport.hpp): read twice, written block by block,
// validated as the blocks go by, so memory does not grow with the file.
// Throws imuwb::Error (input is the output, output exists without force, unreadable input or
// labels) or Cancelled (nothing is left at output then). progress reports reading; writing
// reports through writing (the CLI draws two bars).
ImportJobResult runImportJob(const ImportJobOptions& options, const JobControl& reading = {},
                             const JobControl& writing = {});

}  // namespace imuwb::jobs
