// Parity against a live backend: `imuwb serve` on a free loopback port, compared through the
// edgeinfer backend with the cpu backend on the same windows (the sample model over a session,
// the pipeline encoder over contract-valid windows). It passes at float rounding, and the
// reports name each side's backend, its /healthz fields and its determinism verdict. A stub
// answering random numbers is flagged non-deterministic everywhere and fails the verdict.
#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "core/jobs/ServeTestSupport.hpp"
#include "engine/NpyTensor.hpp"
#include "jobs/ParityJob.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::test {
namespace {

const std::filesystem::path kModel = sourceDir() / "samples/models/dog_behavior_conv2d";
const std::filesystem::path kSession = sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";

std::filesystem::path encoderPath() {
  return pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx";
}

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// cpu (A) against edgeinfer at url (B), no per-layer analysis (nothing is quantized), with all
// three reports into dir.
jobs::ParityJobOptions cpuVsEdgeinfer(const std::string& url, const TempDir& dir) {
  jobs::ParityJobOptions options;
  options.a = "cpu";
  options.b = "edgeinfer";
  options.bSettings = {{"url", url}, {"concurrency", "4"}};
  options.compare.layerAnalysis = false;
  options.reports = {dir / "r.json", dir / "r.html", dir / "r.xml"};
  return options;
}

// Windows the encoder's contract accepts (raw values in range), saved in its layout.
std::filesystem::path encoderWindows(const ModelBundle& bundle, const TempDir& dir) {
  const auto batch = contractBatch(bundle.manifest, 32, 17);
  const auto path = dir / "windows.npy";
  engine::writeNpyTensor(path, engine::Tensor::fromFloats(batch.shape, batch.values));
  return path;
}

void expectPassAtFloatRounding(const analysis::ParityResult& result) {
  ASSERT_GT(result.windows, 0u);
  for (const auto& output : result.outputs) {
    EXPECT_GE(output.cosineMin, 1 - 1e-9) << output.output;
    EXPECT_LE(output.maxAbs, 1e-4) << output.output;
    EXPECT_TRUE(output.passed) << output.output;
  }
  EXPECT_TRUE(result.passed());
  EXPECT_EQ(result.b.label, "edgeinfer");
  EXPECT_FALSE(result.b.nonDeterministic);
  EXPECT_EQ(result.b.determinism.rfind("deterministic", 0), 0u) << result.b.determinism;
}

// The reports name the sidecar, its health fields and the verdict.
void expectReportsDescribeTheSidecar(const TempDir& dir, const std::string& url) {
  const auto doc = nlohmann::json::parse(readText(dir / "r.json"));
  EXPECT_EQ(doc["b"]["label"], "edgeinfer");
  EXPECT_NE(doc["b"]["detail"].get<std::string>().find(url), std::string::npos);
  std::map<std::string, std::string> details;
  for (const auto& d : doc["b"]["details"]) details[d["key"]] = d["value"];
  for (const char* key :
       {"healthz.model", "healthz.hef_sha256", "healthz.version", "healthz.device", "determinism"})
    EXPECT_TRUE(details.contains(key)) << key;
  EXPECT_EQ(doc["b"]["non_deterministic"], false);
  EXPECT_EQ(doc["a"]["details"].size(), 0u);  // the host cpu backend has none
  const auto html = readText(dir / "r.html");
  EXPECT_NE(html.find("healthz.hef_sha256"), std::string::npos);
  EXPECT_NE(html.find(url), std::string::npos);
  const auto junit = readText(dir / "r.xml");
  EXPECT_NE(junit.find("name=\"b.healthz.model\""), std::string::npos);
  EXPECT_NE(junit.find("name=\"b.determinism\" value=\"deterministic"), std::string::npos);
}

TEST(ParityLiveBackend, SampleModelCpuVsEdgeinferThroughServePasses) {
  const auto bundle = loadModelBundle(kModel);
  ServeThread serve(bundle, {});
  TempDir dir;
  auto options = cpuVsEdgeinfer(serve.url(), dir);
  options.compare.sessions = {kSession};
  options.compare.maxWindows = 48;
  const auto result = jobs::runParityJob(bundle, options);
  EXPECT_EQ(result.windows, 48u);
  EXPECT_EQ(result.outputs.size(), bundle.manifest.outputs.size());
  expectPassAtFloatRounding(result);
  expectReportsDescribeTheSidecar(dir, serve.url());
}

TEST(ParityLiveBackend, PipelineEncoderCpuVsEdgeinferThroughServePasses) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle = loadModelBundle(encoderPath());
  ServeThread serve(bundle, {});
  TempDir dir;
  auto options = cpuVsEdgeinfer(serve.url(), dir);
  options.compare.inputsNpy = encoderWindows(bundle, dir);
  const auto result = jobs::runParityJob(bundle, options);
  EXPECT_EQ(result.windows, 32u);
  expectPassAtFloatRounding(result);
  expectReportsDescribeTheSidecar(dir, serve.url());
}

TEST(ParityLiveBackend, RandomNumberStubIsFlaggedAndFails) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  StubSidecar stub(randomAnswers({{"latent", 64}}, 9));
  const auto bundle = loadModelBundle(encoderPath());
  TempDir dir;
  auto options = cpuVsEdgeinfer(stub.url(), dir);
  options.compare.inputsNpy = encoderWindows(bundle, dir);
  const auto result = jobs::runParityJob(bundle, options);
  EXPECT_FALSE(result.passed());
  EXPECT_TRUE(result.b.nonDeterministic);
  bool flagged = false;
  for (const auto& finding : result.findings)
    flagged |= finding.code == "backend_non_deterministic" && finding.severity == Severity::Error;
  EXPECT_TRUE(flagged);
  const std::string verdict = "non-deterministic (likely a stub)";
  const auto doc = nlohmann::json::parse(readText(dir / "r.json"));
  EXPECT_EQ(doc["passed"], false);
  EXPECT_EQ(doc["b"]["non_deterministic"], true);
  EXPECT_NE(doc["b"]["determinism"].get<std::string>().find(verdict), std::string::npos);
  EXPECT_NE(readText(dir / "r.html").find("WARNING: edgeinfer is " + verdict), std::string::npos);
  const auto junit = readText(dir / "r.xml");
  EXPECT_NE(junit.find("name=\"backend_non_deterministic\""), std::string::npos);
  EXPECT_NE(junit.find(verdict), std::string::npos);
}

TEST(ParityLiveBackend, SettingsForARecordingOrTheInt8SideAreRefused) {
  const auto bundle = loadModelBundle(kModel);
  jobs::ParityJobOptions options;
  options.compare.sessions = {kSession};
  options.bSettings = {{"url", "http://127.0.0.1:1/infer"}};  // b stays int8
  try {
    jobs::runParityJob(bundle, options);
    FAIL() << "int8 with --b-option ran";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("--b-option url="), std::string::npos) << error.what();
  }
  options.b = "cpu";
  options.bSettings.clear();
  options.a = "recorded/outputs.h5";
  options.aSettings = {{"url", "x"}};
  EXPECT_THROW(jobs::runParityJob(bundle, options), Error);
}

}  // namespace
}  // namespace imuwb::test
