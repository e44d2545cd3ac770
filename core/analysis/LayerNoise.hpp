#pragma once
// Per-layer quantization noise, in both of Hailo's analyze-noise views, as plain data:
//  - "all quantized": the whole model runs INT8; SNR of each layer's output against FP32,
//    measured at that layer (where does the error build up?);
//  - "only this layer": only layer n (its weights and its output activation) is quantized;
//    SNR measured at the model outputs (which layer hurts the answer most?).
// SNR dB = 10 log10(sum ref^2 / sum (ref - quant)^2). Filled by core/quant, read by reports,
// the CLI and the GUI's per-layer bar chart.
#include <string>
#include <vector>

namespace imuwb::analysis {

inline constexpr double kLayerSnrFlagDb = 10.0;

struct OutputSnr {
  std::string output;
  double snr_db = 0.0;
};

struct LayerNoise {
  std::string node;                         // ONNX node name (the last node of a fused step)
  std::string tensor;                       // ONNX name of the tensor measured (the step's output)
  std::string op;                           // "Conv", "Conv+Relu", "Gemm", "input" ...
  double snrAllQuantized_db = 0.0;          // view 1, at this layer
  std::vector<OutputSnr> snrOnlyThisLayer;  // view 2, at every model output
  double snrOnlyThisLayerMin_db = 0.0;      // view 2, worst output
  double clipFraction = 0.0;                // calibration values outside this layer's range
  double outlierRatio = 1.0;                // calibration min/max span over its 0.01..99.99 % span
  std::string precision = "a8_w8";
  int rank = 0;            // 1 = worst (lowest view-2 SNR), over the layers
  bool flagged = false;    // view-1 or view-2 SNR below the flag threshold
  std::string suggestion;  // the fix to try when flagged
};

struct LayerNoiseReport {
  std::vector<LayerNoise> layers;  // execution order
  double flagBelow_db = kLayerSnrFlagDb;
  std::size_t windows = 0;  // windows the analysis ran on
  bool onlyThisLayerComputed = false;
};

}  // namespace imuwb::analysis
