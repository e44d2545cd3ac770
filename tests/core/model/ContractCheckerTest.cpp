// The Hailo-8 feasibility checker against the real encoder (Conv1d), deliberately bad models
// built here from ONNX text, a good Conv2d model and the committed sample model.
#include <gtest/gtest.h>

#include <algorithm>

#include "OnnxTestModels.hpp"
#include "model/ContractChecker.hpp"
#include "model/ModelBundle.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::vector<const Finding*> withCode(const ContractReport& report, const std::string& code) {
  std::vector<const Finding*> found;
  for (const auto& finding : report.findings)
    if (finding.code == code) found.push_back(&finding);
  return found;
}

ContractReport checkText(const std::string& text, const std::vector<test::Weight>& weights) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "m.onnx", text, weights);
  const auto model = engine::loadOnnxModel(dir / "m.onnx");
  Manifest manifest = inferManifestFromGraph(model);
  manifest.normalization.present = true;
  manifest.normalization.mean.assign(9, 0.0f);
  manifest.normalization.std.assign(9, 1.0f);
  return checkHailoContract(model, &manifest);
}

TEST(ContractChecker, AGoodConv2dModelHasNoErrors) {
  const auto report = checkText(test::goodConv2dModelText(), test::goodConv2dWeights());
  EXPECT_FALSE(hasErrors(report.findings));
  for (const auto& finding : report.findings)
    EXPECT_NE(finding.severity, Severity::Error) << finding.code << ": " << finding.message;
  EXPECT_EQ(report.opset, 11);
  // Parameters counted by hand from the weights above: 16*9*3 + 16 + 64*16 + 64.
  EXPECT_EQ(report.parameterCount, 16 * 9 * 3 + 16 + 64 * 16 + 64);
}

TEST(ContractChecker, Conv1dIsAnErrorWithTheNodeAndTheFix) {
  const auto report = checkText(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,9,100] x) => (float[1,16,100] y) {
  y = Conv <kernel_shape = [3], pads = [1,1]> (x, W)
})",
                                {{"W", {16, 9, 3}}});
  const auto found = withCode(report, "conv1d");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::Error);
  EXPECT_EQ(found[0]->subject, "Conv_0");
  EXPECT_NE(found[0]->fix.find("Conv2d with a (1,3) kernel"), std::string::npos);
}

TEST(ContractChecker, GroupedConvIsAnError) {
  const auto report = checkText(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,16,1,100] x) => (float[1,16,1,100] y) {
  y = Conv <kernel_shape = [1,3], pads = [0,1,0,1], group = 4> (x, W)
})",
                                {{"W", {16, 4, 1, 3}}});
  const auto found = withCode(report, "grouped_conv");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::Error);
  EXPECT_NE(found[0]->fix.find("groups=1"), std::string::npos);
}

TEST(ContractChecker, LayerNormIsAnError) {
  const auto report = checkText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[1,100,16] x) => (float[1,100,16] y) {
  y = LayerNormalization <axis = -1> (x, S, B)
})",
                                {{"S", {16}}, {"B", {16}}});
  const auto found = withCode(report, "op_not_hailo_safe");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::Error);
  EXPECT_NE(found[0]->message.find("LayerNormalization"), std::string::npos);
  EXPECT_EQ(withCode(report, "opset_not_11").size(), 1u);
}

TEST(ContractChecker, ErfGeluIsAnErrorWithAFix) {
  const auto report = checkText(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,64] x) => (float[1,64] y) {
  y = Erf (x)
})",
                                {});
  const auto found = withCode(report, "op_not_hailo_safe");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->subject, "Erf_0");
  EXPECT_NE(found[0]->fix.find("ReLU"), std::string::npos);
}

TEST(ContractChecker, DynamicShapesAndBatchAreErrors) {
  const auto dynamic = checkText(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[N,9,2,100] x) => (float[N,9,2,100] y) {
  y = Relu (x)
})",
                                 {});
  const auto found = withCode(dynamic, "dynamic_shape");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::Error);
  EXPECT_NE(found[0]->message.find("'N'"), std::string::npos);
  const auto batched = checkText(R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[4,9,2,100] x) => (float[4,9,2,100] y) {
  y = Relu (x)
})",
                                 {});
  EXPECT_EQ(withCode(batched, "batch_not_1").size(), 1u);
}

TEST(ContractChecker, SoftmaxRoundAndUnfusedBatchNormAreFlagged) {
  const auto report = checkText(
      R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,9,2,100] x) => (float[1,12] p, float[1,12] r) {
  c = Conv <kernel_shape = [1,3], pads = [0,1,0,1]> (x, W)
  b = BatchNormalization (c, S, B, M, V)
  a = GlobalAveragePool (b)
  f = Flatten (a)
  l = Gemm <transB = 1> (f, G)
  p = Softmax <axis = 1> (l)
  r = Round (l)
})",
      {{"W", {12, 9, 1, 3}}, {"S", {12}}, {"B", {12}}, {"M", {12}}, {"V", {12}}, {"G", {12, 12}}});
  EXPECT_EQ(withCode(report, "softmax_on_device").size(), 1u);
  EXPECT_EQ(withCode(report, "round_on_device").size(), 1u);
  const auto bn = withCode(report, "unfused_batchnorm");
  ASSERT_EQ(bn.size(), 1u);
  EXPECT_EQ(bn[0]->severity, Severity::Warning);
  EXPECT_EQ(withCode(report, "channels_not_multiple_of_8").size(),
            2u);  // 12 out (warn) + 9 in (info)
}

// A bare export without a manifest is feasible or not on its graph alone; the missing
// preprocessing contract is a warning (issue 10), not a failed lint.
TEST(ContractChecker, AMissingManifestIsAWarningAboutPreprocessing) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "m.onnx", test::goodConv2dModelText(), test::goodConv2dWeights());
  const auto model = engine::loadOnnxModel(dir / "m.onnx");
  const auto report = checkHailoContract(model, nullptr);
  const auto found = withCode(report, "missing_normalization_contract");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->severity, Severity::Warning);
  EXPECT_NE(found[0]->message.find("cannot check preprocessing without a manifest"),
            std::string::npos);
  EXPECT_FALSE(hasErrors(report.findings));
}

TEST(ContractChecker, TheRealEncoderFailsOnItsConv1dLayers) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle =
      loadModelBundle(test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx");
  const auto report = checkHailoContract(*bundle.model, &bundle.manifest);
  EXPECT_TRUE(hasErrors(report.findings));
  // Every Conv in the exported TCN is 1-D (README: "Conv (1-D, dilations 1/2/4...)").
  const auto conv1d = withCode(report, "conv1d");
  EXPECT_EQ(static_cast<int>(conv1d.size()), report.opCounts.at("Conv"));
  for (const auto* finding : conv1d) EXPECT_NE(finding->subject.find("Conv"), std::string::npos);
  EXPECT_FALSE(withCode(report, "dilated_conv").empty());
  EXPECT_FALSE(withCode(report, "slice").empty());
  EXPECT_EQ(report.opset, 11);
  EXPECT_TRUE(withCode(report, "missing_normalization_contract").empty());
}

TEST(ContractChecker, TheSampleModelPasses) {
  const auto folder = test::sourceDir() / "samples/models/dog_behavior_conv2d";
  if (!std::filesystem::exists(folder / "manifest.json"))
    FAIL() << "samples/models/dog_behavior_conv2d is missing; it ships with the repo";
  const auto bundle = loadModelBundle(folder);
  const auto report = checkHailoContract(*bundle.model, &bundle.manifest);
  for (const auto& finding : report.findings)
    EXPECT_NE(finding.severity, Severity::Error) << finding.code << ": " << finding.message;
  EXPECT_TRUE(withCode(report, "unfused_batchnorm").empty());
  EXPECT_GE(report.parameterCount, 10000);
  EXPECT_LE(report.parameterCount, 1100000);
}

}  // namespace
}  // namespace imuwb
