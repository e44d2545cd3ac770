#pragma once
// The evaluation report as one self-contained HTML page: no scripts, no external files. Per
// backend the decision metrics, the confusion matrix and the reliability diagram (before and
// after temperature scaling) as inline SVG, the conformal results; with two backends the
// difference matrix and the flipped windows.
#include <filesystem>
#include <string>

#include "eval/EvaluationResult.hpp"

namespace imuwb::eval {

std::string evaluationHtml(const EvaluationResult& result);
void writeEvaluationHtml(const EvaluationResult& result, const std::filesystem::path& path);

}  // namespace imuwb::eval
