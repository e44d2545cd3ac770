#include "engine/LegacyOpset.hpp"

#include <onnx/onnx_pb.h>

#include <map>

#include "common/Error.hpp"
#include "engine/OnnxModel.hpp"

namespace imuwb::engine {
namespace {

// Op -> the opset from which its definition is the one the engine runs (ONNX's Changelog.md:
// version 6 of the activations only dropped the unused `consumed_inputs`).
const std::map<std::string, std::int64_t>& unchangedSince() {
  static const std::map<std::string, std::int64_t> table = {
      {"Abs", 6},
      {"ArgMax", 1},
      {"ArgMin", 1},
      {"Cast", 6},
      {"Ceil", 6},
      {"Clip", 6},
      {"Concat", 4},
      {"Constant", 1},
      {"Elu", 6},
      {"Exp", 6},
      {"Flatten", 1},
      {"Floor", 6},
      {"Gather", 1},
      {"GlobalAveragePool", 1},
      {"GlobalMaxPool", 1},
      {"Hardmax", 1},
      {"HardSigmoid", 6},
      {"Identity", 1},
      {"InstanceNormalization", 6},
      {"LeakyRelu", 6},
      {"Log", 6},
      {"LogSoftmax", 1},
      {"MatMul", 1},
      {"Neg", 6},
      {"Not", 1},
      {"Pad", 2},
      {"Reciprocal", 6},
      {"ReduceL1", 1},
      {"ReduceL2", 1},
      {"ReduceLogSum", 1},
      {"ReduceLogSumExp", 1},
      {"ReduceMax", 1},
      {"ReduceMean", 1},
      {"ReduceMin", 1},
      {"ReduceProd", 1},
      {"ReduceSum", 1},
      {"ReduceSumSquare", 1},
      {"Relu", 6},
      {"Reshape", 5},
      {"Selu", 6},
      {"Shape", 1},
      {"Sigmoid", 6},
      {"Size", 1},
      {"Slice", 1},
      {"Softmax", 1},
      {"Softplus", 1},
      {"Softsign", 1},
      {"Split", 2},
      {"Sqrt", 6},
      {"Squeeze", 1},
      {"Tanh", 6},
      {"Tile", 6},
      {"Transpose", 1},
      {"Unsqueeze", 1},
  };
  return table;
}

}  // namespace

void checkLegacyOpset(const onnx::ModelProto& model, std::int64_t opset, const std::string& where) {
  for (const auto& node : model.graph().node()) {
    const auto it = unchangedSince().find(node.op_type());
    if (it == unchangedSince().end() || it->second > opset)
      throw Error(where,
                  "opset " + std::to_string(opset) + " is not supported for op '" + node.op_type() +
                      "' (its definition before opset 7 differs from today's)",
                  "supported opsets are " + std::to_string(kMinSupportedOpset) + " to " +
                      std::to_string(kMaxSupportedOpset) +
                      "; re-export with opset_version 7 or newer");
  }
}

}  // namespace imuwb::engine
