#include "conformance/NodeTestCase.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/OnnxModel.hpp"

namespace fs = std::filesystem;

namespace imuwb::test::conformance {
namespace {

// ONNX's backend tests (onnx/backend/test/runner): numpy.testing.assert_allclose.
constexpr double kRtol = 1e-3;
constexpr double kAtol = 1e-5;

engine::Tensor readTensorProto(const fs::path& file, std::string& protoName) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  onnx::TensorProto proto;
  if (!in || !proto.ParseFromString(bytes.str()))
    throw Error(file.string(), "is not a TensorProto (sequence, optional or map test data)",
                "the engine runs tensors only");
  protoName = proto.name();
  return engine::decodeTensorProto(proto, file.parent_path(), file.string());
}

double valueAt(const engine::Tensor& t, std::int64_t i) {
  switch (t.dtype()) {
    case engine::DType::Float32:
      return t.data<float>()[i];
    case engine::DType::Float64:
      return t.data<double>()[i];
    case engine::DType::Int64:
      return static_cast<double>(t.data<std::int64_t>()[i]);
    case engine::DType::Int32:
      return t.data<std::int32_t>()[i];
    case engine::DType::Bool:
      return t.data<bool>()[i] ? 1.0 : 0.0;
    case engine::DType::Uint8:
      return t.data<std::uint8_t>()[i];
    case engine::DType::Int8:
      return t.data<std::int8_t>()[i];
  }
  return 0;
}

// Empty when `actual` matches `expected` (shape and dtype exactly, values within tolerance,
// NaN where NaN is expected, infinities of the same sign), else what differs.
std::string compare(const engine::Tensor& expected, const engine::Tensor& actual) {
  if (expected.shape() != actual.shape())
    return "shape " + engine::shapeToString(actual.shape()) + ", expected " +
           engine::shapeToString(expected.shape());
  if (expected.dtype() != actual.dtype())
    return "dtype " + std::string(engine::dtypeName(actual.dtype())) + ", expected " +
           std::string(engine::dtypeName(expected.dtype()));
  std::int64_t bad = 0, first = -1;
  for (std::int64_t i = 0; i < expected.elementCount(); ++i) {
    const double e = valueAt(expected, i), a = valueAt(actual, i);
    bool ok;
    if (std::isnan(e) || std::isnan(a))
      ok = std::isnan(e) && std::isnan(a);
    else if (std::isinf(e) || std::isinf(a))
      ok = e == a;
    else
      ok = std::fabs(a - e) <= kAtol + kRtol * std::fabs(e);
    if (!ok && bad++ == 0) first = i;
  }
  if (bad == 0) return {};
  std::ostringstream text;
  text << bad << " of " << expected.elementCount() << " values differ; first at " << first
       << ": got " << valueAt(actual, first) << ", expected " << valueAt(expected, first);
  return text.str();
}

std::vector<fs::path> dataFiles(const fs::path& set, const std::string& prefix) {
  std::vector<fs::path> files;
  for (int i = 0; fs::exists(set / (prefix + std::to_string(i) + ".pb")); ++i)
    files.push_back(set / (prefix + std::to_string(i) + ".pb"));
  return files;
}

CaseResult runChecked(const fs::path& dir) {
  const engine::OnnxModel model = engine::loadOnnxModel(dir / "model.onnx");
  engine::SessionOptions options;
  options.threads = 1;
  engine::InferenceSession session(model, options);
  const fs::path set = dir / "test_data_set_0";
  const auto& infos = session.inputInfos();
  std::vector<engine::NamedTensor> inputs;
  const auto inputFiles = dataFiles(set, "input_");
  for (std::size_t i = 0; i < inputFiles.size(); ++i) {
    std::string protoName;
    engine::Tensor tensor = readTensorProto(inputFiles[i], protoName);
    std::string name = i < infos.size() ? infos[i].name : protoName;
    for (const auto& info : infos)
      if (!protoName.empty() && info.name == protoName) name = protoName;
    inputs.push_back({name, std::move(tensor)});
  }
  const engine::RunResult result = session.run(inputs);
  const auto outputFiles = dataFiles(set, "output_");
  if (outputFiles.size() != result.outputs.size())
    return {Outcome::Wrong, "output-count",
            std::to_string(result.outputs.size()) + " outputs, expected " +
                std::to_string(outputFiles.size())};
  for (std::size_t i = 0; i < outputFiles.size(); ++i) {
    std::string protoName;
    const engine::Tensor expected = readTensorProto(outputFiles[i], protoName);
    const std::string diff = compare(expected, result.outputs[i].tensor);
    if (!diff.empty())
      return {Outcome::Wrong, "mismatch", "output '" + result.outputs[i].name + "': " + diff};
  }
  return {Outcome::Pass, "", ""};
}

}  // namespace

std::string refusalCategory(const std::string& message) {
  static const std::vector<std::pair<std::regex, std::string>> rules = {
      {std::regex("op '([^']+)' is not supported at opset"), "opset:$1"},
      {std::regex("op '([^']+)' is not supported"), "unsupported-op:$1"},
      {std::regex("op domain '([^']+)'"), "domain:$1"},
      {std::regex("opset|IR version"), "opset-or-ir"},
      {std::regex("Cast to ONNX type"), "dtype"},
      {std::regex("type the engine does not support|element type|dtype|supports float32 only|"
                  "is not a TensorProto"),
       "dtype"},
      {std::regex("cannot be re-batched|windows|window dimension"), "batching"},
      {std::regex("no declared shape|rank unknown|is dynamic"), "unknown-shape"},
      {std::regex("must be a constant|known at plan time"), "runtime-attribute-input"},
      {std::regex("broadcast|inner dimensions|does not have [0-9]+ values"), "shape"},
      {std::regex("is not supported|not supported"), "unsupported-attribute"},
      {std::regex("required but missing"), "missing-input"},
      {std::regex("checker|shape inference"), "onnx-checker"},
  };
  for (const auto& [pattern, category] : rules) {
    std::smatch match;
    if (std::regex_search(message, match, pattern)) return match.format(category);
  }
  return "other";
}

CaseResult runNodeTest(const fs::path& dir) {
  try {
    return runChecked(dir);
  } catch (const Error& error) {
    const std::string message =
        error.problem() + (error.fix().empty() ? "" : " (" + error.fix() + ")");
    return {Outcome::Refused, refusalCategory(error.problem()), message};
  } catch (const std::exception& error) {
    return {Outcome::Wrong, "unclear-exception", error.what()};
  }
}

const char* outcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::Pass:
      return "pass";
    case Outcome::Refused:
      return "refused";
    case Outcome::Wrong:
      return "WRONG";
  }
  return "?";
}

}  // namespace imuwb::test::conformance
