// The converted graph against independent references: PyTorch's own Conv2d (1,k) export of the
// same weights and PyTorch's outputs (tests/fixtures/convert, made by make_goldens.py), ONNX's
// checker, and ONNX Runtime (the npm peer) on the converted models, the real encoder included.
#include <gtest/gtest.h>
#include <onnx/checker.h>

#include <fstream>
#include <random>

#include "../engine/EngineTestSupport.hpp"
#include "ConvertTestSupport.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"
#include "engine/OnnxModel.hpp"

namespace imuwb::convert::test {
namespace {

namespace fs = std::filesystem;
using engine::Tensor;
using ::imuwb::test::TempDir;

fs::path goldens() { return ::imuwb::test::sourceDir() / "tests/fixtures/convert"; }

// Converts a model file, writes the result, asserts onnx::checker accepts it, and loads it.
engine::OnnxModel convertFile(const fs::path& model, const fs::path& out, ConvertLog& log,
                              InputLayoutChoice layout = InputLayoutChoice::NCHW) {
  const auto original = engine::loadOnnxModel(model);
  ConvertOptions options;
  options.inputLayout = layout;
  const auto bytes = convertToBytes(original, options, log);
  std::ofstream(out, std::ios::binary) << bytes;
  EXPECT_NO_THROW(onnx::checker::check_model(out.string())) << out;
  return engine::loadOnnxModel(out);
}

Tensor run(const engine::OnnxModel& model, const std::string& input, const Tensor& windows) {
  engine::InferenceSession session(model);
  return session.run({{input, windows}}).outputs.at(0).tensor;
}

double relativeError(const Tensor& got, const Tensor& reference) {
  return engine::test::maxAbsDiff(got, reference) / std::max(1.0, engine::test::maxAbs(reference));
}

Tensor randomWindows(engine::Shape shape) {
  std::mt19937 random(11);
  return engine::test::randomTensor(std::move(shape), random, -3.f, 3.f);
}

TEST(ConvertGolden, ConvertedConv1dEqualsPyTorchsOwnConv2dExport) {
  TempDir dir;
  ConvertLog log;
  const auto converted = convertFile(goldens() / "tcn_conv1d.onnx", dir / "c.onnx", log);
  const auto torch2d = engine::loadOnnxModel(goldens() / "tcn_conv2d.onnx");
  ASSERT_EQ(converted.inputs().at(0).shapeText(), torch2d.inputs().at(0).shapeText());
  const auto windows = randomWindows({16, 9, 1, 100});
  const auto ours = run(converted, "imu_window", windows);
  const auto theirs = run(torch2d, "imu_window", windows);
  EXPECT_LE(relativeError(ours, theirs), 1e-5);
  std::set<std::string> applied;
  for (const auto& record : log.rewrites) applied.insert(record.rule);
  for (const char* rule : {"time_major_input", "conv1d_to_conv2d", "chomp_to_causal_pad",
                           "batchnorm_fold", "gemm_kept"})
    EXPECT_TRUE(applied.count(rule)) << rule;
  for (const auto& node : converted.nodes())
    EXPECT_TRUE(node.opType != "Slice" && node.opType != "BatchNormalization" &&
                node.opType != "Transpose")
        << node.name << " " << node.opType;
}

TEST(ConvertGolden, ConvertedGraphGivesPyTorchsOutputs) {
  TempDir dir;
  ConvertLog log;
  const auto converted = convertFile(goldens() / "tcn_conv1d.onnx", dir / "c.onnx", log);
  const auto input = engine::readNpyAsFloat32(goldens() / "golden_input.npy");  // [8,100,9]
  const auto expected = engine::readNpyAsFloat32(goldens() / "golden_output.npy");
  ASSERT_EQ(log.inputs.size(), 1u);
  const auto ours = run(converted, "imu_window", remapWindows(input, log.inputs[0]));
  EXPECT_LE(relativeError(ours, expected), 1e-5);
}

// ONNX Runtime loads each converted model and gives the original's outputs (engine) on the
// same windows in the old layout.
TEST(ConvertGolden, OnnxRuntimeRunsTheConvertedModelsAndAgrees) {
  IMUWB_REQUIRE_ORT_PEER();
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  TempDir dir;
  struct Case {
    fs::path model;
    InputLayoutChoice layout;
  };
  const std::vector<Case> models = {
      {goldens() / "tcn_conv1d.onnx", InputLayoutChoice::NCHW},
      {goldens() / "tcn_conv1d.onnx", InputLayoutChoice::NHWC},
      {::imuwb::test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx",
       InputLayoutChoice::NCHW},
      {::imuwb::test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx",
       InputLayoutChoice::NHWC}};
  std::vector<engine::test::PeerCase> cases;
  std::vector<Tensor> expected;
  for (std::size_t i = 0; i < models.size(); ++i) {
    ConvertLog log;
    const auto out = dir / ("converted_" + std::to_string(i) + ".onnx");
    convertFile(models[i].model, out, log, models[i].layout);
    const auto original = engine::loadOnnxModel(models[i].model);
    const auto windows = randomWindows({4, 100, 9});
    expected.push_back(run(original, "imu_window", windows));
    cases.push_back({models[i].model.filename().string(), out,
                     {{"imu_window", remapWindows(windows, log.inputs.at(0))}}});
  }
  std::vector<std::string> errors;
  const auto ort = engine::test::runOrt(cases, dir / "ort", &errors);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ASSERT_EQ(ort[i].size(), 1u) << cases[i].label << ": " << errors[i];
    EXPECT_LE(relativeError(ort[i][0], expected[i]), 1e-5) << cases[i].label << " case " << i;
    EXPECT_GE(engine::test::cosine(ort[i][0], expected[i]), kMinEquivalenceCosine);
  }
}

}  // namespace
}  // namespace imuwb::convert::test
