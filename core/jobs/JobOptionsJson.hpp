#pragma once
// Every field of a job's options as JSON: what a run was asked to do, in one comparable
// document. Tests use it to prove that the CLI and the GUI build identical options for the same
// choices; a field added to an options struct must be added here too.
#include <nlohmann/json.hpp>

#include "jobs/CalibExportJob.hpp"
#include "jobs/ConvertJob.hpp"
#include "jobs/DriftJob.hpp"
#include "jobs/EvaluateJob.hpp"
#include "jobs/GenerateJob.hpp"
#include "jobs/ImportJob.hpp"
#include "jobs/ParityJob.hpp"
#include "jobs/RunJob.hpp"
#include "jobs/RunModelJob.hpp"

namespace imuwb::jobs {

nlohmann::json toJson(const Int8Choices& choices);
nlohmann::json toJson(const RunJobOptions& options);
nlohmann::json toJson(const RunModelJobOptions& options);
nlohmann::json toJson(const ParityJobOptions& options);
nlohmann::json toJson(const DriftJobOptions& options);
nlohmann::json toJson(const EvaluateJobOptions& options);
nlohmann::json toJson(const CalibExportJobOptions& options);
nlohmann::json toJson(const ImportJobOptions& options);
nlohmann::json toJson(const GenerateJobOptions& options);
nlohmann::json toJson(const ConvertJobOptions& options);

}  // namespace imuwb::jobs
