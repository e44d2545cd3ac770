// `imuwb serve` and the edgeinfer backend end to end on loopback: the sidecar backend against
// serve gives the cpu backend's outputs (raw windows reach the sidecar: the backend undoes the
// host normalization and serve redoes it), concurrent clients are batched, /healthz and
// /metrics carry the contract's fields and names.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "backends/CpuBackend.hpp"
#include "backends/edgeinfer/EdgeinferBackend.hpp"
#include "core/jobs/ServeTestSupport.hpp"
#include "core/model/OnnxTestModels.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/Normalizer.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::test {

Batch contractBatch(const Manifest& manifest, std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  const float centre[9] = {0, 0, 9.81f, 0, 0, 0, 22, -8, 43};
  const float spread[9] = {2, 2, 2, 0.5f, 0.5f, 0.5f, 10, 10, 10};
  const auto dims = canonicalDims(manifest);
  const std::size_t rows = n * dims.h * dims.w;
  const int channels = dims.c;  // the first `channels` contract channels: 9, or 6 (ax..gz)
  std::vector<float> raw(rows * channels), canonical(raw.size());
  for (std::size_t r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c)
      raw[r * channels + c] = centre[c] + spread[c] * noise(random);
  Normalizer(manifest).apply(raw.data(), rows, canonical.data());
  Batch batch;
  batch.inputName = manifest.input.name;
  batch.shape = batchShape(manifest, n);
  batch.values.resize(canonical.size());
  canonicalToLayout(canonical.data(), n, dims, manifest.input.layout, batch.values.data());
  return batch;
}

namespace {

double cosine(const float* a, const float* b, std::size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

void expectSidecarEqualsCpu(const std::filesystem::path& model) {
  const auto bundle = loadModelBundle(model);
  ServeThread serve(bundle, {});
  BackendOptions options;
  options.settings = {{"url", serve.url()}, {"concurrency", "4"}};
  auto edge = edgeinferBackendEntry().create(options);
  edge->load(bundle);
  CpuBackend cpu;
  cpu.load(bundle);
  const auto batch = contractBatch(bundle.manifest, 24, 11);
  const auto remote = edge->run(batch);
  const auto local = cpu.run(batch);
  ASSERT_EQ(remote.outputs.size(), bundle.manifest.outputs.size());
  for (const auto& expected : local.outputs) {
    const auto* got = remote.find(expected.name);
    ASSERT_NE(got, nullptr) << expected.name;
    ASSERT_EQ(got->shape, expected.shape);
    const std::size_t d = expected.valuesPerWindow();
    for (std::size_t w = 0; w < expected.windowCount(); ++w) {
      // Undoing and redoing the z-score may move an input by an ulp: equal to float rounding.
      EXPECT_GT(cosine(got->values.data() + w * d, expected.values.data() + w * d, d), 1 - 1e-9);
      for (std::size_t i = 0; i < d; ++i)
        EXPECT_NEAR(got->values[w * d + i], expected.values[w * d + i], 1e-4)
            << expected.name << " window " << w;
    }
  }
  const auto& verdict = dynamic_cast<EdgeinferBackend&>(*edge).determinism();
  EXPECT_TRUE(verdict.probed);
  EXPECT_TRUE(verdict.deterministic) << verdict.text;
}

TEST(ServeEdgeinfer, SampleModelThroughServeEqualsCpu) {
  expectSidecarEqualsCpu(sourceDir() / "samples/models/dog_behavior_conv2d");
}

TEST(ServeEdgeinfer, PipelineEncoderThroughServeEqualsCpu) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  expectSidecarEqualsCpu(pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx");
}

// A model without a magnetometer, channels in its own order: the contract's rows still carry
// 9 values (the backend sends the magnetometer as 0, serve reads ax..gz and ignores the rest).
TEST(ServeEdgeinfer, SixChannelModelThroughServeEqualsCpu) {
  TempDir dir;
  std::filesystem::create_directories(dir / "six");
  writeOnnxModel(dir / "six/model.onnx", R"(<ir_version: 7, opset_import: ["" : 11]>
six (float[1,100,6] imu_window) => (float[1,4] y) {
  f = Flatten (imu_window)
  y = MatMul (f, W)
})",
                 {{"W", {600, 4}}});
  const nlohmann::json manifest = {{"format", "imuwb-manifest"},
                                   {"format_version", 1},
                                   {"name", "six"},
                                   {"onnx", "model.onnx"},
                                   {"input",
                                    {{"name", "imu_window"},
                                     {"layout", "NTC"},
                                     {"shape", {1, 100, 6}},
                                     {"channel_order", {"gz", "gy", "gx", "az", "ay", "ax"}}}},
                                   {"normalization",
                                    {{"applied_by", "host"},
                                     {"mean", {0.0, 0.0, 0.0, 9.7, 0.0, 0.1}},
                                     {"std", {0.08, 0.15, 0.2, 0.3, 0.4, 0.6}}}},
                                   {"outputs", {{{"name", "y"}, {"role", "latent"}, {"size", 4}}}}};
  std::ofstream(dir / "six/manifest.json") << manifest.dump(2);
  expectSidecarEqualsCpu(dir / "six");
}

TEST(ServeEdgeinfer, ConcurrentClientsShareEngineCalls) {
  const auto bundle = loadModelBundle(sourceDir() / "samples/models/dog_behavior_conv2d");
  ServeThread serve(bundle, {});
  BackendOptions options;
  options.settings = {{"url", serve.url()}, {"concurrency", "16"}, {"probe", "0"}};
  auto edge = edgeinferBackendEntry().create(options);
  edge->load(bundle);
  edge->run(contractBatch(bundle.manifest, 256, 3));
  const auto result = serve.stop();
  EXPECT_EQ(result.windows, 256u);
  EXPECT_LT(result.batches, result.windows) << "16 clients in flight, yet one window per call";
}

TEST(ServeEdgeinfer, HealthzAndMetricsCarryTheContractFields) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle = loadModelBundle(pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx");
  ServeThread serve(bundle, {});
  httplib::Client client("127.0.0.1", serve.port());
  auto body = nlohmann::json::parse(R"({"x": []})");
  for (int r = 0; r < 100; ++r) body["x"].push_back({0.1, 0.2, 9.8, 0, 0, 0, 20, -8, 40});
  ASSERT_EQ(client.Post("/infer", body.dump(), "application/json")->status, 200);
  body["x"][0][3] = 36.0;  // |gyro| > 35
  ASSERT_EQ(client.Post("/infer", body.dump(), "application/json")->status, 422);
  const auto health = nlohmann::json::parse(client.Get("/healthz")->body);
  for (const char* key : {"ok", "model", "uptime_s", "config_version", "hef_sha256", "version",
                          "device", "latency_ms"})
    EXPECT_TRUE(health.contains(key)) << key;
  EXPECT_EQ(health["ok"], true);
  const auto metrics = client.Get("/metrics")->body;
  EXPECT_NE(metrics.find("hailo_inference_requests_total{status=\"ok\",model=\""),
            std::string::npos);
  EXPECT_NE(metrics.find("hailo_inference_duration_seconds_count{model="), std::string::npos);
  EXPECT_NE(metrics.find("hailo_errors_total{error_type=\"validation\",model="), std::string::npos);
  // The legacy endpoint answers with the latent.
  nlohmann::json legacy = {{"imu_window", body["x"]}};
  legacy["imu_window"][0][3] = 0.0;
  const auto encoded = client.Post("/encode", legacy.dump(), "application/json");
  ASSERT_EQ(encoded->status, 200) << encoded->body;
  EXPECT_EQ(nlohmann::json::parse(encoded->body)["latent_embedding"].size(), 64u);
}

}  // namespace
}  // namespace imuwb::test
