#pragma once
// The evaluation report as JSON (the source of truth; HTML and JUnit render it). Schema in
// docs/evaluate.md, versioned by `schema_version` (kEvaluationSchemaVersion).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "eval/EvaluationResult.hpp"

namespace imuwb::eval {

nlohmann::json evaluationToJson(const EvaluationResult& result);

// Written atomically (common/AtomicFile). Throws imuwb::Error.
void writeEvaluationJson(const EvaluationResult& result, const std::filesystem::path& path);

}  // namespace imuwb::eval
