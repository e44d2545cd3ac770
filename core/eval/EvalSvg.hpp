#pragma once
// The inline SVG figures of the evaluation report: a confusion matrix (counts, shaded by the
// row's share) and a reliability diagram (accuracy per confidence bin against the diagonal).
#include <string>
#include <vector>

#include "eval/Ece.hpp"

namespace imuwb::eval {

// values: [rows][columns] row-major, classes.size() squared. signedValues: shade a difference
// matrix (blue for more, red for fewer) instead of counts.
std::string confusionSvg(const std::vector<long long>& values,
                         const std::vector<std::string>& classes, bool signedValues);

// One or two diagrams overlaid (e.g. before and after temperature scaling), with legend names.
std::string reliabilitySvg(const std::vector<const CalibrationError*>& series,
                           const std::vector<std::string>& names);

}  // namespace imuwb::eval
