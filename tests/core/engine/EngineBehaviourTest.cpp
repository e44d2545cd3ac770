// The planner and session contract: fusion and how to see or stop it, taps, the activation and
// weight hooks, batching of batch-1 exports (and the window-by-window fallback), threads.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <random>
#include <set>

#include "EngineTestSupport.hpp"
#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"  // SessionOptions{.threads = 2}

namespace imuwb::engine::test {
namespace {

using imuwb::test::TempDir;

const char* kConvBnRelu = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,3,20] X) => (float Y) {
  c = Conv <pads = [1, 1]> (X, W, B)
  b = BatchNormalization (c, s, sh, m, v)
  r = Relu (b)
  f = Flatten (r)
  Y = Gemm <transB = 1> (f, G, GB)
}
)";

struct ConvBnModel {
  TempDir dir;
  std::filesystem::path path;
  ConvBnModel() {
    std::mt19937 rng(3);
    path = writeModel(dir / "convbn.onnx", kConvBnRelu,
                      {{"W", randomTensor({4, 3, 3}, rng)},
                       {"B", randomTensor({4}, rng)},
                       {"s", randomTensor({4}, rng, 0.5f, 1.5f)},
                       {"sh", randomTensor({4}, rng)},
                       {"m", randomTensor({4}, rng)},
                       {"v", randomTensor({4}, rng, 0.5f, 1.5f)},
                       {"G", randomTensor({5, 80}, rng)},
                       {"GB", randomTensor({5}, rng)}});
  }
  Tensor input(std::int64_t windows, unsigned seed = 1) const {
    std::mt19937 rng(seed);
    return randomTensor({windows, 3, 20}, rng);
  }
};

TEST(EnginePlan, FusesConvBatchNormReluAndNamesTheCoveredNodes) {
  ConvBnModel model;
  InferenceSession session(loadOnnxModel(model.path));
  const auto& steps = session.plan().steps;
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(steps[0].opType, "Conv");
  EXPECT_EQ(steps[0].fusion, "Conv+BatchNormalization+Relu");
  EXPECT_EQ(steps[0].coveredNodes.size(), 3u);
  EXPECT_EQ(steps[0].outputs, std::vector<std::string>{"r"});
  std::set<std::string> fusedAway;
  for (const auto& [tensor, step] : session.plan().fusedAwayTensors) fusedAway.insert(tensor);
  EXPECT_EQ(fusedAway, (std::set<std::string>{"c", "b"}));
  for (const auto& step : steps) EXPECT_NE(step.opType, "BatchNormalization");
  EXPECT_EQ(session.plan().aliasNodes.size(), 1u);  // Flatten only relabels memory
}

TEST(EnginePlan, FusedAndUnfusedPlansAgree) {
  ConvBnModel model;
  const OnnxModel onnx = loadOnnxModel(model.path);
  const Tensor x = model.input(6);
  InferenceSession fused(onnx);
  InferenceSession unfused(onnx, {.enableFusion = false});
  InferenceSession keep(onnx, {.keepUnfused = {"BatchNormalization_1"}});
  bool sawBatchNorm = false;
  for (const auto& step : unfused.plan().steps) sawBatchNorm |= step.opType == "BatchNormalization";
  EXPECT_TRUE(sawBatchNorm);
  for (const auto& step : keep.plan().steps) EXPECT_NE(step.fusion, "Conv+BatchNormalization+Relu");
  const Tensor a = fused.run({{"X", x}}).outputs[0].tensor;
  EXPECT_LE(maxAbsDiff(a, unfused.run({{"X", x}}).outputs[0].tensor),
            1e-5 * std::max(1.0, maxAbs(a)));
  EXPECT_LE(maxAbsDiff(a, keep.run({{"X", x}}).outputs[0].tensor), 1e-5 * std::max(1.0, maxAbs(a)));
}

TEST(EngineTaps, TappingAFusedAwayTensorKeepsItAndMatchesOnnxRuntime) {
  IMUWB_REQUIRE_ORT_PEER();
  ConvBnModel model;
  const OnnxModel onnx = loadOnnxModel(model.path);
  InferenceSession session(onnx, {.taps = {"c", "b"}});
  EXPECT_EQ(session.plan().steps[0].fusion, "");  // c is tapped: Conv stays alone
  const Tensor x = model.input(4);
  const RunResult result = session.run({{"X", x}});
  ASSERT_EQ(result.taps.size(), 2u);
  EXPECT_EQ(result.taps[0].name, "c");
  EXPECT_EQ(result.taps[0].tensor.shape(), (Shape{4, 4, 20}));
  // ORT on the same graph with c and b as outputs (independent computation).
  std::mt19937 rng(3);
  TempDir dir;
  std::string text = kConvBnRelu;
  text.replace(text.find("=> (float Y)"), 12, "=> (float Y, float c, float b)");
  const auto path = writeModel(dir / "taps.onnx", text,
                               {{"W", randomTensor({4, 3, 3}, rng)},
                                {"B", randomTensor({4}, rng)},
                                {"s", randomTensor({4}, rng, 0.5f, 1.5f)},
                                {"sh", randomTensor({4}, rng)},
                                {"m", randomTensor({4}, rng)},
                                {"v", randomTensor({4}, rng, 0.5f, 1.5f)},
                                {"G", randomTensor({5, 80}, rng)},
                                {"GB", randomTensor({5}, rng)}});
  const auto ort = runOrt({{"taps", path, {{"X", x}}}}, dir.path() / "work");
  ASSERT_EQ(ort[0].size(), 3u);
  EXPECT_LE(maxAbsDiff(result.taps[0].tensor, ort[0][1]), 1e-5 * std::max(1.0, maxAbs(ort[0][1])));
  EXPECT_LE(maxAbsDiff(result.taps[1].tensor, ort[0][2]), 1e-5 * std::max(1.0, maxAbs(ort[0][2])));
}

TEST(EngineTaps, TapAllCapturesEveryIntermediateAndUnknownNamesAreErrors) {
  ConvBnModel model;
  const OnnxModel onnx = loadOnnxModel(model.path);
  InferenceSession session(onnx, {.tapAll = true});
  const auto names = session.tapNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"c", "b", "r", "f"}));
  const RunResult result = session.run({{"X", model.input(3)}});
  EXPECT_EQ(result.taps.size(), 4u);
  EXPECT_THROW(InferenceSession(onnx, {.taps = {"no_such_tensor"}}), imuwb::Error);
  EXPECT_THROW(InferenceSession(onnx, {.taps = {"W"}}),
               imuwb::Error);  // a constant, not an activation
}

TEST(EngineHooks, ActivationHookSeesEveryStepAndCanRewriteValues) {
  ConvBnModel model;
  const OnnxModel onnx = loadOnnxModel(model.path);
  const Tensor x = model.input(5);
  std::mutex mutex;
  std::set<std::string> seen;
  SessionOptions options;
  options.threads = 2;
  options.activationHook = [&](const ActivationView& view) {
    std::lock_guard lock(mutex);
    seen.insert(std::string(view.name));
    EXPECT_EQ(view.values.size(),
              static_cast<std::size_t>(elementCount(Shape(view.shape.begin(), view.shape.end()))));
  };
  InferenceSession observed(onnx, options);
  const Tensor plain = InferenceSession(onnx).run({{"X", x}}).outputs[0].tensor;
  // Two threads split the windows into different GEMM sizes: equal up to float rounding.
  EXPECT_LE(maxAbsDiff(observed.run({{"X", x}}).outputs[0].tensor, plain),
            1e-6 * std::max(1.0, maxAbs(plain)));
  EXPECT_EQ(seen, (std::set<std::string>{"X", "r", "Y"}));

  // Fake-quantizing the input to a coarse grid changes the result exactly as quantizing the
  // data beforehand does.
  SessionOptions quantize;
  quantize.activationHook = [](const ActivationView& view) {
    if (view.name != "X") return;
    for (float& v : view.values) v = std::round(v * 4.f) / 4.f;
  };
  Tensor rounded = x;
  for (float& v : rounded.floats()) v = std::round(v * 4.f) / 4.f;
  const Tensor viaHook = InferenceSession(onnx, quantize).run({{"X", x}}).outputs[0].tensor;
  const Tensor viaData = InferenceSession(onnx).run({{"X", rounded}}).outputs[0].tensor;
  EXPECT_EQ(maxAbsDiff(viaHook, viaData), 0.0);
  EXPECT_GT(maxAbsDiff(viaHook, plain), 0.0);
}

TEST(EngineHooks, WeightHookSeesFoldedWeightsWithTheirNodesAndCanQuantizeThem) {
  ConvBnModel model;
  const OnnxModel onnx = loadOnnxModel(model.path);
  std::vector<WeightSite> sites;
  SessionOptions options;
  options.weightHook = [&](const WeightSite& site, Tensor& weight) {
    sites.push_back(site);
    if (site.opType == "Gemm" && site.inputIndex == 1)
      for (float& v : weight.floats()) v = 0.f;  // leaves Y = GB
  };
  InferenceSession session(onnx, options);
  ASSERT_EQ(sites.size(), 4u);  // conv W, conv B, gemm G, gemm GB
  EXPECT_EQ(sites[0].name, "W");
  EXPECT_EQ(sites[0].opType, "Conv");
  EXPECT_EQ(sites[0].outputChannelAxis, 0);
  EXPECT_EQ(sites[0].fusedNodes.size(), 2u);  // BatchNormalization and Relu
  EXPECT_EQ(sites[2].name, "G");
  EXPECT_EQ(sites[2].outputChannelAxis, 0);  // transB = 1: rows are output channels
  const Tensor y = session.run({{"X", model.input(2)}}).outputs[0].tensor;
  const Tensor bias = onnx.initializer("GB");
  for (std::int64_t w = 0; w < 2; ++w)
    for (std::int64_t k = 0; k < 5; ++k)
      EXPECT_EQ(y.data<float>()[w * 5 + k], bias.data<float>()[k]);
}

TEST(EngineBatching, BatchOneExportWithBakedReshapeStillBatches) {
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  std::mt19937 rng(9);
  // Exported with batch 1 and a Reshape to [1, -1]: the planner rewrites the baked 1.
  const auto path =
      writeModel(dir / "baked.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 11]
>
g (float[1,4,6] X) => (float[1,3] Y) {
  r = Reshape (X, shape)
  Y = Gemm <transB = 1> (r, G)
}
)",
                 {{"shape", Tensor::fromInt64s({2}, std::vector<std::int64_t>{1, -1})},
                  {"G", randomTensor({3, 24}, rng)}});
  const Tensor x = randomTensor({7, 4, 6}, rng);
  InferenceSession session(loadOnnxModel(path), {.chunkWindows = 3});
  EXPECT_TRUE(session.plan().batched) << session.plan().batchNote;
  const Tensor ours = session.run({{"X", x}}).outputs[0].tensor;
  const auto ort = runOrt({{"baked", path, {{"X", x}}}}, dir.path() / "work");  // window by window
  ASSERT_EQ(ort[0].size(), 1u);
  EXPECT_EQ(ours.shape(), (Shape{7, 3}));
  EXPECT_LE(maxAbsDiff(ours, ort[0][0]), 1e-5 * std::max(1.0, maxAbs(ort[0][0])));
}

TEST(EngineBatching, OpsThatMixTheWindowDimensionFallBackToWindowByWindow) {
  TempDir dir;
  std::mt19937 rng(10);
  // Flatten at axis 2 folds the window dimension into the rows: not batchable.
  const auto path = writeModel(dir / "mix.onnx", R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[1,4,6] X) => (float Y) {
  f = Flatten <axis = 2> (X)
  Y = Softmax <axis = 0> (f)
}
)");
  InferenceSession session(loadOnnxModel(path));
  EXPECT_FALSE(session.plan().batched);
  EXPECT_NE(session.plan().batchNote.find("Flatten"), std::string::npos)
      << session.plan().batchNote;
  const Tensor x = randomTensor({3, 4, 6}, rng);
  const Tensor ours = session.run({{"X", x}}).outputs[0].tensor;
  EXPECT_EQ(ours.shape(), (Shape{3, 4, 6}));  // per window [4,6], stacked
  // Each window alone: softmax over its 4 rows, column by column (hand computed).
  for (std::int64_t w = 0; w < 3; ++w)
    for (std::int64_t col = 0; col < 6; ++col) {
      double sum = 0;
      for (std::int64_t row = 0; row < 4; ++row)
        sum += std::exp(x.data<float>()[w * 24 + row * 6 + col]);
      for (std::int64_t row = 0; row < 4; ++row) {
        const std::int64_t i = w * 24 + row * 6 + col;
        EXPECT_NEAR(ours.data<float>()[i], std::exp(x.data<float>()[i]) / sum, 1e-6);
      }
    }
}

TEST(EngineBatching, ThreadsAndChunkSizesGiveTheSameAnswer) {
  ConvBnModel model;
  const OnnxModel onnx = loadOnnxModel(model.path);
  const Tensor x = model.input(37);
  const Tensor reference = InferenceSession(onnx).run({{"X", x}}).outputs[0].tensor;
  for (int threads : {2, 3})
    for (std::int64_t chunk : {1, 5, 64}) {
      InferenceSession session(onnx, {.threads = threads, .chunkWindows = chunk});
      // Chunk sizes change GEMM shapes and so the summation order: equal up to rounding.
      EXPECT_LE(maxAbsDiff(session.run({{"X", x}}).outputs[0].tensor, reference),
                1e-6 * std::max(1.0, maxAbs(reference)))
          << threads << " threads, chunk " << chunk;
    }
  // runInto reuses the result tensors: same storage on the second call.
  InferenceSession session(onnx);
  RunResult result;
  const Tensor* inputs[] = {&x};
  session.runInto(inputs, result);
  const void* storage = result.outputs[0].tensor.raw();
  session.runInto(inputs, result);
  EXPECT_EQ(result.outputs[0].tensor.raw(), storage);
  // Zero windows is a valid (empty) run.
  const Tensor none(DType::Float32, {0, 3, 20});
  EXPECT_EQ(session.run({{"X", none}}).outputs[0].tensor.shape(), (Shape{0, 5}));
}

}  // namespace
}  // namespace imuwb::engine::test
