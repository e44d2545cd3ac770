#pragma once
// The equivalence proof of `imuwb convert`: the original and the converted graph run through
// the CPU engine on the same windows (each input permuted into the new layout), compared per
// output. A conversion that does not pass is not written.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "convert/Convert.hpp"
#include "engine/OnnxModel.hpp"
#include "engine/Tensor.hpp"

namespace imuwb::convert {

inline constexpr double kMinEquivalenceCosine = 0.999999;
inline constexpr double kMaxEquivalenceRelative = 1e-5;

struct OutputAgreement {
  std::string name;
  double cosine = 0;           // over every value of the output
  double minWindowCosine = 0;  // the worst window
  double maxAbs = 0;           // max |original - converted|
  double maxRel = 0;           // maxAbs / max |original| (the output's own scale)
  double maxMagnitude = 0;     // max |original|
};

struct EquivalenceReport {
  std::size_t windows = 0;
  std::string origin;  // where the windows came from
  std::vector<OutputAgreement> outputs;
  double minCosine = kMinEquivalenceCosine;
  double maxRelative = kMaxEquivalenceRelative;
  bool passed() const;
  // One output within the thresholds (every window's cosine too).
  bool passes(const OutputAgreement& output) const;
};

// Windows of the original input layout [N, dims after the batch] -> the converted layout.
engine::Tensor remapWindows(const engine::Tensor& windows, const InputRemap& remap);

// Deterministic windows for every float input of the original model: half N(0,1) (the
// z-scored contract's scale), half "realistic" (smooth per-channel sinusoids with offsets and
// a little noise, as a moving IMU gives after z-scoring).
std::vector<engine::NamedTensor> generatedWindows(const engine::OnnxModel& original,
                                                  std::size_t count, std::uint32_t seed = 20261203);

// Runs both models (threads as in engine::SessionOptions) and compares every output of the
// original with the converted output of the same name. Throws imuwb::Error when a model does
// not run or an output is missing or has another size.
EquivalenceReport proveEquivalent(const engine::OnnxModel& original,
                                  const engine::OnnxModel& converted,
                                  const std::vector<InputRemap>& inputs,
                                  const std::vector<engine::NamedTensor>& windows, int threads = 1);

}  // namespace imuwb::convert
