#pragma once
// The evaluation proper, on windows already run: labels and each backend's logits in, every
// metric of EvaluationResult out. Pure computation (no files, no backends): jobs/EvaluateJob
// gathers the windows, the tests feed this directly.
#include <cstddef>
#include <string>
#include <vector>

#include "eval/EvaluationResult.hpp"
#include "eval/ProbabilityTable.hpp"

namespace imuwb::eval {

struct EvalWindow {
  std::size_t session = 0;  // index into EvalInput::sessions
  std::size_t window = 0;   // the run's window number within the session
  double start_s = 0, end_s = 0;
  int label = -1;  // model class; kUnlabelled or kUnknownClass
  bool mixedLabels = false;
};
inline constexpr int kUnlabelled = -1;
inline constexpr int kUnknownClass = -2;  // a session class the model does not have

struct SidePredictions {
  std::string backend, precision;
  // Per window of EvalInput::windows: the logits divided by the manifest temperature, and their
  // softmax (the deployed probabilities).
  ProbabilityTable logits, probabilities;
};

struct EvalInput {
  std::string modelName;
  std::vector<std::string> classes, sessions, devices;
  std::vector<EvalWindow> windows;
  std::vector<SidePredictions> sides;  // one or two
  EvalSettings settings;
};

// Throws imuwb::Error for bad settings, no labelled windows, or a calibration split too small
// for alpha.
EvaluationResult evaluate(const EvalInput& input);

}  // namespace imuwb::eval
