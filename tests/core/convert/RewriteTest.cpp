// One test per rewrite on a minimal graph: the rewrite happens (the graph has the new form and
// the log names the nodes), and the rewritten graph is the same function (engine, both graphs).
#include <gtest/gtest.h>

#include <algorithm>

#include "ConvertTestSupport.hpp"

namespace imuwb::convert::test {
namespace {

using ::imuwb::test::TempDir;

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void expectSame(const onnx::ModelProto& original, const onnx::ModelProto& rewritten,
                const ConvertLog& log, const TempDir& dir) {
  const auto proof = proveSame(original, rewritten, log, dir.path());
  ASSERT_FALSE(proof.outputs.empty());
  for (const auto& output : proof.outputs) {
    EXPECT_GE(output.minWindowCosine, kMinEquivalenceCosine) << output.name;
    EXPECT_LE(output.maxRel, kMaxEquivalenceRelative) << output.name;
  }
  EXPECT_TRUE(proof.passed());
}

const char* kConv1d = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,4,20] x) => (float y) {
  c = Conv <dilations = [2], pads = [2, 2], kernel_shape = [3]> (x, w, b)
  y = Relu (c)
})";

TEST(ConvertRewrite, Conv1dBecomesConv2dWithUnitHeight) {
  TempDir dir;
  const auto original = parseModel(dir.path(), kConv1d, {{"w", {8, 4, 3}}, {"b", {8}}});
  auto model = original;
  ConvertLog log;
  liftConv1dToConv2d(model, {}, log);
  const auto* conv = findOp(model, "Conv");
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(intsOf(*conv, "kernel_shape"), (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(intsOf(*conv, "dilations"), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(intsOf(*conv, "pads"), (std::vector<std::int64_t>{0, 2, 0, 2}));
  EXPECT_EQ(inputShape(model), (std::vector<std::int64_t>{1, 4, 1, 20}));
  EXPECT_TRUE(has(rules(log), "conv1d_to_conv2d"));
  EXPECT_TRUE(has(rules(log), "input_layout"));
  expectSame(original, model, log, dir);
}

TEST(ConvertRewrite, TimeMajorTransposeFoldsIntoTheInputLayout) {
  const char* text = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,20,4] x) => (float y) {
  t = Transpose <perm = [0, 2, 1]> (x)
  y = Conv <pads = [1, 1]> (t, w)
})";
  for (const auto layout : {InputLayoutChoice::NCHW, InputLayoutChoice::NHWC}) {
    TempDir dir;
    const auto original = parseModel(dir.path(), text, {{"w", {8, 4, 3}}});
    auto model = original;
    ConvertLog log;
    ConvertOptions options;
    options.inputLayout = layout;
    liftConv1dToConv2d(model, options, log);
    const bool nhwc = layout == InputLayoutChoice::NHWC;
    EXPECT_EQ(inputShape(model), nhwc ? (std::vector<std::int64_t>{1, 1, 20, 4})
                                      : (std::vector<std::int64_t>{1, 4, 1, 20}));
    EXPECT_EQ(countOps(model, "Transpose"), nhwc ? 1 : 0);
    if (nhwc)
      EXPECT_EQ(intsOf(*findOp(model, "Transpose"), "perm"),
                (std::vector<std::int64_t>{0, 3, 1, 2}));
    ASSERT_TRUE(has(rules(log), "time_major_input"));
    EXPECT_EQ(log.rewrites.front().nodes, (std::vector<std::string>{"Transpose_0"}));
    expectSame(original, model, log, dir);
  }
}

TEST(ConvertRewrite, ChompSliceFoldsIntoCausalLeftPad) {
  const char* text = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,4,20] x) => (float y) {
  s = Constant <value = int64[1] {0}> ()
  e = Constant <value = int64[1] {-4}> ()
  a = Constant <value = int64[1] {2}> ()
  c = Conv <dilations = [2], pads = [4, 4]> (x, w)
  k = Slice (c, s, e, a)
  y = Relu (k)
})";
  TempDir dir;
  const auto original = parseModel(dir.path(), text, {{"w", {8, 4, 3}}});
  auto model = original;
  ConvertLog log;
  liftConv1dToConv2d(model, {}, log);
  foldChompIntoPads(model, log);
  EXPECT_EQ(countOps(model, "Slice"), 0);
  EXPECT_EQ(intsOf(*findOp(model, "Conv"), "pads"), (std::vector<std::int64_t>{0, 4, 0, 0}));
  ASSERT_TRUE(has(rules(log), "chomp_to_causal_pad"));
  EXPECT_EQ(log.rewrites.back().nodes, (std::vector<std::string>{"Conv_3", "Slice_4"}));
  expectSame(original, model, log, dir);
}

TEST(ConvertRewrite, BatchNormFoldsIntoThePrecedingConv) {
  const char* text = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,4,1,20] x) => (float y) {
  c = Conv <pads = [0, 1, 0, 1]> (x, w, b)
  n = BatchNormalization <epsilon = 0.001> (c, s, o, m, v)
  y = Relu (n)
})";
  TempDir dir;
  const auto original =
      parseModel(dir.path(), text,
                 {{"w", {8, 4, 1, 3}}, {"b", {8}}, {"s", {8}}, {"o", {8}}, {"m", {8}}, {"v", {8}}});
  auto model = original;
  ConvertLog log;
  foldBatchNormIntoConv(model, log);
  EXPECT_EQ(countOps(model, "BatchNormalization"), 0);
  ASSERT_TRUE(has(rules(log), "batchnorm_fold"));
  EXPECT_EQ(log.rewrites.front().nodes,
            (std::vector<std::string>{"Conv_0", "BatchNormalization_1"}));
  expectSame(original, model, log, dir);
}

const char* kGrouped = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,8,1,20] x) => (float y) {
  y = Conv <group = 4, pads = [0, 1, 0, 1]> (x, w, b)
})";

TEST(ConvertRewrite, GroupedConvExpandsToGroupOneWithAWarning) {
  TempDir dir;
  const auto original = parseModel(dir.path(), kGrouped, {{"w", {8, 2, 1, 3}}, {"b", {8}}});
  auto model = original;
  ConvertLog log;
  expandGroupedConv(model, {}, log);
  const auto* conv = findOp(model, "Conv");
  for (const auto& a : conv->attribute())
    if (a.name() == "group") EXPECT_EQ(a.i(), 1);
  ASSERT_TRUE(has(rules(log), "grouped_conv_expand"));
  ASSERT_EQ(log.warnings.size(), 1u);
  EXPECT_NE(log.warnings[0].find("48 -> 192 weight parameters (x4)"), std::string::npos)
      << log.warnings[0];
  expectSame(original, model, log, dir);
}

TEST(ConvertRewrite, GroupedConvOverTheBudgetStaysGroupedAndSaysWhy) {
  TempDir dir;
  auto model = parseModel(dir.path(), kGrouped, {{"w", {8, 2, 1, 3}}, {"b", {8}}});
  ConvertLog log;
  ConvertOptions options;
  options.maxParameters = 100;
  expandGroupedConv(model, options, log);
  EXPECT_TRUE(log.rewrites.empty());
  ASSERT_EQ(log.warnings.size(), 1u);
  EXPECT_NE(log.warnings[0].find("over the 100 budget"), std::string::npos) << log.warnings[0];
}

TEST(ConvertRewrite, UnitDimensionRoundTripIsRemoved) {
  const char* text = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,8,1,1] x) => (float y) {
  s = Squeeze <axes = [2, 3]> (x)
  u = Unsqueeze <axes = [2, 3]> (s)
  y = Relu (u)
})";
  TempDir dir;
  const auto original = parseModel(dir.path(), text, {});
  auto model = original;
  ConvertLog log;
  removeUnitDimChains(model, log);
  EXPECT_EQ(countOps(model, "Squeeze") + countOps(model, "Unsqueeze"), 0);
  ASSERT_TRUE(has(rules(log), "unit_dim_chain"));
  EXPECT_EQ(log.rewrites.front().nodes, (std::vector<std::string>{"Squeeze_0", "Unsqueeze_1"}));
  expectSame(original, model, log, dir);
}

TEST(ConvertRewrite, UnitDimensionMovesBecomeOneReshape) {
  const char* text = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,8,1,1] x) => (float y) {
  s = Squeeze <axes = [2, 3]> (x)
  u = Unsqueeze <axes = [1]> (s)
  y = Relu (u)
})";
  TempDir dir;
  const auto original = parseModel(dir.path(), text, {});
  auto model = original;
  ConvertLog log;
  removeUnitDimChains(model, log);
  EXPECT_EQ(countOps(model, "Squeeze") + countOps(model, "Unsqueeze"), 0);
  EXPECT_EQ(countOps(model, "Reshape"), 1);
  expectSame(original, model, log, dir);
}

const char* kGemm = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,8,1,1] x) => (float y) {
  s = Squeeze <axes = [2, 3]> (x)
  y = Gemm <transB = 1, alpha = 0.5> (s, w, b)
})";

TEST(ConvertRewrite, GemmIsKeptByDefault) {
  TempDir dir;
  auto model = parseModel(dir.path(), kGemm, {{"w", {4, 8}}, {"b", {4}}});
  ConvertLog log;
  convertGemm(model, {}, log);
  EXPECT_EQ(countOps(model, "Gemm"), 1);
  EXPECT_EQ(rules(log), (std::vector<std::string>{"gemm_kept"}));
}

TEST(ConvertRewrite, GemmAsOneByOneConvOnRequest) {
  TempDir dir;
  const auto original = parseModel(dir.path(), kGemm, {{"w", {4, 8}}, {"b", {4}}});
  auto model = original;
  ConvertLog log;
  ConvertOptions options;
  options.gemmAsConv = true;
  convertGemm(model, options, log);
  removeUnitDimChains(model, log);
  EXPECT_EQ(countOps(model, "Gemm"), 0);
  EXPECT_EQ(intsOf(*findOp(model, "Conv"), "kernel_shape"), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(countOps(model, "Squeeze") + countOps(model, "Unsqueeze"), 0);  // cancelled
  EXPECT_TRUE(has(rules(log), "gemm_to_conv1x1"));
  expectSame(original, model, log, dir);
}

TEST(ConvertRewrite, AnOpWithoutALiftRuleReadsASqueezedCopy) {
  const char* text = R"(<ir_version: 7, opset_import: ["" : 11]>
g (float[1,4,20] x) => (float y, float z) {
  i = Constant <value = int64[2] {3, 17}> ()
  c = Conv <pads = [1, 1]> (x, w)
  y = Gather <axis = 2> (c, i)
  z = Relu (c)
})";
  TempDir dir;
  const auto original = parseModel(dir.path(), text, {{"w", {8, 4, 3}}});
  auto model = original;
  ConvertLog log;
  liftConv1dToConv2d(model, {}, log);
  EXPECT_EQ(countOps(model, "Squeeze"), 2);  // before Gather, and for the lifted output z
  expectSame(original, model, log, dir);
}

// The per-op lift rules at opset 13 (axes as inputs, Slice without axes, a [C,1] broadcast
// constant, Pad, Concat on a negative axis, Transpose, Softmax, reductions with and without
// keepdims): the unit height goes through all of them, with no border Squeeze/Unsqueeze.
TEST(ConvertRewrite, LiftRulesCarryTheUnitHeightThroughTheOps) {
  const char* text = R"(<ir_version: 8, opset_import: ["" : 13]>
g (float[1,4,20] x) => (float y, float z) {
  pads = Constant <value = int64[6] {0, 0, 1, 0, 0, 2}> ()
  st = Constant <value = int64[3] {0, 0, 1}> ()
  en = Constant <value = int64[3] {1, 8, 21}> ()
  ax = Constant <value = int64[1] {2}> ()
  c = Conv <pads = [1, 1]> (x, w)
  m = Mul (c, k)
  p = Pad (m, pads)
  s = Slice (p, st, en)
  q = Concat <axis = -1> (s, s)
  t = Transpose <perm = [0, 2, 1]> (q)
  u = Softmax <axis = 1> (t)
  y = ReduceMean <axes = [1], keepdims = 0> (u)
  r = Relu (c)
  rr = ReduceMax <axes = [2], keepdims = 1> (r)
  z = Squeeze (rr, ax)
})";
  TempDir dir;
  const auto original = parseModel(dir.path(), text, {{"w", {8, 4, 3}}, {"k", {8, 1}}});
  auto model = original;
  ConvertLog log;
  liftConv1dToConv2d(model, {}, log);
  std::string ops;
  for (const auto& node : model.graph().node())
    ops += node.op_type() + "(" + (node.input_size() ? node.input(0) : "") + ") ";
  EXPECT_EQ(countOps(model, "Squeeze"), 1) << ops;  // the graph's own, now dropping the height too
  EXPECT_EQ(countOps(model, "Unsqueeze"), 0);
  EXPECT_EQ(intsOf(*findOp(model, "Transpose"), "perm"), (std::vector<std::int64_t>{0, 3, 2, 1}));
  expectSame(original, model, log, dir);
}

}  // namespace
}  // namespace imuwb::convert::test
