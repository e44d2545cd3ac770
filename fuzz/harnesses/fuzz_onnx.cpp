// Fuzzes model -> graph -> plan: the ONNX loader (protobuf, checker, shape inference, opset and
// IR checks, initializer decoding), the graph builder (folding, fusion) and the planner, then
// one bounded run with zeros when every input is a small fixed-shape float tensor.
#include <cstdint>
#include <vector>

#include "engine/InferenceSession.hpp"
#include "engine/OnnxModel.hpp"
#include "fuzz/support/FuzzInput.hpp"
#include "model/ModelBundle.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  imuwb::fuzz::lowerLimitsForFuzzing();
  return 0;
}

namespace {
// Zero tensors for every input, or empty when an input is not a small fixed float shape.
std::vector<imuwb::engine::NamedTensor> smallZeroInputs(
    const std::vector<imuwb::engine::ValueInfo>& inputs) {
  constexpr std::int64_t kMaxElements = 1 << 16;
  std::vector<imuwb::engine::NamedTensor> tensors;
  for (const auto& input : inputs) {
    if (input.dtype != imuwb::engine::DType::Float32 || !input.shapeKnown) return {};
    imuwb::engine::Shape shape;
    std::int64_t elements = 1;
    for (const auto& dim : input.shape) {
      if (!dim.fixed() || dim.value > kMaxElements) return {};
      elements *= dim.value;
      if (elements > kMaxElements) return {};
      shape.push_back(dim.value);
    }
    if (shape.empty() || shape[0] != 1) return {};
    tensors.push_back({input.name, imuwb::engine::Tensor(imuwb::engine::DType::Float32, shape)});
  }
  return tensors;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto path = imuwb::fuzz::writeInput(data, size, "model.onnx");
  imuwb::fuzz::expectOnlyImuwbErrors("onnx", [&] {
    const auto model = imuwb::engine::loadOnnxModel(path);
    const auto manifest = imuwb::inferManifestFromGraph(model);
    imuwb::manifestGraphMismatches(manifest, model);
    imuwb::engine::SessionOptions options;
    options.threads = 1;
    options.maxBatch = 1;
    imuwb::engine::InferenceSession session(model, options);
    const auto inputs = smallZeroInputs(session.inputInfos());
    if (!inputs.empty()) session.run(inputs);
  });
  return 0;
}
