#pragma once
// `calib-export`: a calibration set (.npy + <out>.json provenance) for the Hailo compiler, cut
// from sessions and preprocessed exactly as at inference. The job owns the task's defaults and
// the layout's spelling, and maps them onto quant::exportCalibrationSet.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationPlan.hpp"
#include "quant/CalibrationSetExport.hpp"

namespace imuwb::jobs {

struct CalibExportJobOptions {
  std::vector<std::filesystem::path> sessions;  // sessions to cut windows from (required)
  std::filesystem::path out;                    // the .npy; its manifest goes to <out>.json
  std::size_t windows = 1024;                   // Hailo recommends 1024 (at least 1000)
  int stride = 50;                              // training's stride
  quant::CalibrationLayout layout = quant::CalibrationLayout::Nhwc;  // Hailo's --calib-set-path
  std::uint64_t seed = 0;                                            // sampling seed
  std::vector<std::string> devices;  // session device per H index; empty = the manifest's
  bool shareDevice = false;          // a device may feed several H indices (--share-device)
  // Replace existing outputs, and write even a set with an error-level finding (single class).
  bool force = false;
  bool resample = false;  // sessions at another rate than the model's: resample on the fly
  // Selection (quant/CalibrationSelection.hpp has the rule): windows lying fully inside one of
  // the ranges (empty = whole sessions), whose label is one of the classes (empty = any), sampled
  // proportionally (None) or the same count per class (Classes).
  std::vector<quant::CalibrationRange> ranges;
  std::vector<std::string> classes;
  quant::CalibrationBalance balance = quant::CalibrationBalance::None;
};

using CalibExportJobResult = quant::CalibrationExportResult;

// "nhwc" (Hailo's --calib-set-path) or "model" (the manifest's layout). Throws imuwb::Error.
quant::CalibrationLayout calibrationLayoutNamed(const std::string& name);

// Before any work, the output-path policy refuses an out (or its <out>.json) that is an input
// (sessions, model files) or exists without force. Throws imuwb::Error for bad options or
// inputs, Cancelled on cancel (nothing left at out).
CalibExportJobResult runCalibExportJob(const ModelBundle& bundle,
                                       const CalibExportJobOptions& options,
                                       const JobControl& control = {});

// What runCalibExportJob would export for the same options, without writing (out may be
// empty): the selection counts, the per-class candidates and chosen windows, the shape and the
// findings (quant/CalibrationPlan.hpp). The GUI's class-balance table shows this.
// Throws imuwb::Error for bad options or inputs, Cancelled on cancel.
quant::CalibrationPlan planCalibExportJob(const ModelBundle& bundle,
                                          const CalibExportJobOptions& options,
                                          const JobControl& control = {});

}  // namespace imuwb::jobs
