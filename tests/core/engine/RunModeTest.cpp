// "Exactly what the model says": inputs with the declared shapes run the graph as-is (no
// re-batching, every input as given, numpy broadcasting), checked against ONNX Runtime; N
// windows split only for a symbolic or batch-1 leading dimension, and never change results.
#include <gtest/gtest.h>

#include <random>

#include "EngineTestSupport.hpp"
#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

// Runs `inputs` through the engine and ORT; returns the engine's result after comparing.
RunResult runBoth(const std::filesystem::path& model, const std::vector<NamedTensor>& inputs,
                  const std::filesystem::path& work) {
  const RunResult ours = InferenceSession(loadOnnxModel(model)).run(inputs);
  const auto ort = runOrt({{model.filename().string(), model, inputs}}, work);
  EXPECT_EQ(ort[0].size(), ours.outputs.size());
  for (std::size_t k = 0; k < ours.outputs.size() && k < ort[0].size(); ++k) {
    EXPECT_EQ(ours.outputs[k].tensor.shape(), ort[0][k].shape()) << model << " output " << k;
    if (ours.outputs[k].tensor.shape() != ort[0][k].shape()) continue;
    if (ort[0][k].dtype() == DType::Int64) {  // Shape: exact
      for (std::int64_t i = 0; i < ort[0][k].elementCount(); ++i)
        EXPECT_EQ(ours.outputs[k].tensor.data<std::int64_t>()[i],
                  ort[0][k].data<std::int64_t>()[i]);
      continue;
    }
    EXPECT_LE(maxAbsDiff(ours.outputs[k].tensor, ort[0][k]),
              1e-5 * std::max(1.0, maxAbs(ort[0][k])))
        << model << " output " << k;
  }
  return ours;
}

TEST(RunMode, FixedMultiInputModelsRunAsDeclared) {
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(21);
  // Each input's leading dim is its own: [3,4] x [4,3], [3,4,5] + [5], concat along axis 0.
  const auto path = writeModel(dir / "fixed.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[3,4] A, float[4,3] B, float[3,4,5] C, float[5] D) => (float[3,3] M, float[3,4,5] S,
                                                               float[7,3] J, int64[3] K) {
  M = MatMul (A, B)
  S = Add (C, D)
  J = Concat <axis = 0> (M, B)
  K = Shape (C)
}
)");
  const RunResult ours = runBoth(path,
                                 {{"A", randomTensor({3, 4}, rng)},
                                  {"B", randomTensor({4, 3}, rng)},
                                  {"C", randomTensor({3, 4, 5}, rng)},
                                  {"D", randomTensor({5}, rng)}},
                                 dir / "work");
  EXPECT_EQ(ours.mode, RunMode::AsDeclared);
}

TEST(RunModeBatching, BatchOneModelThatDropsTheWindowDimRunsAsDeclaredForOneWindow) {
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(22);
  // Squeezing axis 0 cannot be batched: one window runs as ONNX says ([4,6] out), N windows
  // run one at a time and are stacked.
  const auto path = writeModel(dir / "squeeze.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,4,6] X) => (float Y) {
  s = Squeeze (X, axes)
  Y = Softmax <axis = 0> (s)
}
)",
                               {{"axes", Tensor::fromInt64s({1}, std::vector<std::int64_t>{0})}});
  const Tensor one = randomTensor({1, 4, 6}, rng);
  const RunResult single = runBoth(path, {{"X", one}}, dir / "work1");
  EXPECT_EQ(single.mode, RunMode::AsDeclared);
  EXPECT_EQ(single.outputs[0].tensor.shape(), (Shape{4, 6}));
  const Tensor three = randomTensor({3, 4, 6}, rng);
  InferenceSession session(loadOnnxModel(path));
  const RunResult stacked = session.run({{"X", three}});
  EXPECT_EQ(stacked.mode, RunMode::WindowByWindow);
  ASSERT_EQ(stacked.outputs[0].tensor.shape(), (Shape{3, 4, 6}));
  for (std::int64_t w = 0; w < 3; ++w) {
    const RunResult alone = session.run({{"X", three.sliceLeading(w, 1)}});
    for (std::int64_t i = 0; i < 24; ++i)
      EXPECT_EQ(stacked.outputs[0].tensor.data<float>()[w * 24 + i],
                alone.outputs[0].tensor.data<float>()[i]);
  }
}

TEST(RunModeBatching, SymbolicBatchThatCannotBeSplitRunsInOnePassAsOrtDoes) {
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(23);
  // Softmax over the batch axis and a Shape output: only a single pass over all N is right.
  const auto path = writeModel(dir / "mixing.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,5] X, float[5] B) => (float[N,5] Y, int64[2] K) {
  a = Add (X, B)
  Y = Softmax <axis = 0> (a)
  K = Shape (X)
}
)");
  InferenceSession session(loadOnnxModel(path));
  EXPECT_FALSE(session.plan().batched);
  const RunResult ours =
      runBoth(path, {{"X", randomTensor({6, 5}, rng)}, {"B", randomTensor({5}, rng)}}, dir / "w");
  EXPECT_EQ(ours.mode, RunMode::AsDeclared);
}

TEST(RunModeBatching, SymbolicBatchThatSplitsGivesTheOnePassResult) {
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(24);
  const auto path = writeModel(dir / "split.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,4] X, float[4,3] W) => (float[N,3] Y) {
  m = MatMul (X, W)
  Y = Relu (m)
}
)");
  const RunResult ours = runBoth(
      path, {{"X", randomTensor({37, 4}, rng)}, {"W", randomTensor({4, 3}, rng)}}, dir / "w");
  EXPECT_EQ(ours.mode, RunMode::Batched);
}

TEST(RunModeBatching, InputsThatFitNeitherWayAreRefusedWithTheDeclaredShape) {
  TempDir dir;
  std::mt19937 rng(25);
  const auto path = writeModel(dir / "fixed.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[3,4] A, float[4,3] B) => (float[3,3] M) {
  M = MatMul (A, B)
}
)");
  InferenceSession session(loadOnnxModel(path));
  try {
    session.run({{"A", randomTensor({6, 4}, rng)}, {"B", randomTensor({4, 3}, rng)}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("the model takes [3,4]"), std::string::npos) << error.what();
  }
}

// Shape-setting values given as model inputs (Reshape's shape, ReduceSum's axes, Slice's
// bounds), as ONNX's own node tests feed them: the session plans for each
// run's values, and new values give a new plan. Checked against ORT for two sets of values.
TEST(RunMode, InputsThatSetShapesArePlannedForEachRun) {
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(23);
  const auto path = writeModel(dir / "values.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[2,3,4] X, int64[2] dims, int64[1] axes, int64[1] starts, int64[1] ends)
  => (float[?,?] R, float[?,?] S, float[?,?,?] T) {
  R = Reshape (X, dims)
  S = ReduceSum <keepdims = 0> (X, axes)
  T = Slice (X, starts, ends, axes)
}
)");
  const Tensor x = randomTensor({2, 3, 4}, rng);
  auto run = [&](std::vector<std::int64_t> shape, std::int64_t axis, std::int64_t start,
                 std::int64_t end, const char* work) {
    return runBoth(path,
                   {{"X", x},
                    {"dims", Tensor::fromInt64s({2}, shape)},
                    {"axes", Tensor::fromInt64s({1}, std::vector<std::int64_t>{axis})},
                    {"starts", Tensor::fromInt64s({1}, std::vector<std::int64_t>{start})},
                    {"ends", Tensor::fromInt64s({1}, std::vector<std::int64_t>{end})}},
                   dir / work);
  };
  const RunResult first = run({6, 4}, 1, 0, 2, "a");
  EXPECT_EQ(first.outputs[0].tensor.shape(), (Shape{6, 4}));
  const RunResult second = run({4, -1}, -1, 1, 3, "b");
  EXPECT_EQ(second.outputs[0].tensor.shape(), (Shape{4, 6}));
  EXPECT_EQ(second.outputs[1].tensor.shape(), (Shape{2, 3}));
  // One session, values changing between runs: each run gets the plan its values call for.
  InferenceSession session(loadOnnxModel(path));
  EXPECT_NE(session.plan().batchNote.find("planned for each run"), std::string::npos);
  for (std::int64_t rows : {3, 8, 3}) {
    const RunResult result =
        session.run({{"X", x},
                     {"dims", Tensor::fromInt64s({2}, std::vector<std::int64_t>{rows, -1})},
                     {"axes", Tensor::fromInt64s({1}, std::vector<std::int64_t>{0})},
                     {"starts", Tensor::fromInt64s({1}, std::vector<std::int64_t>{0})},
                     {"ends", Tensor::fromInt64s({1}, std::vector<std::int64_t>{1})}});
    EXPECT_EQ(result.outputs[0].tensor.shape(), (Shape{rows, 24 / rows}));
    EXPECT_EQ(result.mode, RunMode::AsDeclared);
  }
}

}  // namespace
}  // namespace imuwb::engine::test
