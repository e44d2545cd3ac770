#pragma once
// `run-model`: run a bare ONNX model on .npy windows with the CPU FP32 reference engine, in the
// shape of Polygraphy's `run`, writing one .npy per output (and per tap) plus summary.json.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/JobControl.hpp"

namespace imuwb::jobs {

struct RunModelJobOptions {
  std::filesystem::path model;       // the .onnx
  std::vector<std::string> inputs;   // "[NAME=]FILE.npy", leading window dimension N
  std::filesystem::path outputDir;   // <output>.npy, taps/<tap>.npy, summary.json; empty = none
  std::string taps;                  // "all" or comma-separated ONNX names; empty = none
  int threads = 1;                   // 0 = all cores
  std::int64_t sliceWindows = 4096;  // windows per engine call (progress and cancel points)
  bool force = false;  // replace files in outputDir that exist already (common/OutputPaths.hpp)

  bool operator==(const RunModelJobOptions&) const = default;
};

struct RunModelJobResult {
  std::int64_t windows = 0;
  double engineSeconds = 0;
  double windowsPerSecond = 0;
  int threads = 1;
  bool batched = false;  // the model's windows can be split into batches
  std::string mode;      // engine::runModeName: "as declared", "batched", "window by window"
  std::string batchNote;
  // Everything above plus the model hash, the inputs and every output and tap (name, shape,
  // dtype, file): what summary.json holds.
  nlohmann::json summary;
};

// Throws imuwb::Error (unreadable model or inputs, inputs that do not fit, an output that is an
// input or exists without force) or Cancelled.
RunModelJobResult runRunModelJob(const RunModelJobOptions& options, const JobControl& control = {});

}  // namespace imuwb::jobs
