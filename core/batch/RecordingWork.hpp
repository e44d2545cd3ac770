#pragma once
// What each batch kind does with one recording: the same job the single command runs, given
// that one session, and the result that goes into its result file (batch/ResultFiles). Parity
// and drift keep analysis/ParityTally, evaluate keeps eval/EvalTally (the sufficient statistics
// `imuwb report merge` folds) and writes OUT_DIR/<key>.evaluate.fit (eval/FitDataFile: what the
// merge fits temperature and conformal sets on), run writes OUT_DIR/<key>.outputs.h5 (and .csv when
// asked), coverage keeps the coverage summary. The bundle must outlive the returned work.
#include "batch/BatchRunner.hpp"
#include "jobs/CalibCoverageJob.hpp"
#include "jobs/DriftJob.hpp"
#include "jobs/EvaluateJob.hpp"
#include "jobs/ParityJob.hpp"
#include "jobs/RunJob.hpp"

namespace imuwb::batch {

RecordingWork parityWork(const ModelBundle& bundle, jobs::ParityJobOptions options);
RecordingWork driftWork(const ModelBundle& bundle, jobs::DriftJobOptions options);
RecordingWork evaluateWork(const ModelBundle& bundle, jobs::EvaluateJobOptions options);
RecordingWork runWork(const ModelBundle& bundle, jobs::RunJobOptions options);
RecordingWork coverageWork(jobs::CalibCoverageJobOptions options);

// An evaluate recording's fit data file, beside its result.
std::filesystem::path fitDataPath(const std::filesystem::path& artefactBase);

// What the merge needs besides the data to fit and check as the unsharded run does.
struct FitSettings {
  double alpha = 0.1;
  eval::Thresholds thresholds;
};
nlohmann::json fitSettingsJson(const eval::EvalSettings& settings);
FitSettings fitSettingsFromJson(const nlohmann::json& json);  // throws nlohmann's on bad input

// The options that go into each recording's identity: the job's options without the paths a
// batch fills per recording (sessions, reports, outputs).
nlohmann::json identityOptions(const jobs::ParityJobOptions& options);
nlohmann::json identityOptions(const jobs::DriftJobOptions& options);
nlohmann::json identityOptions(const jobs::EvaluateJobOptions& options);
nlohmann::json identityOptions(const jobs::RunJobOptions& options);
nlohmann::json identityOptions(const jobs::CalibCoverageJobOptions& options);

}  // namespace imuwb::batch
