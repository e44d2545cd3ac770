#pragma once
// `drift`: per-layer INT8 quantization noise (both Hailo analyze-noise views) and input
// clipping, calibrated on int8.calibration. A thin job over quant::runDrift that owns how the
// int8 choices become a quantization config.
#include "common/JobControl.hpp"
#include "jobs/Int8Choices.hpp"
#include "model/ModelBundle.hpp"
#include "quant/DriftJob.hpp"

namespace imuwb::jobs {

struct DriftJobOptions {
  Int8Choices int8;  // calibration (required), bits, range, weights, what-ifs
  int threads = 1;   // engine threads for the analysis
  // Windows, devices, analysis and saveParams. Its calibration and config are ignored: they
  // come from int8.
  quant::DriftOptions analysis;
};

using DriftJobResult = quant::DriftOutcome;

// Throws imuwb::Error for bad choices or inputs, Cancelled on cancel.
DriftJobResult runDriftJob(const ModelBundle& bundle, const DriftJobOptions& options,
                           const JobControl& control = {});

}  // namespace imuwb::jobs
