#pragma once
// The Hailo-8 feasibility check from contract.md's checklist, on the ONNX graph alone (static):
// opset, static shapes with batch 1, control flow, every op outside the Hailo-safe set with its
// node name and a concrete fix (Conv1d -> Conv2d (1,k), grouped -> groups=1, LayerNorm / GELU /
// Erf / Softmax / Round off the device...), unfused BatchNorm, kernel / stride / pool sizes,
// channel counts that are not multiples of 8, parameter count and weight size, and the
// normalization contract of the manifest. Running sample windows is done elsewhere
// (pipeline/ModelCheck) because it needs a backend.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "engine/OnnxModel.hpp"
#include "model/Manifest.hpp"

namespace imuwb {

struct ContractReport {
  std::vector<Finding> findings;
  std::int64_t opset = 0;
  std::int64_t irVersion = 0;
  std::int64_t parameterCount = 0;
  std::int64_t weightBytesFp32 = 0;
  std::int64_t weightBytesInt8 = 0;     // what the device stores after INT8 quantization
  std::map<std::string, int> opCounts;  // op type -> nodes
};

// manifest may be null (bare .onnx); manifestInferred marks a manifest guessed from the graph.
ContractReport checkHailoContract(const engine::OnnxModel& model, const Manifest* manifest,
                                  bool manifestInferred = false);

// Op sets, exposed for documentation and tests.
const std::vector<std::string>& hailoSafeOps();        // contract "Allowed ops"
const std::vector<std::string>& hailoAvoidOps();       // contract "Avoid" (errors)
const std::vector<std::string>& hailoStructuralOps();  // layout/const ops compilers absorb

}  // namespace imuwb
