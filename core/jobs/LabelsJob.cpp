#include "jobs/LabelsJob.hpp"

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "labels/LabelSetCsv.hpp"
#include "session/EmbedLabels.hpp"
#include "session/SessionReader.hpp"

namespace imuwb::jobs {
namespace {
bool endsWith(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

LabelStore openLabelStore(const std::filesystem::path& session) {
  const auto reader = SessionReader::open(session);
  return LabelStore::open(session, reader.header().embeddedLabels);
}

LabelsExportResult runLabelsExport(const LabelsExportOptions& options) {
  OutputPathCheck(options.force)
      .input(options.session, "the session")
      .input(labelsSidecarPath(options.session), "the labels file")
      .output(options.output, "the CSV")
      .enforce();
  const LabelStore store = openLabelStore(options.session);
  const LabelVersion* version = &store.current();
  if (options.revision >= 0 && options.revision != version->revision) {
    version = nullptr;
    for (const auto& old : store.document().history)
      if (old.revision == options.revision) version = &old;
    if (!version)
      throw Error(store.sidecarPath().string(),
                  "has no revision " + std::to_string(options.revision),
                  "list the kept revisions with `imuwb labels history`");
  }
  writeLabelSetCsv(version->labels, options.output);
  return {options.output, version->revision, version->labels.intervals.size(),
          store.hasSidecar() ? store.sidecarPath() : std::filesystem::path()};
}

LabelsSaveResult runLabelsImport(const LabelsImportOptions& options) {
  const LabelSet labels = readLabelSetCsv(options.csv);
  LabelStore store = openLabelStore(options.session);
  LabelSaveOptions save{
      options.author,
      options.note.empty() ? "imported from " + options.csv.filename().string() : options.note,
      options.force};
  save.keepJournal = true;  // a workbench's unsaved edits stay recoverable (it will ask)
  const auto& saved = store.save(labels, save);
  return {store.sidecarPath(), saved.revision, saved.labels.intervals.size()};
}

LabelsSaveResult runLabelsRestore(const LabelsRestoreOptions& options) {
  LabelStore store = openLabelStore(options.session);
  LabelSaveOptions save{options.author, options.note};
  save.keepJournal = true;  // as import: not the workbench's journal to drop
  const auto& saved = store.restore(options.revision, save);
  return {store.sidecarPath(), saved.revision, saved.labels.intervals.size()};
}

LabelSet readLabelsFrom(const std::filesystem::path& path, double* sessionRateHz) {
  const std::string name = path.filename().string();
  if (endsWith(name, ".csv")) return readLabelSetCsv(path);
  if (endsWith(name, ".json")) return readLabelsFile(path).current.labels;
  const auto reader = SessionReader::open(path);
  if (sessionRateHz && *sessionRateHz <= 0) *sessionRateHz = reader.header().sampleRateHz;
  return {reader.header().classes, reader.header().labels};
}

LabelsDiffResult runLabelsDiff(const LabelsDiffOptions& options) {
  double sessionRate = 0;
  const LabelSet a = readLabelsFrom(options.a, &sessionRate);
  const LabelSet b = readLabelsFrom(options.b, &sessionRate);
  const double rate = options.gridRateHz > 0 ? options.gridRateHz
                      : sessionRate > 0      ? sessionRate
                                             : 100.0;
  return {compareLabels(a, b, rate), a.intervals.size(), b.intervals.size()};
}

std::vector<LabelVersion> runLabelsHistory(const std::filesystem::path& session) {
  const LabelStore store = openLabelStore(session);
  std::vector<LabelVersion> versions{store.current()};
  for (const auto& old : store.document().history) versions.push_back(old);
  return versions;
}

LabelsSaveResult runLabelsEmbed(const LabelsEmbedOptions& options, const JobControl& control) {
  const LabelStore store = openLabelStore(options.session);
  const LabelSet& labels = options.labels ? *options.labels : store.current().labels;
  embedLabels(options.session, labels, options.output, options.force, control);
  return {options.output, store.current().revision, labels.intervals.size()};
}

}  // namespace imuwb::jobs
