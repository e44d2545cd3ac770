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
  Session session;                  // as written (sourcePath empty: a new file)
  std::vector<Finding> report;      // the importer's decisions, then the labels note
  std::vector<Finding> validation;  // validateSession on what was written
};

// Throws imuwb::Error (input is the output, output exists without force, unreadable input or
// labels) or Cancelled (nothing is left at output then). progress reports reading; writing
// reports through writing (the CLI draws two bars).
ImportJobResult runImportJob(const ImportJobOptions& options, const JobControl& reading = {},
                             const JobControl& writing = {});

}  // namespace imuwb::jobs
