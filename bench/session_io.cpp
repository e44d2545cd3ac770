// Session HDF5 throughput on a 24 h, two-device session (2 x 8.64 M rows = 17.3 M rows,
// 622 MB of float32): generate+write, write of pre-generated rows, block-wise read.
// After the benchmarks, the same file is read by h5py (bench/peers/h5py_read_session.py) in
// the same run, and both sides are printed next to each other.
//   bench_session_io [--hours H] [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <string>

#include "session/SessionGenerator.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"

namespace {

double gHours = 24;
std::filesystem::path gDir;
std::filesystem::path sessionPath() {
  return gDir / "session_24h.h5";
}

imuwb::GeneratorOptions options() {
  imuwb::GeneratorOptions o;
  o.durationSeconds = gHours * 3600;
  o.seed = 7;
  return o;
}

void setCounters(benchmark::State& state, double rows) {
  state.counters["rows_per_s"] = benchmark::Counter(rows, benchmark::Counter::kIsRate);
  state.counters["MB_per_s"] =
      benchmark::Counter(rows * 9 * sizeof(float) / 1e6, benchmark::Counter::kIsRate);
}

void BM_GenerateAndWrite(benchmark::State& state) {
  for (auto _ : state) imuwb::generateSessionFile(options(), sessionPath());
  const auto rows = static_cast<double>(imuwb::SessionGenerator(options()).sampleCount()) * 2;
  setCounters(state, rows * static_cast<double>(state.iterations()));
  state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(sessionPath())) / 1e6;
}

// Write only: rows are generated beforehand (held in memory), then streamed through SessionWriter.
void BM_Write(benchmark::State& state) {
  const imuwb::SessionGenerator generator(options());
  const std::size_t rows = generator.sampleCount();
  std::vector<std::vector<float>> data(2, std::vector<float>(rows * 9));
  for (std::size_t d = 0; d < 2; ++d) generator.generateRows(d, 0, rows, data[d].data());
  for (auto _ : state) {
    imuwb::SessionWriterOptions writerOptions;
    writerOptions.deviceNames = {"collar", "harness"};
    auto writer = imuwb::SessionWriter::create(gDir / "write_only.h5", writerOptions);
    const std::size_t block = writerOptions.chunkRows;
    for (std::size_t first = 0; first < rows; first += block)
      for (std::size_t d = 0; d < 2; ++d)
        writer.appendRows(d, data[d].data() + first * 9, std::min(block, rows - first));
    writer.setLabels(imuwb::generatorClasses(), generator.labels());
    writer.finish();
  }
  setCounters(state, static_cast<double>(rows * 2 * state.iterations()));
  std::filesystem::remove(gDir / "write_only.h5");
}

// Block-wise read of every row of both devices, state.range(0) chunks (of 65 536 rows) per
// call. One chunk per call goes through HDF5's filter pipeline (like h5py's block read);
// several chunks per call are decoded on worker threads.
void BM_Read(benchmark::State& state) {
  double rows = 0, checksum = 0;
  for (auto _ : state) {
    const auto reader = imuwb::SessionReader::open(sessionPath());
    const auto& header = reader.header();
    const std::size_t block = reader.chunkRows() * static_cast<std::size_t>(state.range(0));
    std::vector<float> buffer(block * 9);
    for (std::size_t d = 0; d < header.deviceNames.size(); ++d)
      for (std::size_t first = 0; first < header.sampleCount; first += block) {
        const std::size_t count = std::min(block, header.sampleCount - first);
        reader.readRows(d, first, count, buffer.data());
        checksum += buffer[0];
        rows += static_cast<double>(count);
      }
  }
  benchmark::DoNotOptimize(checksum);
  setCounters(state, rows);
}

// Whole-file load into memory (what the GUI does for small files).
void BM_Load(benchmark::State& state) {
  double rows = 0;
  for (auto _ : state) {
    const auto session = imuwb::loadSession(sessionPath());
    rows += static_cast<double>(session.sampleCount() * session.devices.size());
    benchmark::DoNotOptimize(session.devices[0].samples.data());
  }
  setCounters(state, rows);
}

}  // namespace

BENCHMARK(BM_GenerateAndWrite)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Write)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Read)->Arg(1)->Arg(8)->Unit(benchmark::kSecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_Load)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::string(argv[i]) == "--hours" && i + 1 < argc)
      gHours = std::atof(argv[++i]);
    else
      rest.push_back(argv[i]);
  }
  int restCount = static_cast<int>(rest.size());
  gDir = std::filesystem::temp_directory_path() /
         ("imuwb-bench-session-" + std::to_string(::getpid()));
  std::filesystem::create_directories(gDir);
  std::printf("session: %.1f h, 2 devices (collar, harness) at 100 Hz, in %s\n", gHours,
              gDir.c_str());
  benchmark::Initialize(&restCount, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // The peer, on the same file, in the same run.
  if (std::filesystem::exists(sessionPath())) {
    const std::string script = std::string(IMUWB_SOURCE_DIR) + "/bench/peers/h5py_read_session.py";
    const std::string command =
        "/usr/bin/python3 '" + script + "' '" + sessionPath().string() + "'";
    std::printf("\n--- peer: h5py %s\n", script.c_str());
    std::fflush(stdout);
    if (std::system(command.c_str()) != 0) std::printf("(h5py peer failed or is not installed)\n");
  }
  std::error_code ignored;
  std::filesystem::remove_all(gDir, ignored);
  return 0;
}
