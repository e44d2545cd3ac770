#include "jobs/RecordingImport.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/Error.hpp"
#include "session/CsvImport.hpp"
#include "session/JsonWindowImport.hpp"
#include "session/SessionIo.hpp"

namespace imuwb::jobs {

RecordingKind recordingKindOf(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return RecordingKind::Csv;
  if (ext == ".json") return RecordingKind::JsonWindow;
  if (ext == ".h5" || ext == ".hdf5") return RecordingKind::Session;
  throw Error(path.string(), "unknown input type '" + ext + "'",
              "open a session (.h5, .hdf5), a CSV recording (.csv, .tsv, .txt: header-mapped "
              "columns) or a sidecar request window (.json: {\"x\": ...})");
}

std::string_view recordingKindName(RecordingKind kind) {
  switch (kind) {
    case RecordingKind::Csv:
      return "csv";
    case RecordingKind::JsonWindow:
      return "json-window";
    case RecordingKind::Session:
      return "session";
  }
  return "session";
}

RecordingRead readRecording(const std::filesystem::path& path, const ImportOptions& options,
                            const JobControl& control) {
  RecordingRead read;
  read.kind = recordingKindOf(path);
  switch (read.kind) {
    case RecordingKind::Csv: {
      auto imported = importCsv(path, options, control);
      read.session = std::move(imported.session);
      read.report = std::move(imported.report);
      read.rowLines = std::move(imported.rowLines);
      break;
    }
    case RecordingKind::JsonWindow: {
      auto imported = importJsonWindow(path, options, control);
      read.session = std::move(imported.session);
      read.report = std::move(imported.report);
      break;
    }
    case RecordingKind::Session:
      read.session = loadSession(path, control);
      break;
  }
  return read;
}

}  // namespace imuwb::jobs
