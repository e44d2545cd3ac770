#include "jobs/CalibExportJob.hpp"

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "jobs/JobFiles.hpp"
#include "quant/CalibrationPlan.hpp"

namespace imuwb::jobs {

namespace {

// The one mapping of the job's options onto the export's, for the export and its plan alike.
quant::CalibrationExportOptions exportOptionsFor(const CalibExportJobOptions& options) {
  quant::CalibrationExportOptions exportOptions;
  exportOptions.sessions = options.sessions;
  exportOptions.out = options.out;
  exportOptions.windows = options.windows;
  exportOptions.stride = options.stride;
  exportOptions.layout = options.layout;
  exportOptions.seed = options.seed;
  exportOptions.devices = options.devices;
  exportOptions.shareDevice = options.shareDevice;
  exportOptions.force = options.force;
  exportOptions.resample = options.resample;
  exportOptions.selection = {options.ranges, options.classes, options.balance};
  return exportOptions;
}

}  // namespace

quant::CalibrationLayout calibrationLayoutNamed(const std::string& name) {
  if (name == "nhwc") return quant::CalibrationLayout::Nhwc;
  if (name == "model") return quant::CalibrationLayout::Model;
  throw Error("--layout " + name, "unknown calibration layout",
              "nhwc (Hailo's --calib-set-path) or model (the manifest's layout)");
}

CalibExportJobResult runCalibExportJob(const ModelBundle& bundle,
                                       const CalibExportJobOptions& options,
                                       const JobControl& control) {
  OutputPathCheck(options.force)
      .inputs(options.sessions, "--session")
      .inputs(bundleFiles(bundle), "--model")
      .output(options.out, "--out")
      .output(options.out.empty() ? options.out : quant::calibrationManifestPath(options.out),
              "--out manifest")
      .enforce();
  return quant::exportCalibrationSet(bundle, exportOptionsFor(options), control);
}

quant::CalibrationPlan planCalibExportJob(const ModelBundle& bundle,
                                          const CalibExportJobOptions& options,
                                          const JobControl& control) {
  return quant::planCalibrationSet(bundle, exportOptionsFor(options), control);
}

}  // namespace imuwb::jobs
