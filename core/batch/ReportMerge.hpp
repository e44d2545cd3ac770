#pragma once
// `imuwb report merge`: folds a batch's per-recording results (batch/ResultFiles) into one
// report. The plan (OUT_DIR/_batch/plan.json) says which recordings to expect; each "ok" result
// adds its sufficient statistics in the plan's order, so the merged figures are those of one run
// over every recording: counts and confusion matrices exactly, sums to rounding (docs/scale.md).
// Recordings without a result are missing; "failed" ones are listed with their error; a result
// whose identity (model, options, imuwb version) differs from the others' is listed as failed
// ("stale"), not merged.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace imuwb::batch {

struct FailedRecording {
  std::string key, session, where, problem, fix;
};

struct MergedReport {
  std::string kind;
  std::size_t planned = 0, ok = 0;
  std::vector<std::string> missing;
  std::vector<FailedRecording> failed;
  nlohmann::json identity;    // the merged results' model and options
  nlohmann::json metrics;     // parity/drift: outputs; evaluate: counts, sides, comparison
  bool metricsPassed = true;  // parity/drift tolerances
  bool complete() const { return missing.empty() && failed.empty(); }
};

// Throws imuwb::Error when OUT_DIR holds no plan or results cannot be merged (another model).
MergedReport mergeResults(const std::filesystem::path& outDir);

nlohmann::json mergedReportJson(const MergedReport& report);
// Written atomically; each path may be empty.
void writeMergedReports(const MergedReport& report, const std::filesystem::path& json,
                        const std::filesystem::path& html, const std::filesystem::path& junit);

// `imuwb report merge` as a job: the output-path policy first (a report must not be a result or
// the plan, nor exist without force), then mergeResults and the reports.
struct MergeJobOptions {
  std::filesystem::path outDir, json, html, junit;
  bool force = false;
};
MergedReport runMergeJob(const MergeJobOptions& options);

}  // namespace imuwb::batch
