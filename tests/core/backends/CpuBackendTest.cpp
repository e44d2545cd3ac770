// The CPU backend on the committed sample model against PyTorch's own outputs for the same
// windows (saved by samples/models/train_sample_model.py), and the backend registry.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/BackendRegistry.hpp"
#include "backends/CpuBackend.hpp"
#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "pipeline/BatchBuilder.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::filesystem::path sampleModel() {
  return test::sourceDir() / "samples/models/dog_behavior_conv2d";
}

#define REQUIRE_SAMPLE_MODEL()                                                        \
  if (!std::filesystem::exists(sampleModel() / "reference/latent.npy"))               \
  FAIL() << "sample model with reference outputs (ships with the repo) not found at " \
         << sampleModel()

double cosine(std::span<const float> a, std::span<const float> b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    dot += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
  return dot / std::sqrt(na * nb);
}

TEST(CpuBackend, MatchesPyTorchOnTheSampleModel) {
  REQUIRE_SAMPLE_MODEL();
  const auto bundle = loadModelBundle(sampleModel());
  CpuBackend backend;
  backend.load(bundle);
  EXPECT_EQ(backend.describe().name, "cpu");
  EXPECT_EQ(backend.describe().precision, "fp32");
  const auto inputs = engine::readNpyAsFloat32(sampleModel() / "reference/inputs_nchw.npy");
  Batch batch{
      bundle.manifest.input.name, inputs.shape(), {inputs.floats().begin(), inputs.floats().end()}};
  const auto outputs = backend.run(batch);
  for (const auto& output : bundle.manifest.outputs) {
    const auto expected =
        engine::readNpyAsFloat32(sampleModel() / ("reference/" + output.name + ".npy"));
    const auto* got = outputs.find(output.name);
    ASSERT_NE(got, nullptr) << output.name;
    ASSERT_EQ(got->values.size(), static_cast<std::size_t>(expected.elementCount())) << output.name;
    double maxDiff = 0;
    for (std::size_t i = 0; i < got->values.size(); ++i)
      maxDiff = std::max(maxDiff, std::abs(double(got->values[i]) - expected.floats()[i]));
    EXPECT_LT(maxDiff, 1e-4) << output.name;
    EXPECT_GT(cosine(got->values, expected.floats()), 0.99999) << output.name;
  }
}

TEST(CpuBackend, HostNormalizationAndLayoutMatchTheTrainingScript) {
  REQUIRE_SAMPLE_MODEL();
  const auto bundle = loadModelBundle(sampleModel());
  // raw_windows: [8, devices=2, T=100, 9] in contract units, as the training script cut them.
  const auto raw = engine::readNpyAsFloat32(sampleModel() / "reference/raw_windows.npy");
  const auto expected = engine::readNpyAsFloat32(sampleModel() / "reference/inputs_nchw.npy");
  WindowBlock block;
  block.deviceCount = 2;
  block.windowLength = 100;
  block.raw.assign(raw.floats().begin(), raw.floats().end());
  block.windows.resize(raw.dim(0));
  BatchBuilder builder(bundle.manifest);
  Batch batch;
  builder.build(block, 0, block.size(), batch);
  ASSERT_EQ(batch.shape, expected.shape());
  for (std::size_t i = 0; i < batch.values.size(); ++i)
    ASSERT_NEAR(batch.values[i], expected.floats()[i], 1e-5) << i;
}

TEST(BackendRegistry, ListsCpuAndNamesTheKnownBackendsOnError) {
  const auto registry = makeDefaultBackendRegistry();
  EXPECT_TRUE(registry.contains("cpu"));
  auto backend = registry.create("cpu");
  EXPECT_EQ(backend->describe().name, "cpu");
  try {
    registry.create("tpu");
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("unknown backend 'tpu'"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("cpu"), std::string::npos);
  }
  BackendOptions options;
  options.settings["threads"] = "two";
  EXPECT_THROW(registry.create("cpu", options), Error);
}

TEST(CpuBackend, RunBeforeLoadIsAnError) {
  CpuBackend backend;
  Batch batch{"x", {1, 2}, {1, 2}};
  EXPECT_THROW(backend.run(batch), Error);
}

}  // namespace
}  // namespace imuwb
