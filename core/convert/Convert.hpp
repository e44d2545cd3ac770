#pragma once
// `imuwb convert --to hailo8`: rewrites of an ONNX graph into the form the Hailo Dataflow
// Compiler takes (docs/backends.md, "Converting a model for Hailo-8"). Each rewrite is one file
// under convert/ working on the ONNX protobuf; this header is what the job and the tests call.
// The equivalence proof (convert/Equivalence.hpp) is separate: it runs both graphs.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/OnnxModel.hpp"

namespace onnx {
class ModelProto;
}

namespace imuwb::convert {

enum class InputLayoutChoice { NCHW, NHWC };  // [1,9,1,100] or [1,1,100,9]

// The device budget a grouped-conv expansion must stay within: the largest models the pipeline
// compiles hold about 1.1M parameters (the `model_size` check of `imuwb check`).
inline constexpr std::int64_t kHailo8ParameterBudget = 1'100'000;

struct ConvertOptions {
  InputLayoutChoice inputLayout = InputLayoutChoice::NCHW;
  bool gemmAsConv = false;  // Gemm -> 1x1 Conv (else Gemm is kept: the DFC takes it)
  std::int64_t maxParameters = kHailo8ParameterBudget;
  // Test hook: corrupt the result of this rewrite (its rule name) on purpose, so the proof
  // must catch it. Empty in every real use.
  std::string breakRewrite;

  bool operator==(const ConvertOptions&) const = default;
};

// One applied rewrite: its rule, the ONNX nodes it touched (original names), what it did.
struct RewriteRecord {
  std::string rule;  // conv1d_to_conv2d, time_major_input, chomp_to_causal_pad, ...
  std::vector<std::string> nodes;
  std::string detail;
};

// How one graph input changed: new = reshape(transpose(original, perm), newShape).
struct InputRemap {
  std::string name;
  std::vector<std::int64_t> originalShape, newShape;
  std::vector<int> perm;  // over the original axes
  bool changed() const { return originalShape != newShape; }
};

struct ConvertLog {
  std::vector<RewriteRecord> rewrites;
  std::vector<std::string> warnings;
  std::vector<InputRemap> inputs;  // every graph input (unchanged ones too)
  void add(std::string rule, std::vector<std::string> nodes, std::string detail) {
    rewrites.push_back({std::move(rule), std::move(nodes), std::move(detail)});
  }
};

// Runs every rewrite in order on model (in place) and returns what was done. The graph's
// value_info is dropped (shapes changed); load the result through engine::loadOnnxModel, which
// checks it and infers shapes again. Throws imuwb::Error for a graph it cannot handle (external
// data, a non-default-domain op on the converted path).
ConvertLog convertForHailo8(onnx::ModelProto& model, const ConvertOptions& options);

// The same on a loaded model: a copy of its graph converted, serialized for writing.
std::string convertToBytes(const engine::OnnxModel& model, const ConvertOptions& options,
                           ConvertLog& log);

// The rewrites, each on its own (the unit tests run them one by one, in this order).
void liftConv1dToConv2d(onnx::ModelProto& model, const ConvertOptions& options, ConvertLog& log);
void foldChompIntoPads(onnx::ModelProto& model, ConvertLog& log);
void foldBatchNormIntoConv(onnx::ModelProto& model, ConvertLog& log);
void expandGroupedConv(onnx::ModelProto& model, const ConvertOptions& options, ConvertLog& log);
void removeUnitDimChains(onnx::ModelProto& model, ConvertLog& log);
void convertGemm(onnx::ModelProto& model, const ConvertOptions& options, ConvertLog& log);
// The test hook: corrupts what the first rewrite of `rule` produced. No-op without one.
void breakRewriteForTest(onnx::ModelProto& model, const std::string& rule, const ConvertLog& log);

}  // namespace imuwb::convert
