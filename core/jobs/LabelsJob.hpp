#pragma once
// `labels`: a session's labels as files, for the CLI (`imuwb labels export|import|diff|history|
// restore|embed`) and the review GUI. The labels in effect are the side-car labels file's
// (S.labels.json, labels/LabelStore.hpp) when there is one, else those embedded in the session.
// Nothing here writes into a session file: import and restore save the side-car, embed writes
// a new session file.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "labels/LabelAgreement.hpp"
#include "labels/LabelStore.hpp"

namespace imuwb::jobs {

// The session's label store (side-car or embedded labels). Throws imuwb::Error for a bad
// session or an unreadable side-car.
LabelStore openLabelStore(const std::filesystem::path& session);

struct LabelsExportOptions {
  std::filesystem::path session;
  std::filesystem::path output;  // CSV start,end,label,note
  int revision = -1;             // -1: the current labels; else a kept revision
  bool force = false;            // replace an existing output
};
struct LabelsExportResult {
  std::filesystem::path output;
  int revision = 0;
  std::size_t intervals = 0;
  std::filesystem::path labelsFile;  // the side-car read, empty for embedded labels
};
LabelsExportResult runLabelsExport(const LabelsExportOptions& options);

struct LabelsImportOptions {
  std::filesystem::path session;
  std::filesystem::path csv;
  std::string author;  // empty: $USER
  std::string note;
  bool force = false;  // save over another writer's newer side-car (theirs stays in history)
};
struct LabelsSaveResult {
  std::filesystem::path labelsFile;
  int revision = 0;
  std::size_t intervals = 0;
};
LabelsSaveResult runLabelsImport(const LabelsImportOptions& options);

struct LabelsRestoreOptions {
  std::filesystem::path session;
  int revision = 0;
  std::string author, note;
};
LabelsSaveResult runLabelsRestore(const LabelsRestoreOptions& options);

struct LabelsDiffOptions {
  // Each a session (.h5: its labels in effect), a side-car (.labels.json: its current version)
  // or a label CSV.
  std::filesystem::path a, b;
  double gridRateHz = 0;  // 0: the first session's sample rate, else 100 Hz
};
struct LabelsDiffResult {
  LabelAgreement agreement;
  std::size_t intervalsA = 0, intervalsB = 0;
};
LabelsDiffResult runLabelsDiff(const LabelsDiffOptions& options);
// The labels of a session, side-car or CSV, as diff reads them.
LabelSet readLabelsFrom(const std::filesystem::path& path, double* sessionRateHz = nullptr);

// The side-car's versions, current first (only the embedded labels when there is none).
std::vector<LabelVersion> runLabelsHistory(const std::filesystem::path& session);

struct LabelsEmbedOptions {
  std::filesystem::path session;
  std::filesystem::path output;  // the new session file
  bool force = false;
  // The labels to embed; nullopt: the labels in effect (the side-car's current version). The
  // review GUI passes the labels it shows, saved or not.
  std::optional<LabelSet> labels;
};
LabelsSaveResult runLabelsEmbed(const LabelsEmbedOptions& options, const JobControl& control = {});

}  // namespace imuwb::jobs
