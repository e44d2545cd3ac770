#pragma once
// `evaluate` as the user asks for it: a model on labelled sessions, one backend or two, judged
// against the labels (decisions, probability calibration, conformal sets) and gated on
// thresholds. Windows come from the window feed with the label rule `run` uses; the metrics are
// core/eval's. `imuwb evaluate` (and the GUI's evaluation panel) map their choices to
// EvaluateJobOptions; the defaults below are the only ones. docs/evaluate.md has the definitions.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "eval/Evaluation.hpp"
#include "eval/EvaluationResult.hpp"
#include "jobs/Int8Choices.hpp"
#include "jobs/ReportFiles.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/Windower.hpp"

namespace imuwb::jobs {

struct EvaluateJobOptions {
  std::vector<std::filesystem::path> sessions;  // labelled session files
  std::string backend = "cpu";                  // side A
  std::string compareBackend;                   // side B; empty = none
  std::map<std::string, std::string>
      backendSettings;  // registry settings of side A (edgeinfer: url)
  std::map<std::string, std::string> compareSettings;  // of side B
  Int8Choices int8;  // for an int8 side (--calib or --quant-params)
  int threads = 1;   // engine threads per backend
  int stride = 50;
  LabelRule labelRule = LabelRule::CentreSample;  // run's rule, and run's default
  std::vector<std::string> devices;               // session device per H index; empty = the model's
  bool shareDevice = false;
  bool resample = false;          // resample sessions to the model's rate on the fly
  std::size_t maxWindows = 0;     // 0 = all
  double calibrationSplit = 0.5;  // fraction of labelled windows that calibrate
  std::size_t splitBlock = 20;    // consecutive windows kept on one side of the split
  double alpha = 0.1;             // conformal miscoverage level
  eval::Thresholds thresholds;    // --min-accuracy, --max-ece, --min-coverage
  ReportFiles reports;            // --report (JSON), --html, --junit
  bool force = false;             // replace existing reports
};

using EvaluateJobResult = eval::EvaluationResult;

// Every window of the sessions run through the sides: what eval::evaluate reads, plus what the
// window feed skipped. The batch evaluation (core/batch) tallies this per recording.
struct EvaluateGathered {
  eval::EvalInput input;
  std::size_t skippedGap = 0, skippedNan = 0;
  std::vector<std::string> unknownClasses;  // session classes the model lacks
};

// The checks of runEvaluateJob except the output paths (no reports are written), then the
// windows. Throws imuwb::Error for bad choices or inputs, Cancelled on cancel.
EvaluateGathered gatherEvaluation(const ModelBundle& bundle, const EvaluateJobOptions& options,
                                  const JobControl& control = {});

// Before any work, the output-path policy refuses a report that is an input (model, sessions,
// calibration, parameters) or another report, or that exists without force. Throws imuwb::Error
// for bad choices or inputs (a calibration split too small for alpha among them), Cancelled on
// cancel. Thresholds that fail are in the result (passed() false), not an error.
EvaluateJobResult runEvaluateJob(const ModelBundle& bundle, const EvaluateJobOptions& options,
                                 const JobControl& control = {});

}  // namespace imuwb::jobs
