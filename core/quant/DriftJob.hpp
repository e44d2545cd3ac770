#pragma once
// `imuwb drift` as a job: calibrate the INT8 emulation on a calibration set, then run the
// per-layer noise analysis (both Hailo views) on windows from sessions (or on the calibration
// set itself), and check the input for clipping. Returns a ParityResult with layers set and no
// per-output comparison (kind "drift" in the report).
#include <filesystem>
#include <vector>

#include "analysis/ParityResult.hpp"
#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "quant/NoiseAnalysis.hpp"
#include "quant/QuantParams.hpp"

namespace imuwb::quant {

struct DriftOptions {
  std::filesystem::path calibration;            // .npy (model layout or NHWC), required
  std::vector<std::filesystem::path> sessions;  // analysis windows; empty = the calibration set
  int stride = 50;
  std::vector<std::string> devices;
  bool shareDevice = false;  // a device may feed several H indices (--share-device)
  QuantConfig config;        // bits, range policy, input range, what-if overrides
  bool useManifestInputRange = true;
  NoiseAnalysisOptions noise;
  double inputClipErrorFraction = 0.01;
  std::filesystem::path saveParams;  // write the derived QuantParams JSON here (optional)
  bool resample = false;  // sessions at another rate than the model's: resample on the fly
};

struct DriftOutcome {
  analysis::ParityResult result;
  QuantParams params;
};

// Throws imuwb::Error for bad inputs, Cancelled on cancel.
DriftOutcome runDrift(const ModelBundle& bundle, const DriftOptions& options,
                      const JobControl& control = {});

}  // namespace imuwb::quant
