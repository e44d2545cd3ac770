#include "ConvertTestSupport.hpp"

#include <onnx/checker.h>

#include <fstream>
#include <random>

#include "../engine/EngineTestSupport.hpp"
#include "engine/OnnxModel.hpp"

namespace fs = std::filesystem;

namespace imuwb::convert::test {

onnx::ModelProto parseModel(const fs::path& dir, const std::string& text,
                            const std::vector<std::pair<std::string, engine::Shape>>& weights) {
  std::mt19937 random(7);
  std::vector<engine::NamedTensor> initializers;
  for (const auto& [name, shape] : weights)
    initializers.push_back({name, engine::test::randomTensor(shape, random, 0.1f, 1.0f)});
  const auto path = engine::test::writeModel(dir / "original.onnx", text, initializers);
  return engine::loadOnnxModel(path).proto();
}

fs::path saveModel(const onnx::ModelProto& model, const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  model.SerializeToOstream(&out);
  return path;
}

int countOps(const onnx::ModelProto& model, const std::string& op) {
  int count = 0;
  for (const auto& node : model.graph().node()) count += node.op_type() == op;
  return count;
}

const onnx::NodeProto* findOp(const onnx::ModelProto& model, const std::string& op) {
  for (const auto& node : model.graph().node())
    if (node.op_type() == op) return &node;
  return nullptr;
}

std::vector<std::int64_t> intsOf(const onnx::NodeProto& node, const std::string& attribute) {
  for (const auto& a : node.attribute())
    if (a.name() == attribute) return {a.ints().begin(), a.ints().end()};
  return {};
}

std::vector<std::int64_t> inputShape(const onnx::ModelProto& model, int index) {
  std::vector<std::int64_t> dims;
  for (const auto& dim : model.graph().input(index).type().tensor_type().shape().dim())
    dims.push_back(dim.dim_value());
  return dims;
}

EquivalenceReport proveSame(const onnx::ModelProto& original, const onnx::ModelProto& rewritten,
                            const ConvertLog& log, const fs::path& dir) {
  const auto before = engine::loadOnnxModel(saveModel(original, dir / "before.onnx"));
  const auto path = saveModel(rewritten, dir / "after.onnx");
  onnx::checker::check_model(path.string());  // throws when the checker rejects it
  const auto after = engine::loadOnnxModel(path);
  return proveEquivalent(before, after, log.inputs, generatedWindows(before, 6));
}

std::vector<std::string> rules(const ConvertLog& log) {
  std::vector<std::string> names;
  for (const auto& record : log.rewrites) names.push_back(record.rule);
  return names;
}

}  // namespace imuwb::convert::test
