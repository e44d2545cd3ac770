#pragma once
// INT8 emulation on the FP32 engine: the same plan (fusion included), with
//  - every weight feeding Conv/Gemm/MatMul fake-quantized at plan time (int8 symmetric, per
//    channel or per tensor, 16-bit where a what-if override says so); biases stay float (Hailo
//    keeps them at int32 accumulator precision, whose error is negligible);
//  - the graph input quantized as HailoRT does (clip + round half to even to uint8);
//  - every planned step's float output requantized to its own calibrated uint8 grid, so the
//    next layer sees exactly the dequantized values an integer pipeline would;
//  - the outputs dequantized (they are floats on the grid of the last step).
// Restricting quantization to some steps gives Hailo's "only layer n quantized" view.
#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/InferenceSession.hpp"
#include "quant/QuantParams.hpp"

namespace imuwb::quant {

struct QuantizedSessionOptions {
  int threads = 1;
  std::vector<std::string> taps;  // intermediate tensors to return (quantized values)
  std::int64_t chunkWindows = 16;
  // Quantize only these plan steps (by step name: activations and weights); nullopt = all.
  std::optional<std::set<std::string>> onlySteps;
  bool quantizeInput = true;  // the graph input (ignored by only_steps unless it lists it)
  bool quantizeWeights = true;
};

class QuantizedSession {
 public:
  // Throws imuwb::Error when params do not belong to this model (sha256 or tensors differ).
  QuantizedSession(const engine::OnnxModel& model, const QuantParams& params,
                   QuantizedSessionOptions options = {});
  ~QuantizedSession();

  engine::RunResult run(const std::vector<engine::NamedTensor>& inputs);
  const engine::InferenceSession& engine() const;
  std::vector<std::string> inputNames() const;

  // Input values seen and clipped (outside the input grid by more than half a step) since
  // construction or the last resetInputClipping().
  std::uint64_t inputValues() const;
  std::uint64_t inputClipped() const;
  void resetInputClipping();

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::unique_ptr<engine::InferenceSession> session_;
};

}  // namespace imuwb::quant
