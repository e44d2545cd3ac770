#include "batch/RecordingWork.hpp"

#include "analysis/ParityTally.hpp"
#include "common/Sha256.hpp"
#include "eval/EvalTally.hpp"
#include "eval/FitDataFile.hpp"
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

json optionalJson(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

std::filesystem::path fitDataPath(const std::filesystem::path& artefactBase) {
  return artefactBase.string() + ".evaluate.fit";
}

json fitSettingsJson(const eval::EvalSettings& s) {
  return {{"alpha", s.alpha},
          {"min_accuracy", optionalJson(s.thresholds.minAccuracy)},
          {"max_ece", optionalJson(s.thresholds.maxEce)},
          {"min_coverage", optionalJson(s.thresholds.minCoverage)}};
}

FitSettings fitSettingsFromJson(const json& j) {
  auto optional = [&](const char* key) {
    const auto& v = j.at(key);
    return v.is_null() ? std::optional<double>() : std::optional<double>(v.get<double>());
  };
  FitSettings s;
  s.alpha = j.at("alpha").get<double>();
  s.thresholds.minAccuracy = optional("min_accuracy");
  s.thresholds.maxEce = optional("max_ece");
  s.thresholds.minCoverage = optional("min_coverage");
  return s;
}

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
    // The per-window data the merge fits temperature and conformal sets on, written before the
    // result (which names it), so a result never exists without its fit data.
    const auto fitPath = fitDataPath(task.artefactBase);
    std::filesystem::create_directories(fitPath.parent_path());
    const auto digest = eval::writeFitData(eval::fitDataOf(gathered.input), fitPath);
    return json{{"tally", eval::tallyToJson(tally)},
                {"fit",
                 {{"file", fitPath.filename().string()},
                  {"bytes", digest.bytes},
                  {"sha256", digest.sha256}}},
                {"fit_settings", fitSettingsJson(gathered.input.settings)},
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
