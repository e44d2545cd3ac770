#pragma once
// Everything one parity or drift run produces, as plain data: the JSON/HTML/JUnit reports, the
// CLI exit code and the GUI parity view are all rendered from this struct.
#include <optional>
#include <string>
#include <vector>

#include "analysis/LayerNoise.hpp"
#include "analysis/ParityMetrics.hpp"
#include "common/Finding.hpp"

namespace imuwb::analysis {

// One "key: value" fact a backend reports about itself (Backend::details()): the edgeinfer
// sidecar's /healthz fields and determinism verdict, the hailort HEF's streams...
struct SourceDetail {
  std::string key;
  std::string value;
};

// One side of a comparison: a backend run live, or outputs recorded elsewhere.
struct SourceInfo {
  std::string label;      // "cpu", "int8", "recorded:outputs.h5"
  std::string kind;       // "backend" | "recorded"
  std::string precision;  // "fp32" | "int8" | "remote" | "unknown"
  std::string detail;     // backend version/device, or the recorded file's provenance
  std::vector<SourceDetail> details =
      {};  // the backend's details() after the run; empty for host ones
  // The backend's determinism probe ("deterministic (...)", "non-deterministic (likely a stub):
  // ..."); empty when the backend does not probe. nonDeterministic fails the comparison.
  std::string determinism = {};
  bool nonDeterministic = false;
};

// Clipping observed at the model input while running INT8 (or predicted from calibration).
struct InputClipping {
  std::string tensor;
  double rangeMin = 0.0;  // the quantized input's representable range
  double rangeMax = 0.0;
  double dataMin = 0.0;  // what the compared data actually spans
  double dataMax = 0.0;
  double clippedFraction = 0.0;  // of input values outside the range
};

struct ParityResult {
  std::string modelName;
  std::string modelSha256;
  std::vector<std::string> inputs;  // session files or the .npy given
  SourceInfo a;
  SourceInfo b;
  std::size_t windows = 0;
  std::vector<double> windowTime_s;  // start time of each compared window (or its index)
  std::vector<OutputParity> outputs;
  std::optional<LayerNoiseReport> layers;
  std::optional<InputClipping> inputClipping;
  std::vector<Finding> findings;  // input clipping, flagged layers, skipped windows...
  double seconds = 0.0;           // wall time of the run

  bool passed() const {
    for (const auto& o : outputs)
      if (!o.passed) return false;
    return !hasErrors(findings);
  }
};

}  // namespace imuwb::analysis
