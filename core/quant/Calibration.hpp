#pragma once
// Post-training calibration on the FP32 engine: run a calibration set through the planned
// model (after Conv+BN+ReLU fusion, as the Hailo compiler sees it) and record, for every
// activation a quantized model would store (each planned step's float outputs and the graph
// input), the statistics that pick its range. Weight statistics are taken at plan time.
// deriveQuantParams() then turns statistics + a QuantConfig into QuantParams, cheaply, so a
// what-if change (16-bit layer, clipping override, percentile) needs no re-calibration.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "engine/InferenceSession.hpp"
#include "quant/CalibrationStats.hpp"
#include "quant/QuantParams.hpp"

namespace imuwb::quant {

struct WeightStatistics {
  engine::WeightSite site;
  std::vector<std::int64_t> shape;
  std::vector<double> channelMaxAbs;  // along site.outputChannelAxis
  double maxAbs = 0.0;
};

struct Calibration {
  std::string modelSha256;
  std::uint64_t windows = 0;
  std::vector<std::string> graphInputs;
  engine::PlanInfo plan;
  CalibrationCollector activations;
  std::vector<WeightStatistics> weights;  // weight inputs (index 1) of Conv/Gemm/MatMul
};

// windows: [N, ...] in the model's input layout. Processes chunkWindows at a time with progress
// and cancel. Throws imuwb::Error when the set is empty, has NaN/inf, or does not fit the model.
Calibration calibrate(const engine::OnnxModel& model, const engine::Tensor& windows,
                      const JobControl& control = {}, std::int64_t chunkWindows = 64);

// The plan step that produces a tensor, or nullptr (graph inputs).
const engine::PlanStep* producingStep(const engine::PlanInfo& plan, const std::string& tensor);
// True when a config override names this step (its name, a covered node, or an output tensor).
const LayerOverride* overrideForStep(const QuantConfig& config, const engine::PlanStep& step);

QuantParams deriveQuantParams(const Calibration& calibration, const QuantConfig& config);

}  // namespace imuwb::quant
