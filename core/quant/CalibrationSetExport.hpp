#pragma once
// Exports a calibration set for the Hailo Dataflow Compiler: windows cut from sessions and
// preprocessed exactly as at inference (Windower -> Normalizer -> layout), selected by time range
// and class (quant/CalibrationSelection), sampled stratified or class-balanced, saved as a
// float32 .npy plus a provenance manifest `<out>.json` (docs/evaluate.md documents its fields).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "quant/CalibrationSelection.hpp"

namespace imuwb::quant {

enum class CalibrationLayout {
  Nhwc,   // canonical [N, H, W, 9] (what Hailo's --calib-set-path takes)
  Model,  // the manifest's input layout, batch dimension = N
};

struct CalibrationExportOptions {
  std::vector<std::filesystem::path> sessions;
  std::filesystem::path out;  // the .npy; the manifest goes to <out>.json
  std::size_t windows = 1024;
  int stride = 50;
  CalibrationLayout layout = CalibrationLayout::Nhwc;
  std::uint64_t seed = 0;
  std::vector<std::string> devices;  // session device per H index; empty = manifest's
  bool shareDevice = false;          // a device may feed several H indices (--share-device)
  bool force = false;                // write even when an error-level finding was raised
  bool resample = false;           // sessions at another rate than the model's: resample on the fly
  CalibrationSelection selection;  // ranges, classes, balance (default: every window, stratified)
};

struct CalibrationExportResult {
  std::filesystem::path npyPath;
  std::filesystem::path manifestPath;
  bool written = false;       // false when refused (error finding without force)
  std::size_t available = 0;  // candidate windows (accepted by the feed and the selection)
  std::size_t exported = 0;   // windows in the .npy
  std::vector<std::int64_t> shape;
  std::map<std::string, std::size_t> classHistogram;  // of the exported windows
  SelectionCounts selection;                 // windows, candidates and why the others were excluded
  std::size_t perClass = 0;                  // balance classes: windows taken from every class
  std::vector<std::string> limitingClasses;  // balance classes: the rarest, when they limited it
  bool normalized = false;                   // the .npy holds z-scored values (else contract units)
  std::vector<Finding> findings;
  nlohmann::json manifest;  // what was (or would have been) written to <out>.json
};

// Throws imuwb::Error (unreadable sessions, unknown devices, no windows at all) or Cancelled;
// nothing is left at out then.
CalibrationExportResult exportCalibrationSet(const ModelBundle& bundle,
                                             const CalibrationExportOptions& options,
                                             const JobControl& control = {});

// The manifest path for an .npy: "<out>.json" (calib.npy -> calib.npy.json).
std::filesystem::path calibrationManifestPath(const std::filesystem::path& npy);

}  // namespace imuwb::quant
