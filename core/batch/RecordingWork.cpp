#include "batch/RecordingWork.hpp"

#include "analysis/ParityTally.hpp"
#include "common/Sha256.hpp"
#include "eval/EvalTally.hpp"
#include "io/ReportJson.hpp"
#include "jobs/JobOptionsJson.hpp"
#include "quant/CalibrationCoverage.hpp"

namespace imuwb::batch {

using nlohmann::json;

namespace {

json parityRecord(const analysis::ParityResult& result) {
  io::ReportJsonOptions summary;
  summary.includeSeries = false;
  summary.maxListItems = 20;
  return {{"passed", result.passed()},
          {"tally", analysis::tallyToJson(analysis::tallyOf(result))},
          {"report", io::parityReportToJson(result, summary)}};
}

}  // namespace

RecordingWork parityWork(const ModelBundle& bundle, jobs::ParityJobOptions options) {
  options.reports = {};
  return [&bundle, options](const RecordingTask& task, const JobControl& control) {
    auto one = options;
    one.compare.sessions = {task.session};
    return parityRecord(jobs::runParityJob(bundle, one, control));
  };
}

RecordingWork driftWork(const ModelBundle& bundle, jobs::DriftJobOptions options) {
  options.reports = {};
  return [&bundle, options](const RecordingTask& task, const JobControl& control) {
    auto one = options;
    one.analysis.sessions = {task.session};
    return parityRecord(jobs::runDriftJob(bundle, one, control).result);
  };
}

RecordingWork evaluateWork(const ModelBundle& bundle, jobs::EvaluateJobOptions options) {
  options.reports = {};
  return [&bundle, options](const RecordingTask& task, const JobControl& control) {
    auto one = options;
    one.sessions = {task.session};
    const auto gathered = jobs::gatherEvaluation(bundle, one, control);
    auto tally = eval::tallyOf(gathered.input);
    tally.counts.skippedGap = gathered.skippedGap;
    tally.counts.skippedNan = gathered.skippedNan;
    return json{{"tally", eval::tallyToJson(tally)},
                {"unknown_classes", gathered.unknownClasses},
                {"summary", eval::finishTallyJson(tally)}};
  };
}

RecordingWork runWork(const ModelBundle& bundle, jobs::RunJobOptions options) {
  const bool csv = !options.run.csvPath.empty();
  return [&bundle, options, csv](const RecordingTask& task, const JobControl& control) {
    auto one = options;
    one.session = task.session;
    one.run.outPath = task.artefactBase.string() + ".outputs.h5";
    one.run.csvPath = csv ? std::filesystem::path(task.artefactBase.string() + ".csv") : "";
    one.force = true;  // the batch's own output folder: a re-run replaces its outputs
    std::filesystem::create_directories(one.run.outPath.parent_path());
    const auto summary = jobs::runRunJob(bundle, one, control);
    for (const auto& f : summary.findings)
      if (f.severity == Severity::Error) throw Error(task.session.string(), f.message, f.fix);
    return json{{"outputs", one.run.outPath.filename().string()},
                {"outputs_sha256", sha256File(one.run.outPath)},
                {"windows", summary.windows},
                {"windows_skipped_gap", summary.skipped.gapWindows},
                {"windows_skipped_nan", summary.skipped.nanWindows},
                {"backend", summary.backend.name}};
  };
}

RecordingWork coverageWork(jobs::CalibCoverageJobOptions options) {
  options.report.clear();
  return [options](const RecordingTask& task, const JobControl& control) {
    auto one = options;
    one.sessions = {task.session};
    return json{{"coverage", quant::coverageJson(jobs::runCalibCoverageJob(one, control))}};
  };
}

json identityOptions(const jobs::ParityJobOptions& options) {
  auto o = options;
  o.compare.sessions.clear();
  o.reports = {};
  return jobs::toJson(o);
}

json identityOptions(const jobs::DriftJobOptions& options) {
  auto o = options;
  o.analysis.sessions.clear();
  o.reports = {};
  return jobs::toJson(o);
}

json identityOptions(const jobs::EvaluateJobOptions& options) {
  auto o = options;
  o.sessions.clear();
  o.reports = {};
  return jobs::toJson(o);
}

json identityOptions(const jobs::RunJobOptions& options) {
  auto o = options;
  o.session.clear();
  o.run.outPath.clear();
  o.run.csvPath = o.run.csvPath.empty() ? "" : "csv";
  return jobs::toJson(o);
}

json identityOptions(const jobs::CalibCoverageJobOptions& options) {
  return {{"calibration_set", options.calibrationSet.string()},
          {"calibration_sha256", sha256File(options.calibrationSet)},
          {"max_outside", options.maxOutside},
          {"devices", options.devices},
          {"report_spans", options.reportSpans}};
}

}  // namespace imuwb::batch
