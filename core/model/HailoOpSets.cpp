// The op lists of contract.md ("Allowed ops", "Avoid", and the layout/constant ops compilers
// absorb), kept apart from the checker's rules so the lists read as the contract does.
#include <string>
#include <vector>

#include "model/ContractChecker.hpp"

namespace imuwb {

const std::vector<std::string>& hailoSafeOps() {
  static const std::vector<std::string> ops = {
      "Conv", "Relu", "Clip",   "LeakyRelu", "MaxPool", "AveragePool", "BatchNormalization",
      "Add",  "Mul",  "Concat", "Flatten",   "Gemm",    "MatMul",      "GlobalAveragePool"};
  return ops;
}

const std::vector<std::string>& hailoAvoidOps() {
  static const std::vector<std::string> ops = {"Erf",
                                               "Gelu",
                                               "LayerNormalization",
                                               "GroupNormalization",
                                               "InstanceNormalization",
                                               "Softmax",
                                               "LogSoftmax",
                                               "Round",
                                               "Loop",
                                               "If",
                                               "Scan",
                                               "Attention"};
  return ops;
}

const std::vector<std::string>& hailoStructuralOps() {
  static const std::vector<std::string> ops = {"Reshape",  "Squeeze",  "Unsqueeze", "Transpose",
                                               "Constant", "Identity", "Shape",     "Gather"};
  return ops;
}

}  // namespace imuwb
