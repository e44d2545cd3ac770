#pragma once
// One result file per recording in a batch's output folder: OUT_DIR/<key>.<kind>.json, written
// atomically. It carries the identity of its inputs (the kind, the imuwb version, the model's and
// the session's SHA-256, the job's options), the status ("ok" or "failed" with the error), and
// for "ok" the kind's result with its sufficient statistics (analysis/ParityTally,
// eval/EvalTally). `--resume` skips a recording whose "ok" result has the same identity.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/Error.hpp"

namespace imuwb::batch {

inline constexpr const char* kResultFormat = "imuwb-batch-result";

struct RecordingIdentity {
  std::string kind;
  std::string modelSha256;    // empty for a kind without a model (coverage)
  std::string sessionSha256;  // of the session file's bytes
  nlohmann::json options;     // the job's options, without the per-recording paths
  nlohmann::json toJson() const;
};

// OUT_DIR/<key>.<kind>.json, and the base of the recording's other files (OUT_DIR/<key>).
std::filesystem::path resultPath(const std::filesystem::path& outDir, const std::string& key,
                                 const std::string& kind);
std::filesystem::path artefactBase(const std::filesystem::path& outDir, const std::string& key);

// An evaluate result's fit data file (eval/FitDataFile), named in the record. Throws
// imuwb::Error when the record names none.
std::filesystem::path fitDataOf(const std::filesystem::path& resultPath,
                                const nlohmann::json& record);

// True when path holds an "ok" result of this identity (for evaluate: with its fit data intact).
bool resultIsCurrent(const std::filesystem::path& path, const RecordingIdentity& identity);

// Writes the record atomically (creating its folder).
void writeOkResult(const std::filesystem::path& path, const std::string& key,
                   const std::filesystem::path& session, const RecordingIdentity& identity,
                   const nlohmann::json& result, double seconds);
void writeFailedResult(const std::filesystem::path& path, const std::string& key,
                       const std::filesystem::path& session, const RecordingIdentity& identity,
                       const Error& error, double seconds);

// Reads a result file; nullopt when it is missing, not JSON or not a result.
std::optional<nlohmann::json> readResult(const std::filesystem::path& path);

}  // namespace imuwb::batch
