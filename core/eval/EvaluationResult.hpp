#pragma once
// What `imuwb evaluate` measures, as plain structs the JSON, HTML and JUnit reports and the GUI
// render (docs/evaluate.md). One SideEvaluation per backend; a comparison when there are two.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "eval/CalibrationSplit.hpp"
#include "eval/Conformal.hpp"
#include "eval/Confusion.hpp"
#include "eval/Ece.hpp"
#include "eval/TemperatureScaling.hpp"

namespace imuwb::eval {

inline constexpr int kEvaluationSchemaVersion = 1;

struct Thresholds {
  std::optional<double> minAccuracy;  // every side's accuracy against the labels
  std::optional<double> maxEce;       // every side's ECE over all labelled windows, as deployed
  std::optional<double> minCoverage;  // every side's conformal coverage, LAC and APS
};

struct EvalSettings {
  SplitOptions split;
  double alpha = 0.1;
  int eceBins = kEceBins;
  Thresholds thresholds;
  std::string labelRule = "centre";
  int stride = 50;
  double manifestTemperature = 1.0;
};

struct WindowCounts {
  std::size_t windows = 0;       // accepted by the window feed
  std::size_t labelled = 0;      // with a model class: the windows every metric reads
  std::size_t unlabelled = 0;    // the label rule gave no label (unlabelled time)
  std::size_t unknownClass = 0;  // labelled with a session class the model does not have
  std::size_t mixedLabels = 0;   // labelled, but straddling a label boundary or unlabelled time
  std::size_t calibration = 0, test = 0;       // the labelled windows on each side of the split
  std::size_t skippedGap = 0, skippedNan = 0;  // never windows: straddle gaps or hold NaN/Inf
  std::vector<std::string> unknownClasses;
  std::vector<double> firstUnlabelledTimes_s;  // of the first few, per the joined sessions
};

struct CalibrationReport {
  CalibrationError all;         // every labelled window, as deployed
  CalibrationError testBefore;  // test split, as deployed
  CalibrationError testAfter;   // test split, temperature-scaled
  TemperatureFit temperature;   // fitted on the calibration split
  double nllTestBefore = 0, nllTestAfter = 0;
};

struct SideEvaluation {
  std::string backend, precision;
  // Per window of EvaluationResult::windows (labelled or not): the top class of the deployed
  // probabilities and its probability. The GUI lists a confusion cell's windows from these.
  std::vector<int> predicted;
  std::vector<float> confidence;
  ConfusionMatrix confusion;
  DecisionMetrics decisions;
  std::size_t mixedWindows = 0;  // labelled windows straddling a boundary, and the accuracy there
  double mixedAccuracy = 0;
  CalibrationReport calibration;
  std::vector<ConformalResult> conformal;  // LAC, then APS
  // Per score (LAC, then APS), per window of EvaluationResult::windows: the size of the window's
  // prediction set at that score's threshold. Every window gets a set, calibration, test or
  // unlabelled alike (on test windows it is ConformalResult::setSizes): the GUI's set-size strip.
  std::vector<std::vector<int>> windowSetSizes;
};

// One window the feed produced, as the evaluation saw it (not in the reports: the GUI's panel).
struct EvaluatedWindow {
  std::size_t session = 0;  // index into EvaluationResult::sessions
  std::size_t window = 0;   // the run's window number within that session
  double start_s = 0, end_s = 0;
  int label = -1;            // model class; -1 unlabelled, -2 a session class the model lacks
  bool mixedLabels = false;  // straddles a label boundary or unlabelled time
  bool calibration = false;  // a labelled window of the calibration split
};

struct FlippedWindow {
  std::size_t session = 0;  // index into EvaluationResult::sessions
  std::size_t window = 0;   // the run's window number within that session
  double start_s = 0, end_s = 0;
  int label = -1;    // model class, or -1 (unlabelled / a class the model lacks)
  int a = 0, b = 0;  // top class on each side
};

struct BackendComparison {
  std::vector<long long> difference;  // confusion B - A, [label][prediction]
  std::size_t windows = 0;            // every window, labelled or not
  std::size_t flips = 0;
  double agreement = 0;  // 1 - flips / windows
  std::vector<FlippedWindow> flipped;
};

struct ThresholdCheck {
  std::string name;        // "cpu.min_accuracy", "int8.min_coverage.aps"...
  std::string comparison;  // ">=" or "<="
  double value = 0, threshold = 0;
  bool passed = true;
};

struct EvaluationResult {
  std::string modelName;
  std::vector<std::string> classes;  // the model's
  std::vector<std::string> sessions;
  std::vector<std::string> devices;  // session device per H index
  EvalSettings settings;
  WindowCounts counts;
  std::vector<EvaluatedWindow> windows;  // every window, in feed order
  std::vector<SideEvaluation> sides;
  std::optional<BackendComparison> comparison;
  std::vector<ThresholdCheck> checks;
  double seconds = 0;
  bool passed() const {
    for (const auto& c : checks)
      if (!c.passed) return false;
    return true;
  }
};

}  // namespace imuwb::eval
