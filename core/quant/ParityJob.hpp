#pragma once
// `imuwb parity` as a job: stream the same windows through two sources (backends run live, or
// recorded outputs), compare every manifest output, and for a quantized side add input-clipping
// detection and the per-layer noise analysis. Returns a plain ParityResult (reports, CLI exit
// codes and the GUI parity view all read it).
//
// It lives in core/quant rather than core/analysis because it needs windowing (pipeline) and
// the quantizer, which themselves depend on analysis; analysis keeps the pure metrics.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/ParityResult.hpp"
#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"
#include "quant/NoiseAnalysis.hpp"
#include "quant/RecordedOutputs.hpp"
#include "runtime/Backend.hpp"

namespace imuwb::quant {

// One side of the comparison: exactly one of backend (already loaded with the bundle) and
// recorded is set.
struct ParitySide {
  Backend* backend = nullptr;
  const RecordedOutputs* recorded = nullptr;
};

struct ParityOptions {
  std::vector<std::filesystem::path> sessions;  // windows from session files, or
  std::filesystem::path inputsNpy;              // windows from an .npy (model layout or NHWC)
  int stride = 50;
  std::vector<std::string> devices;  // session device per H index; empty = manifest's
  bool shareDevice = false;          // a device may feed several H indices (--share-device)
  std::size_t maxWindows = 0;        // 0 = all
  std::size_t blockWindows = 256;
  // Tolerance overrides: output name -> min cosine ("" = every output). Beat the manifest.
  std::map<std::string, double> minCosine;
  std::optional<double> minTop1Agreement;
  std::optional<double> minSnr_db;
  double motifThreshold = 0.5;
  bool layerAnalysis = true;  // per-layer noise when a side is quantized
  NoiseAnalysisOptions noise;
  double inputClipErrorFraction = 0.01;  // input clipping above this fraction is an error
  bool resample = false;  // sessions at another rate than the model's: resample on the fly
};

// Throws imuwb::Error for usage or input problems (no windows source, unknown output in
// min_cosine, recorded outputs that do not line up with the windows), Cancelled on cancel.
analysis::ParityResult runParity(const ModelBundle& bundle, ParitySide a, ParitySide b,
                                 const ParityOptions& options, const JobControl& control = {});

// The tolerance each output gets: contract default for the comparison, the manifest's parity
// thresholds, then the flags.
analysis::Tolerance toleranceFor(const ModelBundle& bundle, const OutputSpec& output,
                                 bool quantized, const ParityOptions& options);

}  // namespace imuwb::quant
