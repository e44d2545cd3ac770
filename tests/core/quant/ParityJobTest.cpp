// ParityJob on the bundled sample model and session: windows, times, tolerances, recordings.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/Error.hpp"
#include "core/quant/PeerNpy.hpp"
#include "engine/InferenceSession.hpp"
#include "pipeline/RunJob.hpp"
#include "quant/ParityJob.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

const std::filesystem::path kModel = test::sourceDir() / "samples/models/dog_behavior_conv2d";
const std::filesystem::path kSession =
    test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";

// A minimal FP32 backend over the engine (a test double: the real cpu backend lives in
// core/backends), optionally adding a fixed offset to one output to create a known drift.
class EngineBackend final : public Backend {
 public:
  explicit EngineBackend(std::string name = "engine", float offset = 0.f)
      : name_(std::move(name)), offset_(offset) {}
  BackendInfo describe() const override { return {name_, "test", "host", "fp32"}; }
  void load(const ModelBundle& bundle) override {
    session_ = std::make_unique<engine::InferenceSession>(*bundle.model);
  }
  OutputSet run(const Batch& batch) override {
    const auto result = session_->run(
        {{session_->inputNames().front(), engine::Tensor::fromFloats(batch.shape, batch.values)}});
    OutputSet set;
    for (const auto& named : result.outputs) {
      OutputTensor t{named.name, named.tensor.shape(), {}};
      for (float v : named.tensor.floats())
        t.values.push_back(named.name == "latent" ? v + offset_ : v);
      set.outputs.push_back(std::move(t));
    }
    return set;
  }

 private:
  std::string name_;
  float offset_;
  std::unique_ptr<engine::InferenceSession> session_;
};

class ParityJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kModel) || !std::filesystem::exists(kSession))
      FAIL() << "bundled sample model or session missing; both ship with the repo";
    bundle = loadModelBundle(kModel);
    a.load(bundle);
    b.load(bundle);
  }
  ModelBundle bundle;
  EngineBackend a{"a"}, b{"b"};
};

TEST_F(ParityJobTest, IdenticalSourcesPassWithFp32ToleranceAndSessionTimes) {
  ParityOptions options;
  options.sessions = {kSession};
  options.maxWindows = 300;
  options.blockWindows = 64;
  const auto r = runParity(bundle, {&a, nullptr}, {&b, nullptr}, options);
  EXPECT_EQ(r.windows, 300u);
  ASSERT_EQ(r.outputs.size(), bundle.manifest.outputs.size());
  for (const auto& o : r.outputs) {
    EXPECT_DOUBLE_EQ(o.cosineMin, 1.0) << o.output;
    EXPECT_EQ(o.tolerance.source, "manifest");
    EXPECT_DOUBLE_EQ(o.tolerance.minCosine, bundle.manifest.parity.fp32Cosine);
    EXPECT_TRUE(o.passed);
  }
  EXPECT_TRUE(r.passed());
  // Stride 50 at 100 Hz: window starts 0.5 s apart.
  ASSERT_EQ(r.windowTime_s.size(), 300u);
  EXPECT_NEAR(r.windowTime_s[1] - r.windowTime_s[0], 0.5, 1e-9);
  EXPECT_FALSE(r.layers.has_value());  // no quantized side
}

TEST_F(ParityJobTest, TwoSessionsAreLaidEndToEnd) {
  ParityOptions options;
  options.sessions = {kSession, kSession};
  options.stride = 600;  // few windows per 10 min session
  const auto r = runParity(bundle, {&a, nullptr}, {&b, nullptr}, options);
  ASSERT_GT(r.windows, 2u);
  EXPECT_EQ(r.windows % 2, 0u);
  const std::size_t half = r.windows / 2;
  EXPECT_GE(r.windowTime_s[half], 590.0);  // the second copy starts after the first's 600 s
  for (std::size_t i = 1; i < r.windows; ++i) EXPECT_GT(r.windowTime_s[i], r.windowTime_s[i - 1]);
}

TEST_F(ParityJobTest, KnownDriftFailsOnlyTheDriftedOutputAndFlagsOverride) {
  EngineBackend drifted("drifted", 0.5f);
  drifted.load(bundle);
  ParityOptions options;
  options.sessions = {kSession};
  options.maxWindows = 200;
  options.minCosine["latent"] = 0.999;
  const auto r = runParity(bundle, {&a, nullptr}, {&drifted, nullptr}, options);
  for (const auto& o : r.outputs) {
    if (o.output == "latent") {
      EXPECT_FALSE(o.passed);
      EXPECT_EQ(o.tolerance.source, "flag");
      EXPECT_LT(o.cosineMean, 0.999);
    } else {
      EXPECT_TRUE(o.passed) << o.output;
    }
  }
  EXPECT_FALSE(r.passed());
  options.minCosine["no_such_output"] = 0.9;
  EXPECT_THROW(runParity(bundle, {&a, nullptr}, {&drifted, nullptr}, options), Error);
}

TEST_F(ParityJobTest, RecordedOutputsHdf5AndNpyFolderCompareLikeBackends) {
  test::TempDir dir;
  FileSource source(kSession);
  RunOptions run;
  run.outPath = dir / "out.h5";
  run.maxWindows = 150;
  run.hashSession = false;
  runModelOnSession(bundle, a, source, run);

  ParityOptions options;
  options.sessions = {kSession};
  options.maxWindows = 150;
  const auto recorded = loadRecordedOutputs((dir / "out.h5").string(), bundle.manifest);
  EXPECT_EQ(recorded.windows, 150u);
  EXPECT_EQ(recorded.startTime_s.size(), 150u);
  const auto r = runParity(bundle, {nullptr, &recorded}, {&b, nullptr}, options);
  EXPECT_EQ(r.a.kind, "recorded");
  for (const auto& o : r.outputs) EXPECT_NEAR(o.cosineMin, 1.0, 1e-6) << o.output;

  // Both sides recorded: no windows source needed.
  const auto both = runParity(bundle, {nullptr, &recorded}, {nullptr, &recorded}, {});
  EXPECT_EQ(both.windows, 150u);
  EXPECT_DOUBLE_EQ(both.windowTime_s[1], recorded.startTime_s[1]);

  // More windows than recorded: an input error naming the recording.
  options.maxWindows = 0;
  EXPECT_THROW(runParity(bundle, {nullptr, &recorded}, {&b, nullptr}, options), Error);

  // NPY folder: the same outputs as files.
  std::filesystem::create_directories(dir / "npy");
  for (const auto& [name, m] : recorded.outputs)
    test::writeNpyF32(dir / "npy" / (name + ".npy"),
                      {static_cast<std::int64_t>(m.rows), static_cast<std::int64_t>(m.cols)},
                      m.values);
  const auto folder = loadRecordedOutputs((dir / "npy").string(), bundle.manifest);
  EXPECT_EQ(folder.windows, 150u);
  EXPECT_EQ(folder.outputs.at("latent").values, recorded.outputs.at("latent").values);
}

TEST_F(ParityJobTest, BadRecordingsAreRejectedWithThePlace) {
  test::TempDir dir;
  const auto& spec = bundle.manifest.outputs.front();
  std::filesystem::create_directories(dir / "missing");
  EXPECT_THROW(loadRecordedOutputs((dir / "missing").string(), bundle.manifest), Error);
  EXPECT_THROW(loadRecordedOutputs((dir / "nothing_here").string(), bundle.manifest), Error);
  auto write_all = [&](const std::filesystem::path& folder, std::int64_t rows) {
    std::filesystem::create_directories(folder);
    for (const auto& o : bundle.manifest.outputs)
      test::writeNpyF32(folder / (o.name + ".npy"), {rows, o.size},
                        std::vector<float>(static_cast<std::size_t>(rows * o.size), 0.1f));
  };
  // Wrong width for one output.
  write_all(dir / "width", 5);
  test::writeNpyF32(dir / "width" / (spec.name + ".npy"), {5, spec.size + 1},
                    std::vector<float>(static_cast<std::size_t>(5 * (spec.size + 1)), 0.f));
  try {
    loadRecordedOutputs((dir / "width").string(), bundle.manifest);
    ADD_FAILURE() << "wrong width accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.where().find(spec.name), std::string::npos);
  }
  // NaN values.
  write_all(dir / "nan", 5);
  std::vector<float> nan(static_cast<std::size_t>(5 * spec.size), std::nanf(""));
  test::writeNpyF32(dir / "nan" / (spec.name + ".npy"), {5, spec.size}, nan);
  EXPECT_THROW(loadRecordedOutputs((dir / "nan").string(), bundle.manifest), Error);
  // Different window counts across outputs.
  write_all(dir / "rows", 5);
  test::writeNpyF32(dir / "rows" / (spec.name + ".npy"), {6, spec.size},
                    std::vector<float>(static_cast<std::size_t>(6 * spec.size), 0.f));
  EXPECT_THROW(loadRecordedOutputs((dir / "rows").string(), bundle.manifest), Error);
}

TEST_F(ParityJobTest, WindowsSourceIsRequiredAndExclusive) {
  ParityOptions none;
  EXPECT_THROW(runParity(bundle, {&a, nullptr}, {&b, nullptr}, none), Error);
  ParityOptions both;
  both.sessions = {kSession};
  both.inputsNpy = "x.npy";
  EXPECT_THROW(runParity(bundle, {&a, nullptr}, {&b, nullptr}, both), Error);
}

TEST_F(ParityJobTest, CancelStopsTheJob) {
  std::stop_source stop;
  JobControl control;
  control.stop = stop.get_token();
  control.onProgress = [&](double, std::string_view) { stop.request_stop(); };
  ParityOptions options;
  options.sessions = {kSession};
  options.blockWindows = 32;
  EXPECT_THROW(runParity(bundle, {&a, nullptr}, {&b, nullptr}, options, control), Cancelled);
}

}  // namespace
}  // namespace imuwb::quant

namespace imuwb::quant {
namespace {

TEST_F(ParityJobTest, RecordingWithDifferentWindowStartsIsRejected) {
  test::TempDir dir;
  FileSource source(kSession);
  RunOptions run;
  run.outPath = dir / "out.h5";
  run.maxWindows = 40;
  run.stride = 100;  // recorded at stride 100, compared at stride 50
  run.hashSession = false;
  runModelOnSession(bundle, a, source, run);
  const auto recorded = loadRecordedOutputs((dir / "out.h5").string(), bundle.manifest);
  ParityOptions options;
  options.sessions = {kSession};
  options.maxWindows = 40;
  try {
    runParity(bundle, {nullptr, &recorded}, {&b, nullptr}, options);
    ADD_FAILURE() << "misaligned recording accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.problem().find("starts at row"), std::string::npos) << e.problem();
  }
  options.stride = 100;
  EXPECT_TRUE(runParity(bundle, {nullptr, &recorded}, {&b, nullptr}, options).passed());
}

}  // namespace
}  // namespace imuwb::quant
