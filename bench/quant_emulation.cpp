// INT8 emulation cost and a full parity run.
//  - BM_Fp32 / BM_Int8: the same model, the same 256 windows, one thread: the FP32 engine vs the
//    INT8 emulation (target: INT8 <= 3x FP32). Both the bundled sample model and the team's real
//    TCN encoder (when the pipeline fixtures are present).
//  - BM_Parity24h: `imuwb parity` cpu vs int8 over a generated 24 h two-device session at stride
//    50 (172,800 windows), per-layer analysis included, as one job run (target <= 120 s).
//    The session is generated once into $TMPDIR/imuwb-bench-24h.h5 and reused.
// No peer exists for these (no other tool emulates Hailo INT8); the FP32 engine is the baseline.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "backends/CpuBackend.hpp"
#include "backends/Int8Backend.hpp"
#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/RunJob.hpp"
#include "pipeline/SampleSource.hpp"
#include "pipeline/WindowFeed.hpp"
#include "quant/AffineQuantizer.hpp"
#include "quant/Calibration.hpp"
#include "quant/ParityJob.hpp"
#include "quant/QuantizedSession.hpp"
#include "session/SessionGenerator.hpp"

namespace fs = std::filesystem;
using namespace imuwb;

namespace {

const fs::path kSampleModel = fs::path(IMUWB_SOURCE_DIR) / "samples/models/dog_behavior_conv2d";
const fs::path kEncoder =
    fs::path(IMUWB_SOURCE_DIR) / "tests/fixtures/pipeline/tcn_encoder_for_edgeinfer.onnx";

engine::Tensor normalWindows(const engine::OnnxModel& model, std::int64_t n) {
  auto shape = model.inputs().front().shape;
  engine::Shape dims = {n};
  for (std::size_t i = 1; i < shape.size(); ++i) dims.push_back(shape[i].value);
  std::mt19937 rng(7);
  std::normal_distribution<float> normal;
  std::vector<float> values(static_cast<std::size_t>(engine::elementCount(dims)));
  for (auto& v : values) v = normal(rng);
  return engine::Tensor::fromFloats(dims, values);
}

struct ModelCase {
  std::shared_ptr<const engine::OnnxModel> model;
  engine::Tensor windows;
  quant::QuantParams params;
};

ModelCase& modelCase(int which) {
  static std::map<int, ModelCase> cases;
  auto& c = cases[which];
  if (!c.model) {
    c.model = which == 0 ? loadModelBundle(kSampleModel).model
                         : std::make_shared<engine::OnnxModel>(engine::loadOnnxModel(kEncoder));
    c.windows = normalWindows(*c.model, 256);
    c.params = quant::deriveQuantParams(quant::calibrate(*c.model, c.windows), {});
  }
  return c;
}

bool haveModel(int which) {
  return which == 0 ? fs::exists(kSampleModel) : fs::exists(kEncoder);
}

void BM_Fp32(benchmark::State& state) {
  if (!haveModel(static_cast<int>(state.range(0)))) return state.SkipWithError("model missing");
  auto& c = modelCase(static_cast<int>(state.range(0)));
  engine::InferenceSession session(*c.model);
  const auto input = session.inputNames().front();
  for (auto _ : state) benchmark::DoNotOptimize(session.run({{input, c.windows}}));
  state.counters["windows/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * c.windows.dim(0)), benchmark::Counter::kIsRate);
}

void BM_Int8(benchmark::State& state) {
  if (!haveModel(static_cast<int>(state.range(0)))) return state.SkipWithError("model missing");
  auto& c = modelCase(static_cast<int>(state.range(0)));
  quant::QuantizedSession session(*c.model, c.params);
  const auto input = session.inputNames().front();
  for (auto _ : state) benchmark::DoNotOptimize(session.run({{input, c.windows}}));
  state.counters["windows/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * c.windows.dim(0)), benchmark::Counter::kIsRate);
}

// Arg 0 = sample model (Conv2d, NCHW devices), 1 = real TCN encoder.
BENCHMARK(BM_Fp32)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_Int8)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The quantizer kernel itself (quantize + dequantize with clip, round half to even) on 1M values,
// next to the numpy reference measured in the same run (bench/peers/quant_fake_quant.py).
void BM_FakeQuantize(benchmark::State& state) {
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  std::vector<float> values(1 << 20);
  for (auto& v : values) v = normal(rng);
  const auto grid = quant::activationGrid(-4.0, 4.0, 8);
  std::vector<float> work = values;
  for (auto _ : state) {
    work = values;
    benchmark::DoNotOptimize(quant::fakeQuantize(work, grid));
  }
  state.counters["sec/value"] =
      benchmark::Counter(static_cast<double>(state.iterations() * values.size()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  const std::string peer = std::string("/usr/bin/python3 ") + IMUWB_SOURCE_DIR +
                           "/bench/peers/quant_fake_quant.py 1048576 5 2>/dev/null";
  if (FILE* pipe = popen(peer.c_str(), "r")) {
    char buffer[256] = {0};
    const bool ok = std::fgets(buffer, sizeof buffer, pipe) != nullptr;
    pclose(pipe);
    if (ok) {
      const auto document = nlohmann::json::parse(buffer, nullptr, false);
      if (document.is_object())
        state.counters["numpy_peer_ns/value"] = document["ns_per_value"].get<double>();
    }
  }
}
BENCHMARK(BM_FakeQuantize)->Unit(benchmark::kMillisecond);

fs::path daySession() {
  const fs::path path = fs::temp_directory_path() / "imuwb-bench-24h.h5";
  if (!fs::exists(path)) {
    GeneratorOptions options;
    options.durationSeconds = 24 * 3600.0;
    options.seed = 24;
    std::fprintf(stderr, "generating a 24 h session at %s (once)...\n", path.c_str());
    generateSessionFile(options, path, {});
  }
  return path;
}

// The first 1024 windows of the session, normalized and laid out for the model: the calibration
// set a user would export.
engine::Tensor calibrationFromSession(const ModelBundle& bundle, const fs::path& session) {
  FileSource source(session);
  WindowFeedOptions options;
  options.stride = 50;
  options.maxWindows = 1024;
  WindowFeed feed(bundle, source, options);
  std::vector<float> values;
  engine::Shape shape;
  FeedBatch fed;
  while (feed.next(fed)) {
    values.insert(values.end(), fed.batch.values.begin(), fed.batch.values.end());
    shape = fed.batch.shape;
    shape[0] = static_cast<std::int64_t>(values.size() / fed.batch.valuesPerWindow());
  }
  return engine::Tensor::fromFloats(shape, values);
}

void BM_Parity24h(benchmark::State& state) {
  if (!haveModel(0)) return state.SkipWithError("sample model missing");
  const auto session = daySession();
  const auto bundle = loadModelBundle(kSampleModel);
  const auto calib = calibrationFromSession(bundle, session);
  const fs::path calib_path = fs::temp_directory_path() / "imuwb-bench-24h-calib.npy";
  engine::writeNpyTensor(calib_path, calib);
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    CpuBackend cpu({threads});
    Int8BackendOptions o;
    o.calibration = calib_path;
    o.threads = threads;
    Int8Backend int8(o);
    cpu.load(bundle);
    int8.load(bundle);
    quant::ParityOptions options;
    options.sessions = {session};
    options.noise.threads = threads;
    const auto result = quant::runParity(bundle, {&cpu, nullptr}, {&int8, nullptr}, options);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    state.counters["windows"] = static_cast<double>(result.windows);
    state.counters["seconds"] = seconds;
    state.counters["windows/s"] = static_cast<double>(result.windows) / seconds;
    state.counters["passed"] = result.passed() ? 1 : 0;
  }
}
BENCHMARK(BM_Parity24h)->Arg(1)->Arg(2)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
