#pragma once
// Shared by the convert tests: minimal graphs in ONNX's textual syntax, a rewrite applied to
// them, and the proof that the rewritten graph is the same function (both through the engine).
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "convert/Convert.hpp"
#include "convert/Equivalence.hpp"
#include "engine/Tensor.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::convert::test {

// Parses the text (random float initializers of the given shapes) and returns the checked,
// shape-inferred model as the engine loads it.
onnx::ModelProto parseModel(const std::filesystem::path& dir, const std::string& text,
                            const std::vector<std::pair<std::string, engine::Shape>>& weights);

// Saves a model; returns the path.
std::filesystem::path saveModel(const onnx::ModelProto& model, const std::filesystem::path& path);

int countOps(const onnx::ModelProto& model, const std::string& op);
const onnx::NodeProto* findOp(const onnx::ModelProto& model, const std::string& op);
std::vector<std::int64_t> intsOf(const onnx::NodeProto& node, const std::string& attribute);
std::vector<std::int64_t> inputShape(const onnx::ModelProto& model, int index = 0);

// The rewritten model saved and reloaded (checker + shape inference), then run against the
// original on generated windows: the proof the command runs.
EquivalenceReport proveSame(const onnx::ModelProto& original, const onnx::ModelProto& rewritten,
                            const ConvertLog& log, const std::filesystem::path& dir);

// The rewrites' names in a log.
std::vector<std::string> rules(const ConvertLog& log);

}  // namespace imuwb::convert::test
