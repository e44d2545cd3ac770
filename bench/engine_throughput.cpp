// Windows per second of the CPU reference engine on the real TCN encoder, at batch 1 and 256
// with 1 and 2 threads, side by side with ONNX Runtime measured in the same run on the same
// windows and thread counts (bench/peers/ort_throughput.js). ORT gets a copy of the model with
// a dynamic batch dimension so that it can batch too (the export is fixed to batch 1).
#include <benchmark/benchmark.h>
#include <onnx/onnx_pb.h>

#include <unistd.h>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "engine/InferenceSession.hpp"
#include "engine/NpyTensor.hpp"
#include "engine/isa/Isa.hpp"

namespace fs = std::filesystem;
using namespace imuwb::engine;

namespace {

const fs::path kFixtures = fs::path(IMUWB_SOURCE_DIR) / "tests" / "fixtures" / "pipeline";
const fs::path kModel = kFixtures / "tcn_encoder_for_edgeinfer.onnx";
constexpr int kBatches[] = {1, 256};
constexpr int kThreads[] = {1, 2};

// 256 z-scored windows: the three sidecar samples, then random normal ones.
Tensor benchWindows() {
  std::ifstream configFile(kFixtures / "model_config.json");
  const auto config = nlohmann::json::parse(configFile);
  const auto mean = config["normalization"]["mean"].get<std::vector<float>>();
  const auto stdev = config["normalization"]["std"].get<std::vector<float>>();
  std::vector<float> values;
  for (const char* sample :
       {"realistic_imu_sample.json", "static_imu_sample.json", "random_imu_sample.json"}) {
    std::ifstream file(kFixtures / sample);
    const auto rows = nlohmann::json::parse(file)["x"];
    for (std::size_t r = 0; r < 100; ++r)
      for (int c = 0; c < 9; ++c) values.push_back((rows[r][c].get<float>() - mean[c]) / stdev[c]);
  }
  std::mt19937 rng(1);
  std::normal_distribution<float> normal;
  while (values.size() < 256 * 900) values.push_back(normal(rng));
  return Tensor::fromFloats({256, 100, 9}, values);
}

double processCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec * 1e-9;
}

struct Fixture {
  OnnxModel model = loadOnnxModel(kModel);
  Tensor windows = benchWindows();
};
Fixture& fixture() {
  static Fixture instance;  // loaded once per process, only when a benchmark runs
  return instance;
}

void BM_EngineEncoder(benchmark::State& state) {
  const auto batch = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  InferenceSession session(fixture().model, {.threads = threads});
  const Tensor input = fixture().windows.sliceLeading(0, batch);
  const Tensor* inputs[] = {&input};
  RunResult result;
  session.runInto(inputs, result);  // warm up: plans and buffers
  const double cpuStart = processCpuSeconds();
  for (auto _ : state) {
    session.runInto(inputs, result);
    benchmark::DoNotOptimize(result.outputs[0].tensor.raw());
  }
  const double cpuSeconds = processCpuSeconds() - cpuStart;
  state.SetItemsProcessed(state.iterations() * batch);
  // CPU seconds of the whole process (all workers): on a shared machine this is the fairer
  // efficiency number; wall-clock windows/s is what a user sees on an idle one.
  state.counters["windows/cpu-s"] = static_cast<double>(state.iterations() * batch) / cpuSeconds;
  state.counters["windows/s"] = benchmark::Counter(static_cast<double>(state.iterations() * batch),
                                                   benchmark::Counter::kIsRate);
}

// Keeps each run's windows/s, keyed by (batch, threads).
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::pair<int, int>, double> windowsPerSecond;
  std::map<std::pair<int, int>, double> windowsPerCpuSecond;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      // With --benchmark_repetitions keep the median, not the last aggregate (stddev, cv).
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
      int batch = 0, threads = 0;
      if (std::sscanf(run.benchmark_name().c_str(), "BM_EngineEncoder/%d/%d", &batch, &threads) ==
              2 &&
          run.counters.count("windows/s")) {
        windowsPerSecond[{batch, threads}] = run.counters.at("windows/s").value;
        windowsPerCpuSecond[{batch, threads}] = run.counters.at("windows/cpu-s").value;
      }
    }
  }
};

fs::path dynamicBatchCopy(const fs::path& folder) {
  onnx::ModelProto proto;
  std::ifstream in(kModel, std::ios::binary);
  proto.ParseFromIstream(&in);
  auto setBatch = [](onnx::ValueInfoProto* value) {
    auto* shape = value->mutable_type()->mutable_tensor_type()->mutable_shape();
    if (shape->dim_size() > 0) shape->mutable_dim(0)->set_dim_param("N");
  };
  for (auto& input : *proto.mutable_graph()->mutable_input()) setBatch(&input);
  for (auto& output : *proto.mutable_graph()->mutable_output()) setBatch(&output);
  proto.mutable_graph()->clear_value_info();
  const fs::path path = folder / "encoder_dynamic_batch.onnx";
  std::ofstream(path, std::ios::binary) << proto.SerializeAsString();
  return path;
}

std::string run(const std::string& command) {
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe)) output += buffer;
    if (pclose(pipe) != 0) output += "\n(exit status non-zero)";
  }
  return output;
}

struct OrtCells {
  std::map<std::pair<int, int>, double> wall, cpu;
};

OrtCells measureOrt() {
  OrtCells result;
  const fs::path source = IMUWB_SOURCE_DIR;
  const fs::path peers = source / ".cache" / "peers";
  if (!fs::exists(peers / "node_modules" / "onnxruntime-node")) {
    std::printf("ONNX Runtime peer not installed (%s); run scripts/setup-peers.sh\n",
                peers.c_str());
    return result;
  }
  const fs::path folder = fs::temp_directory_path() / ("imuwb-bench-" + std::to_string(getpid()));
  fs::create_directories(folder);
  writeNpyTensor(folder / "windows.npy", fixture().windows);
  const fs::path model = dynamicBatchCopy(folder);
  const std::string command = "IMUWB_PEERS_DIR='" + peers.string() + "' node '" +
                              (source / "bench/peers/ort_throughput.js").string() + "' '" +
                              model.string() + "' '" + (folder / "windows.npy").string() +
                              "' 1,256 1,2 2 2>&1";
  std::istringstream lines(run(command));
  for (std::string line; std::getline(lines, line);) {
    try {
      const auto cell = nlohmann::json::parse(line);
      const std::pair<int, int> key{cell["batch"].get<int>(), cell["threads"].get<int>()};
      result.wall[key] = cell["windows_per_second"].get<double>();
      result.cpu[key] = cell["windows_per_cpu_second"].get<double>();
    } catch (const std::exception&) {
      std::printf("ort: %s\n", line.c_str());
    }
  }
  fs::remove_all(folder);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if (!fs::exists(kModel)) {
    std::fprintf(stderr, "%s not found: the pipeline fixtures belong in tests/fixtures/pipeline\n",
                 kModel.c_str());
    return 1;
  }
  for (int batch : kBatches)
    for (int threads : kThreads)
      benchmark::RegisterBenchmark("BM_EngineEncoder", BM_EngineEncoder)
          ->Args({batch, threads})
          ->MinTime(2.0)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const auto ort = measureOrt();
  std::printf("\nReal TCN encoder (%s), same windows and thread counts, measured in this run\n",
              kModel.filename().c_str());
  std::printf("imuwb engine kernels: %s (IMUWB_ISA forces generic, avx2 or avx512)\n",
              isaName(activeIsa()));
  std::printf("%-6s %-8s | %10s %10s %7s | %12s %12s %7s\n", "batch", "threads", "imuwb w/s",
              "ORT w/s", "ratio", "imuwb w/cpu-s", "ORT w/cpu-s", "ratio");
  auto value = [](const std::map<std::pair<int, int>, double>& cells, std::pair<int, int> key) {
    auto it = cells.find(key);
    return it == cells.end() ? 0.0 : it->second;
  };
  auto ratio = [](double a, double b) {
    return b > 0 ? std::to_string(a / b).substr(0, 4) + "x" : std::string("n/a");
  };
  for (int batch : kBatches)
    for (int threads : kThreads) {
      const std::pair<int, int> key{batch, threads};
      const double a = value(reporter.windowsPerSecond, key), b = value(ort.wall, key);
      const double c = value(reporter.windowsPerCpuSecond, key), d = value(ort.cpu, key);
      std::printf("%-6d %-8d | %10.1f %10.1f %7s | %12.1f %12.1f %7s\n", batch, threads, a, b,
                  ratio(a, b).c_str(), c, d, ratio(c, d).c_str());
    }
  benchmark::Shutdown();
  return 0;
}
