#pragma once
// Per-layer quantization noise (Hailo's analyze-noise, without the Hailo SDK). Both views:
//  1. all layers quantized, SNR of each step's output against FP32, measured at that step;
//  2. only layer n quantized (its weights and output activation; the input as its own layer),
//     SNR measured at every model output.
// Layers are the engine's planned steps (after fusion), named by their ONNX node. Layers below
// the flag threshold get a suggested fix: a clipping override when calibration values clipped,
// otherwise 16-bit (a16_w16), and a bigger calibration set when it had < 1000 windows.
#include <cstdint>

#include "analysis/LayerNoise.hpp"
#include "common/JobControl.hpp"
#include "engine/InferenceSession.hpp"
#include "quant/QuantParams.hpp"

namespace imuwb::quant {

struct NoiseAnalysisOptions {
  std::int64_t maxWindows = 128;  // windows analysed (the first ones of `windows`)
  bool onlyThisLayer = true;      // also compute view 2 (one extra run per layer)
  double flagBelow_db = analysis::kLayerSnrFlagDb;
  int threads = 1;
  std::int64_t chunkWindows = 64;
};

analysis::LayerNoiseReport analyzeLayerNoise(const engine::OnnxModel& model,
                                             const QuantParams& params,
                                             const engine::Tensor& windows,
                                             const NoiseAnalysisOptions& options = {},
                                             const JobControl& control = {});

// The fix to try for a layer under the threshold (empty when it is not flagged).
std::string suggestLayerFix(const analysis::LayerNoise& layer, std::uint64_t calibration_windows);

}  // namespace imuwb::quant
