#include "jobs/ImportJob.hpp"

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "session/LabelCsv.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionValidator.hpp"

namespace imuwb::jobs {

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
    result.session.classes = track.classes;
    result.session.labels = track.labels;
    Finding note;
    note.code = "labels_imported";
    note.message = std::to_string(track.labels.size()) + " label intervals, " +
                   std::to_string(track.classes.size()) + " classes from " +
                   options.labels.string();
    result.report.push_back(note);
  }
  result.session.sourcePath.clear();  // the output is a new file
  result.validation = validateSession(result.session);
  saveSession(result.session, output, writing);
  return result;
}

}  // namespace imuwb::jobs
