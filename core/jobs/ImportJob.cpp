#include "jobs/ImportJob.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "session/CsvImport.hpp"
#include "session/LabelCsv.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"

namespace imuwb::jobs {

namespace {

// Where a CSV recording streams: a SessionWriter (a temporary file beside the target, renamed
// on finish, removed on error or cancel) and the StreamingValidator, both fed block by block, so
// neither the rows nor the file are ever held whole.
class CsvSessionFileSink : public CsvImportSink {
 public:
  // writing reports the rows written and is checked for cancel between blocks.
  CsvSessionFileSink(std::filesystem::path output, const JobControl& writing);

  void begin(const Session& layout, bool explicitTime, std::size_t rows) override;
  void rows(const RowBlock& block) override;

  // Labels (classes in order of first use), validation of everything fed, then the rename.
  // Returns the validation findings.
  std::vector<Finding> finish(const std::vector<std::string>& classes,
                              const std::vector<LabelInterval>& labels, double duration_s);

 private:
  std::filesystem::path output_;
  const JobControl& writing_;
  std::optional<SessionWriter> writer_;
  std::optional<StreamingValidator> validator_;
  bool explicitTime_ = false;
  double rate_ = 0;
  std::size_t total_ = 0, written_ = 0;
  std::vector<double> uniform_;  // row times of a session without a time column
};

CsvSessionFileSink::CsvSessionFileSink(std::filesystem::path output, const JobControl& writing)
    : output_(std::move(output)), writing_(writing) {}

void CsvSessionFileSink::begin(const Session& layout, bool explicitTime, std::size_t rows) {
  SessionWriterOptions options;
  options.sampleRateHz = layout.sampleRateHz;
  options.startTime = layout.startTime;
  options.metadata = layout.metadata.is_object() ? layout.metadata : nlohmann::json::object();
  options.explicitTime = explicitTime;
  std::vector<std::string> names;
  std::vector<int> channels;
  for (const auto& device : layout.devices) {
    names.push_back(device.name);
    channels.push_back(device.channels);
  }
  options.deviceNames = names;
  options.deviceChannels = channels;
  writer_.emplace(SessionWriter::create(output_, options));
  validator_.emplace(names, layout.sampleRateHz, ValidationOptions{}, channels);
  explicitTime_ = explicitTime;
  rate_ = layout.sampleRateHz;
  total_ = std::max<std::size_t>(rows, 1);
}

void CsvSessionFileSink::rows(const RowBlock& block) {
  writing_.throwIfCancelled();
  const double* time = block.time_s;
  if (!time) {  // the uniform clock validation reads rows by (row / rate)
    uniform_.resize(block.count);
    for (std::size_t i = 0; i < block.count; ++i)
      uniform_[i] = static_cast<double>(block.first + i) / rate_;
    time = uniform_.data();
  }
  if (explicitTime_) {
    writer_->appendTime(time, block.count);
    validator_->addTime(time, block.count);
  }
  for (std::size_t d = 0; d < block.rows.size(); ++d) {
    writer_->appendRows(d, block.rows[d], block.count);
    validator_->addBlock(d, block.rows[d], time, block.count);
  }
  written_ += block.count;
  writing_.report(0.95 * static_cast<double>(written_) / static_cast<double>(total_), "writing");
}

std::vector<Finding> CsvSessionFileSink::finish(const std::vector<std::string>& classes,
                                                const std::vector<LabelInterval>& labels,
                                                double duration_s) {
  validator_->checkLabels(classes, labels, duration_s);
  std::vector<Finding> findings = validator_->finish();
  std::vector<std::string> allClasses = classes;
  for (const auto& label : labels)
    if (std::find(allClasses.begin(), allClasses.end(), label.label) == allClasses.end())
      allClasses.push_back(label.label);
  writer_->setLabels(allClasses, labels);
  writer_->finish();
  writing_.report(1.0, "saved");
  return findings;
}

// The row of the first time at or after start_s in the written file (time is ascending).
std::size_t rowAtTime(const SessionReader& reader, double start_s) {
  std::size_t low = 0, high = reader.header().sampleCount;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    if (reader.readTime(middle, 1)[0] < start_s)
      low = middle + 1;
    else
      high = middle;
  }
  return low;
}

// Validation counts rows from 0; a user reading a text recording counts file lines. Each
// "row N" becomes "file line L (row N)", and a finding with only a time range gets the line of
// its first row (found in the written file's times).
void nameStreamedFileLines(std::vector<Finding>& findings, const std::filesystem::path& written,
                           std::size_t rows, const RowLines& lines) {
  std::optional<SessionReader> reader;
  for (auto& finding : findings) {
    const std::string told = withFileLines(finding.message, lines);
    const bool replaced = told != finding.message;
    finding.message = told;
    if (replaced || !(finding.start_s == finding.start_s) || rows == 0) continue;
    if (!reader) reader.emplace(SessionReader::open(written));
    const std::size_t row = std::min(rowAtTime(*reader, finding.start_s), rows - 1);
    finding.message += " (file line " + std::to_string(lines.lineOf(row)) + ")";
  }
}

LabelTrack readLabelsFile(const std::filesystem::path& labels, std::size_t inlineCount,
                          Finding& note) {
  const LabelTrack track = readLabelCsv(labels);
  note.code = "labels_imported";
  note.message = std::to_string(track.labels.size()) + " label intervals, " +
                 std::to_string(track.classes.size()) + " classes from " + labels.string() +
                 (inlineCount > 0 ? " (they replace the " + std::to_string(inlineCount) +
                                        " intervals of the inline label column)"
                                  : "");
  return track;
}

// A CSV recording: streamed from the text to the session file.
// --labels: the file's intervals replace what the recording brought (inline labels included).
void replaceLabels(const std::filesystem::path& labels, ImportJobResult& result) {
  Finding note;
  LabelTrack track = readLabelsFile(labels, result.session.labels.size(), note);
  result.session.classes = std::move(track.classes);
  result.session.labels = std::move(track.labels);
  result.report.push_back(note);
}

ImportJobResult importCsvJob(const ImportJobOptions& options, const JobControl& reading,
                             const JobControl& writing) {
  CsvSessionFileSink sink(options.output, writing);
  CsvImportSummary summary = streamCsv(options.input, options.import, sink, reading);
  ImportJobResult result;
  result.kind = RecordingKind::Csv;
  result.report = std::move(summary.report);
  result.session = std::move(summary.session);
  result.sampleCount = summary.rows;
  if (!options.labels.empty()) replaceLabels(options.labels, result);
  result.session.sourcePath.clear();  // the output is a new file
  const double duration =
      summary.lastTime_s - summary.firstTime_s + 1.0 / result.session.sampleRateHz;
  result.validation = sink.finish(result.session.classes, result.session.labels, duration);
  nameStreamedFileLines(result.validation, options.output, summary.rows, summary.rowLines);
  return result;
}

}  // namespace

ImportJobResult runImportJob(const ImportJobOptions& options, const JobControl& reading,
                             const JobControl& writing) {
  const auto& input = options.input;
  const auto& output = options.output;
  // The one output-path policy (common/OutputPaths.hpp): a recording is never its own output.
  OutputPathCheck(options.force)
      .input(input, "input recording")
      .input(options.labels, "--labels")
      .output(output, "--out")
      .enforce();
  if (recordingKindOf(input) == RecordingKind::Csv) return importCsvJob(options, reading, writing);
  RecordingRead read = readRecording(input, options.import, reading);
  ImportJobResult result;
  result.kind = read.kind;
  result.report = std::move(read.report);
  result.session = std::move(read.session);
  result.sampleCount = result.session.sampleCount();
  if (!options.labels.empty()) replaceLabels(options.labels, result);
  result.session.sourcePath.clear();  // the output is a new file
  result.validation = validateSession(result.session);
  saveSession(result.session, output, writing);
  return result;
}

}  // namespace imuwb::jobs
