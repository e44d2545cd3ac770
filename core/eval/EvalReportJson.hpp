#pragma once
// The evaluation report as JSON (the source of truth; HTML and JUnit render it). Schema in
// docs/evaluate.md, versioned by `schema_version` (kEvaluationSchemaVersion).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "eval/EvaluationResult.hpp"

namespace imuwb::eval {

nlohmann::json evaluationToJson(const EvaluationResult& result);

// Pieces in the report's shapes, for `imuwb report merge`'s evaluate figures.
nlohmann::json eceToJson(const CalibrationError& error);
nlohmann::json temperatureToJson(const TemperatureFit& fit);
nlohmann::json conformalToJson(const ConformalResult& conformal);
nlohmann::json checksToJson(const std::vector<ThresholdCheck>& checks);

// Written atomically (common/AtomicFile). Throws imuwb::Error.
void writeEvaluationJson(const EvaluationResult& result, const std::filesystem::path& path);

}  // namespace imuwb::eval
