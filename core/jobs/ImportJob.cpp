#include "jobs/ImportJob.hpp"

#include <algorithm>
#include <cmath>

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "session/LabelCsv.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionValidator.hpp"

namespace imuwb::jobs {

namespace {

// Validation counts rows from 0; a user reading a text recording counts file lines. Each
// "row N" becomes "file line L (row N)", and a finding with only a time range gets the line of
// its first row.
void nameFileLines(std::vector<Finding>& findings, const Session& session, const RowLines& lines) {
  for (auto& finding : findings) {
    const std::string told = withFileLines(finding.message, lines);
    const bool replaced = told != finding.message;
    finding.message = told;
    if (replaced || !(finding.start_s == finding.start_s) || session.sampleCount() == 0) continue;
    std::size_t row = 0;
    if (session.time_s.empty()) {
      row = static_cast<std::size_t>(
          std::max(0.0, std::round(finding.start_s * session.sampleRateHz)));
    } else {
      row = static_cast<std::size_t>(
          std::lower_bound(session.time_s.begin(), session.time_s.end(), finding.start_s) -
          session.time_s.begin());
    }
    row = std::min(row, session.sampleCount() - 1);
    finding.message += " (file line " + std::to_string(lines.lineOf(row)) + ")";
  }
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
  RecordingRead read = readRecording(input, options.import, reading);
  ImportJobResult result;
  result.kind = read.kind;
  result.report = std::move(read.report);
  result.session = std::move(read.session);
  if (!options.labels.empty()) {
    const LabelTrack track = readLabelCsv(options.labels);
    const std::size_t inline_ = result.session.labels.size();
    result.session.classes = track.classes;
    result.session.labels = track.labels;
    Finding note;
    note.code = "labels_imported";
    note.message = std::to_string(track.labels.size()) + " label intervals, " +
                   std::to_string(track.classes.size()) + " classes from " +
                   options.labels.string() +
                   (inline_ > 0 ? " (they replace the " + std::to_string(inline_) +
                                      " intervals of the inline label column)"
                                : "");
    result.report.push_back(note);
  }
  result.session.sourcePath.clear();  // the output is a new file
  result.validation = validateSession(result.session);
  if (read.kind == RecordingKind::Csv)
    nameFileLines(result.validation, result.session, read.rowLines);
  saveSession(result.session, output, writing);
  return result;
}

}  // namespace imuwb::jobs
