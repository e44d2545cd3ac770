#pragma once
// What the evaluation panel says in words about one core EvaluationResult: the decisions and
// coverage summary with every excluded window counted (never hidden), and one side's probability
// calibration (ECE before and after temperature scaling, the temperature, NLL).
#include <QString>

#include "eval/EvaluationResult.hpp"

namespace imuwb::widgets {

// Accuracy, balanced accuracy, macro F1, kappa and conformal coverage per side; the window
// counts (labelled, calibration / test, and the excluded: unlabelled, unknown class, straddling,
// gap, NaN); the backend comparison when there is one. Rich text.
QString evaluationSummaryHtml(const eval::EvaluationResult& result);

// ECE over every labelled window; ECE and NLL on the test split before and after temperature
// scaling; the fitted temperature. Rich text.
QString calibrationSummaryHtml(const eval::SideEvaluation& side);

// "12:34.5" style time of a window start, as the lists show it.
QString windowTimeText(double start_s);

}  // namespace imuwb::widgets
