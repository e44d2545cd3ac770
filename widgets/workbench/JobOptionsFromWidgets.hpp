#pragma once
// The GUI's half of the jobs: what the user chose in the workbench (a RunRequest from the run
// panel, a ParityRequest from Run > Parity) mapped to the same core options the CLI's flags map
// to. Every default not chosen here is the job's own, so the GUI and `imuwb` cannot disagree;
// a test builds both for the same choices and compares them field by field.
#include <filesystem>

#include "EvaluationRunner.hpp"
#include "ParityRunner.hpp"
#include "RunController.hpp"
#include "jobs/ConvertJob.hpp"
#include "jobs/EvaluateJob.hpp"
#include "jobs/ParityJob.hpp"
#include "jobs/RunJob.hpp"

namespace imuwb::widgets {

// The run panel's run as `imuwb run`: the session's file, the chosen backend (its calibration
// setting as --calib), the stride, and devices only when the session lacks the model's (then
// the session's first ones in file order, as if picked with --devices).
// out is where the outputs file goes (the GUI writes a temporary one).
jobs::RunJobOptions runOptionsFor(const RunRequest& request, const std::filesystem::path& out);

// Run > Parity as `imuwb parity --a A --b B [--a-option K=V] [--b-option K=V] --calib C
// --session S --stride N` (A and B chosen in the parity view; cpu and int8 by default).
jobs::ParityJobOptions parityOptionsFor(const ParityRequest& request);

// The evaluation panel's run as `imuwb evaluate --model M --session S --backend A
// [--compare-backend B] [--calib C] --stride N --alpha X --calibration-split F`, devices chosen
// as for the run panel's run. No reports: the panel shows the result.
jobs::EvaluateJobOptions evaluateOptionsFor(const EvaluationRequest& request);

// Tools ▸ Convert for Hailo-8… as `imuwb convert MODEL --to hailo8 --out OUT
// [--input-layout nhwc] [--gemm-as-conv] [--session S [--devices D]] --windows N --threads 0
// [--force]`: the model's manifest (or its .onnx when it has none), the
// proof on the session's windows when one is chosen (devices as for the run panel's run), else
// on generated windows. No --report: the dialog shows the rewrites and the proof.
struct ConvertRequest {
  std::shared_ptr<const ModelBundle> bundle;
  std::shared_ptr<const Session> session;  // null: the proof runs on generated windows
  std::filesystem::path output;
  bool nhwc = false;
  bool gemmAsConv = false;
  std::size_t windows = 64;
  bool force = false;
};
jobs::ConvertJobOptions convertOptionsFor(const ConvertRequest& request);

}  // namespace imuwb::widgets
