#pragma once
// The evaluation's thresholds as JUnit test cases (one per check: "cpu.min_accuracy >= 0.9"),
// for CI. Without thresholds the suite holds one passing case saying what was evaluated.
#include <filesystem>
#include <string>

#include "eval/EvaluationResult.hpp"

namespace imuwb::eval {

std::string evaluationJUnit(const EvaluationResult& result);
void writeEvaluationJUnit(const EvaluationResult& result, const std::filesystem::path& path);

}  // namespace imuwb::eval
