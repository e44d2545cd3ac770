// The real TCN encoder from the deployment pipeline against ONNX Runtime, on the three sidecar
// samples (normalized with model_config.json's mean/std) plus random normalized windows.
#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "EngineTestSupport.hpp"
#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"

namespace fs = std::filesystem;

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"  // SessionOptions{.threads = 2}

namespace imuwb::engine::test {
namespace {

using imuwb::test::pipelineFixturesDir;
using imuwb::test::TempDir;

fs::path encoderPath() {
  return pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx";
}

// [N,100,9] z-scored windows: the sidecar samples first, then random ones.
Tensor realisticWindows(int randomWindows) {
  std::ifstream configFile(pipelineFixturesDir() / "model_config.json");
  const auto config = nlohmann::json::parse(configFile);
  const auto mean = config["normalization"]["mean"].get<std::vector<float>>();
  const auto stdev = config["normalization"]["std"].get<std::vector<float>>();
  std::vector<float> values;
  int windows = 0;
  for (const char* sample :
       {"realistic_imu_sample.json", "static_imu_sample.json", "random_imu_sample.json"}) {
    std::ifstream file(pipelineFixturesDir() / sample);
    const auto rows = nlohmann::json::parse(file)["x"];
    // static_imu_sample.json holds 105 rows (a real-world defect): take the first window.
    EXPECT_GE(rows.size(), 100u) << sample;
    for (std::size_t r = 0; r < 100; ++r)
      for (int c = 0; c < 9; ++c) values.push_back((rows[r][c].get<float>() - mean[c]) / stdev[c]);
    ++windows;
  }
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.f, 1.f);
  for (int w = 0; w < randomWindows; ++w, ++windows)
    for (int i = 0; i < 900; ++i) values.push_back(normal(rng));
  return Tensor::fromFloats({windows, 100, 9}, values);
}

void expectEncoderParity(const Tensor& ours, const Tensor& ort) {
  ASSERT_EQ(ours.shape(), ort.shape());
  const std::int64_t windows = ours.dim(0), width = ours.dim(1);
  for (std::int64_t w = 0; w < windows; ++w) {
    const Tensor a = ours.sliceLeading(w, 1), b = ort.sliceLeading(w, 1);
    EXPECT_GE(cosine(a, b), 0.999999) << "window " << w;
    EXPECT_LE(maxAbsDiff(a, b), 1e-4) << "window " << w;
  }
  EXPECT_EQ(width, 64);
}

TEST(EncoderPeer, MatchesOnnxRuntimeOnRealisticWindows) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  IMUWB_REQUIRE_ORT_PEER();
  TempDir dir;
  const Tensor windows = realisticWindows(61);
  const auto ort = runOrt({{"encoder", encoderPath(), {{"imu_window", windows}}}}, dir.path());
  ASSERT_EQ(ort.size(), 1u);
  ASSERT_EQ(ort[0].size(), 1u);
  const OnnxModel model = loadOnnxModel(encoderPath());
  for (int threads : {1, 2}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    InferenceSession session(model, {.threads = threads});
    EXPECT_TRUE(session.plan().batched) << session.plan().batchNote;
    const RunResult result = session.run({{"imu_window", windows}});
    ASSERT_EQ(result.outputs.size(), 1u);
    EXPECT_EQ(result.outputs[0].name, "latent_embeddings");
    expectEncoderParity(result.outputs[0].tensor, ort[0][0]);
  }
}

TEST(EncoderPeer, OneWindowAtATimeEqualsTheBatch) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const Tensor windows = realisticWindows(13);
  InferenceSession session(loadOnnxModel(encoderPath()), {.threads = 2, .chunkWindows = 4});
  const Tensor batch = session.run({{"imu_window", windows}}).outputs[0].tensor;
  for (std::int64_t w = 0; w < windows.dim(0); ++w) {
    const Tensor single =
        session.run({{"imu_window", windows.sliceLeading(w, 1)}}).outputs[0].tensor;
    EXPECT_LE(maxAbsDiff(single, batch.sliceLeading(w, 1)), 1e-6) << "window " << w;
  }
}

TEST(EncoderPeer, TapsMatchOnnxRuntimeAtTheTappedTensor) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  IMUWB_REQUIRE_ORT_PEER();
  // The first block's conv output is fused with Relu in the plan; tapping it must keep it.
  const std::string tap = "/tcn_encoder/network/network.0/Add_output_0";
  const OnnxModel model = loadOnnxModel(encoderPath());
  InferenceSession session(model, {.taps = {tap}});
  const Tensor windows = realisticWindows(5);
  const RunResult result = session.run({{"imu_window", windows}});
  ASSERT_EQ(result.taps.size(), 1u);
  EXPECT_EQ(result.taps[0].name, tap);
  EXPECT_EQ(result.taps[0].tensor.dim(0), windows.dim(0));
  // Independent: ORT on a copy of the model whose output is the tapped tensor.
  TempDir dir;
  std::ifstream in(encoderPath(), std::ios::binary);
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromIstream(&in));
  proto.mutable_graph()->mutable_output(0)->set_name(tap);
  proto.mutable_graph()->mutable_output(0)->clear_type();
  auto* type = proto.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type();
  type->set_elem_type(onnx::TensorProto::FLOAT);
  for (auto dim : result.taps[0].tensor.shape())
    type->mutable_shape()->add_dim()->set_dim_value(dim);
  type->mutable_shape()->mutable_dim(0)->set_dim_value(1);
  const fs::path tapped = dir / "tapped.onnx";
  std::ofstream(tapped, std::ios::binary) << proto.SerializeAsString();
  const auto ort = runOrt({{"tap", tapped, {{"imu_window", windows}}}}, dir.path() / "work");
  ASSERT_EQ(ort[0].size(), 1u);
  EXPECT_LE(maxAbsDiff(result.taps[0].tensor, ort[0][0]), 1e-4);
}

TEST(SamplePeer, Conv2dSampleModelMatchesItsPyTorchReference) {
  // samples/models/dog_behavior_conv2d ships PyTorch's own outputs for its reference windows:
  // an independent implementation of the same Conv2d (1,k) device-axis network.
  const fs::path folder = imuwb::test::sourceDir() / "samples/models/dog_behavior_conv2d";
  if (!fs::exists(folder / "model.onnx") || !fs::exists(folder / "reference/inputs_nchw.npy"))
    FAIL() << "sample model (ships with the repo) missing from " << folder;
  InferenceSession session(loadOnnxModel(folder / "model.onnx"), {.threads = 2});
  const Tensor inputs = readNpyAsFloat32(folder / "reference/inputs_nchw.npy");
  const RunResult result = session.run({{session.inputNames()[0], inputs}});
  ASSERT_EQ(result.outputs.size(), 3u);
  for (const auto& output : result.outputs) {
    SCOPED_TRACE(output.name);
    const Tensor reference = readNpyAsFloat32(folder / "reference" / (output.name + ".npy"));
    ASSERT_EQ(output.tensor.shape(), reference.shape());
    for (std::int64_t w = 0; w < reference.dim(0); ++w) {
      EXPECT_GE(cosine(output.tensor.sliceLeading(w, 1), reference.sliceLeading(w, 1)), 0.99999);
      EXPECT_LE(maxAbsDiff(output.tensor.sliceLeading(w, 1), reference.sliceLeading(w, 1)), 1e-4);
    }
  }
}

}  // namespace
}  // namespace imuwb::engine::test
