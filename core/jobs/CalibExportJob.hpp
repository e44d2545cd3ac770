#pragma once
// `calib-export`: a calibration set (.npy + <out>.json provenance) for the Hailo compiler, cut
// from sessions and preprocessed exactly as at inference. A thin job over
// quant::exportCalibrationSet that owns the layout's spelling and the option checks.
#include <string>

#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::jobs {

using CalibExportJobOptions = quant::CalibrationExportOptions;
using CalibExportJobResult = quant::CalibrationExportResult;

// "nhwc" (Hailo's --calib-set-path) or "model" (the manifest's layout). Throws imuwb::Error.
quant::CalibrationLayout calibrationLayoutNamed(const std::string& name);

// Throws imuwb::Error for bad options or inputs, Cancelled on cancel (nothing left at out).
CalibExportJobResult runCalibExportJob(const ModelBundle& bundle,
                                       const CalibExportJobOptions& options,
                                       const JobControl& control = {});

}  // namespace imuwb::jobs
