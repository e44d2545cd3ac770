#pragma once
// What an evaluation fits over all its calibration windows at once, and the data it is fitted
// on, so a batch's per-recording pieces (eval/FitDataFile) join into exactly the figures one
// evaluation over every recording gives (`imuwb report merge`, docs/scale.md):
//   - temperature scaling (eval/TemperatureScaling) on the calibration split's logits, then ECE
//     and NLL on the test split's logits at the fitted T;
//   - split-conformal sets (eval/Conformal, LAC and APS) calibrated on the calibration split's
//     deployed probabilities, applied to the test split's.
// FitData holds the labelled windows' rows in window order, split by eval/CalibrationSplit; the
// concatenation of the recordings' FitData in the unsharded run's session order is that run's
// FitData, and eval::evaluate fits through fitCalibration too, so both give the same bits.
#include <string>
#include <vector>

#include "eval/Conformal.hpp"
#include "eval/Ece.hpp"
#include "eval/Evaluation.hpp"
#include "eval/TemperatureScaling.hpp"

namespace imuwb::eval {

struct FitSide {
  std::string backend;
  ProbabilityTable calibrationLogits, calibrationProbabilities;  // [calibration rows, classes]
  ProbabilityTable testLogits, testProbabilities;                // [test rows, classes]
};

struct FitData {
  std::size_t classes = 0;
  std::vector<int> calibrationLabels, testLabels;
  std::vector<FitSide> sides;  // as EvalInput::sides
};

FitData fitDataOf(const EvalInput& input);

// Appends from's rows after into's; an empty into (no classes) takes from. Throws imuwb::Error
// when the classes or the sides differ.
void appendFitData(FitData& into, const FitData& from);

// Reserves room for `rows` calibration and test rows each (capacity only: pages are touched when
// written), so appending thousands of recordings does not copy the tables over and over.
void reserveFitData(FitData& data, std::size_t calibrationRows, std::size_t testRows);

struct FittedSide {
  TemperatureFit temperature;
  CalibrationError testAfter;  // test split at the fitted T
  double nllTestAfter = 0;
  std::vector<ConformalResult> conformal;  // LAC, APS
};

// Per side of data (the sides in parallel: each side's figures are its own). Throws imuwb::Error
// when the calibration split is empty or too small for alpha (as eval::evaluate does).
std::vector<FittedSide> fitCalibration(const FitData& data, double alpha, int eceBins,
                                       const std::vector<std::string>& classNames);

// The thresholds' checks of one side, named "<backend>.min_accuracy" and so on.
std::vector<ThresholdCheck> sideChecks(const Thresholds& thresholds, const std::string& backend,
                                       double accuracy, double ece,
                                       const std::vector<ConformalResult>& conformal);

}  // namespace imuwb::eval
