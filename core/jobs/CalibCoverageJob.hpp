#pragma once
// `calib-export --check`: does a calibration set cover the deployment sessions? Options in
// (the set, the sessions, the threshold, an optional JSON report), quant::CoverageResult out,
// progress and cancellation through JobControl. Sessions are streamed chunk by chunk.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "quant/CalibrationCoverage.hpp"

namespace imuwb::jobs {

struct CalibCoverageJobOptions {
  std::filesystem::path calibrationSet;         // the .npy to check (its manifest beside it)
  std::vector<std::filesystem::path> sessions;  // deployment sessions (required)
  double maxOutside = 0.01;          // warn when a channel has more than this fraction outside
  std::vector<std::string> devices;  // session devices to read; empty = every device
  std::size_t reportSpans = 5;       // first time spans named per session, device and channel
  std::filesystem::path report;      // JSON report to write (empty = none)
  bool force = false;                // replace an existing report
};

using CalibCoverageJobResult = quant::CoverageResult;

// The output-path policy runs first (the report must not be an input, nor exist without
// force). Throws imuwb::Error for bad options or inputs, Cancelled on cancel.
CalibCoverageJobResult runCalibCoverageJob(const CalibCoverageJobOptions& options,
                                           const JobControl& control = {});

}  // namespace imuwb::jobs
