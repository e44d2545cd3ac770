#pragma once
// `drift`: per-layer INT8 quantization noise (both Hailo analyze-noise views) and input
// clipping, calibrated on int8.calibration. A thin job over quant::runDrift that owns how the
// int8 choices become a quantization config.
#include "common/JobControl.hpp"
#include "jobs/Int8Choices.hpp"
#include "jobs/ReportFiles.hpp"
#include "model/ModelBundle.hpp"
#include "quant/DriftJob.hpp"

namespace imuwb::jobs {

struct DriftJobOptions {
  Int8Choices int8;  // calibration (required), bits, range, weights, what-ifs
  int threads = 1;   // engine threads for the analysis
  // Windows, devices, analysis and saveParams. Its calibration and config are ignored: they
  // come from int8.
  quant::DriftOptions analysis;
  ReportFiles reports;  // report files to write (none by default)
  bool force = false;   // replace existing reports and parameter files
};

using DriftJobResult = quant::DriftOutcome;

// Before any work, the output-path policy refuses a report or parameter file that is an input
// (model, calibration set, sessions) or another output, or that exists without force. Writes
// the reports when asked. Throws imuwb::Error for bad choices or inputs, Cancelled on cancel.
DriftJobResult runDriftJob(const ModelBundle& bundle, const DriftJobOptions& options,
                           const JobControl& control = {});

}  // namespace imuwb::jobs
