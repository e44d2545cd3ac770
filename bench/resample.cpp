// Resampling throughput: the polyphase resampler (PolyphaseResampler, streamed in 65 536-row
// blocks as SessionResampling does) against scipy.signal.resample_poly(x, up, down, axis=0) on
// the same samples, in the same run. Signals are deterministic synthetic sessions
// (SessionGenerator, seed 7) recorded at the source rate: 1 h of two devices for 100->50,
// 28->100 and 200->100 Hz, and 24 h of one device for 100->50 Hz. Each device is resampled on
// its own (9 channels), on both sides. The scipy entries (BM_Scipy/...) run
// bench/peers/scipy_resample.py on an .npy of the same data; their time is the one python
// measures around resample_poly (load excluded). items_per_second counts input samples
// (rows x 9) on both sides; peak_rss_MB is the process's peak resident set (VmHWM, reset before
// each imuwb benchmark; python's whole process), both including the input held in memory.
// BM_SessionFile times the whole-file path (resampleSessionFile: HDF5 read, filter, HDF5 write) on
// the 1 h two-device session at 100 Hz.
//   bench_resample [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "session/SessionGenerator.hpp"
#include "session/resample/PolyphaseResampler.hpp"
#include "session/resample/SessionResampling.hpp"

namespace {

constexpr std::size_t kChannels = 9;
constexpr std::size_t kBlockRows = 65536;  // SessionResampling's block size order

struct Case {
  const char* name;
  double sourceHz, targetHz, hours;
  std::size_t devices;
};
const Case kCases[] = {{"100to50_1h_2dev", 100, 50, 1, 2},
                       {"28to100_1h_2dev", 28, 100, 1, 2},
                       {"200to100_1h_2dev", 200, 100, 1, 2},
                       {"100to50_24h_1dev", 100, 50, 24, 1}};

std::filesystem::path gDir;

// The current case's signal, one interleaved [rows, 9] vector per device, and its .npy.
struct Signal {
  const Case* source = nullptr;
  std::size_t rows = 0;
  std::vector<std::vector<float>> devices;
  std::filesystem::path npy;
};
Signal gSignal;

// numpy's .npy v1.0: magic, header length, a dict padded with spaces to 64 bytes, raw data.
void writeNpy(const Signal& signal) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(signal.devices.size()) + ", " + std::to_string(signal.rows) +
                       ", " + std::to_string(kChannels) + "), }";
  const std::size_t prefix = 10;
  header.append(64 - (prefix + header.size() + 1) % 64, ' ');
  header += '\n';
  std::ofstream out(signal.npy, std::ios::binary);
  const std::uint16_t length = static_cast<std::uint16_t>(header.size());
  out.write("\x93NUMPY\x01\x00", 8);
  const char lengthBytes[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
  out.write(lengthBytes, 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  for (const auto& device : signal.devices)
    out.write(reinterpret_cast<const char*>(device.data()),
              static_cast<std::streamsize>(device.size() * sizeof(float)));
  if (!out) throw std::runtime_error("cannot write " + signal.npy.string());
}

// Generated outside the timing, once per case (repetitions of a benchmark run back to back).
const Signal& signalFor(const Case& c) {
  if (gSignal.source == &c) return gSignal;
  gSignal = Signal{};
  imuwb::GeneratorOptions options;
  options.durationSeconds = c.hours * 3600;
  options.sampleRateHz = c.sourceHz;
  options.seed = 7;
  options.devices.resize(c.devices);
  const imuwb::SessionGenerator generator(options);
  gSignal.rows = generator.sampleCount();
  for (std::size_t d = 0; d < c.devices; ++d) {
    gSignal.devices.emplace_back(gSignal.rows * kChannels);
    generator.generateRows(d, 0, gSignal.rows, gSignal.devices.back().data());
  }
  gSignal.npy = gDir / (std::string(c.name) + ".npy");
  writeNpy(gSignal);
  gSignal.source = &c;
  return gSignal;
}

// Peak resident set: VmHWM from /proc/self/status; writing 5 to clear_refs resets it.
void resetPeakRss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}
double peakRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
  return 0;
}

void BM_Imuwb(benchmark::State& state, const Case* c) {
  const Signal& signal = signalFor(*c);
  const auto ratio = imuwb::exactResampleRatio(c->sourceHz, c->targetHz);
  double checksum = 0;
  resetPeakRss();
  for (auto _ : state) {
    for (const auto& device : signal.devices) {
      imuwb::PolyphaseResampler resampler(ratio, kChannels, signal.rows);
      std::vector<float> out;  // one block's outputs, handed on (to a writer) and cleared
      for (std::size_t first = 0; first < signal.rows; first += kBlockRows) {
        resampler.push(device.data() + first * kChannels, std::min(kBlockRows, signal.rows - first),
                       out);
        if (!out.empty()) checksum += out[0];
        out.clear();
      }
      resampler.finish(out);
      checksum += out.empty() ? 0 : out[0];
    }
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * signal.rows *
                                                    signal.devices.size() * kChannels));
  state.counters["rows"] = static_cast<double>(signal.rows * signal.devices.size());
  state.counters["up"] = static_cast<double>(ratio.up);
  state.counters["down"] = static_cast<double>(ratio.down);
  state.counters["peak_rss_MB"] = peakRssMb();
}

void BM_Scipy(benchmark::State& state, const Case* c) {
  const Signal& signal = signalFor(*c);
  const auto ratio = imuwb::exactResampleRatio(c->sourceHz, c->targetHz);
  const std::string command = "/usr/bin/python3 '" + std::string(IMUWB_SOURCE_DIR) +
                              "/bench/peers/scipy_resample.py' '" + signal.npy.string() + "' " +
                              std::to_string(ratio.up) + " " + std::to_string(ratio.down);
  double peakMb = 0;
  for (auto _ : state) {
    // Read all of the peer's output before closing, then parse its one result line.
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    char buffer[512];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = pipe ? ::pclose(pipe) : -1;
    double seconds = 0, rate = 0;
    const int fields = std::sscanf(output.c_str(), "seconds=%lf samples_per_s=%lf peak_rss_mb=%lf",
                                   &seconds, &rate, &peakMb);
    if (fields != 3 || status != 0 || seconds <= 0) {
      state.SkipWithError("scipy peer failed (is /usr/bin/python3 with scipy installed?)");
      return;
    }
    state.SetIterationTime(seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * signal.rows *
                                                    signal.devices.size() * kChannels));
  state.counters["rows"] = static_cast<double>(signal.rows * signal.devices.size());
  state.counters["peak_rss_MB"] = peakMb;
}

// The whole-file path: read, filter and write a 1 h two-device session (100 -> 50 Hz).
void BM_SessionFile(benchmark::State& state) {
  imuwb::GeneratorOptions options;
  options.durationSeconds = 3600;
  options.seed = 7;
  const auto source = gDir / "session_1h.h5", target = gDir / "session_1h_50hz.h5";
  if (!std::filesystem::exists(source)) imuwb::generateSessionFile(options, source);
  gSignal = Signal{};  // the in-memory signals are not part of this path's peak
  resetPeakRss();
  std::size_t rows = 0;
  for (auto _ : state) {
    const auto plan = imuwb::resampleSessionFile(source, target, 50, nlohmann::json::object());
    rows += plan.inputRows * 2;
    std::filesystem::remove(target);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(rows * kChannels));
  state.counters["peak_rss_MB"] = peakRssMb();
}

void registerBenchmarks() {
  for (const Case& c : kCases) {
    benchmark::RegisterBenchmark((std::string("BM_Imuwb/") + c.name).c_str(), BM_Imuwb, &c)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseRealTime();
    benchmark::RegisterBenchmark((std::string("BM_Scipy/") + c.name).c_str(), BM_Scipy, &c)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(1)
        ->UseManualTime();
  }
  benchmark::RegisterBenchmark("BM_SessionFile/100to50_1h_2dev", BM_SessionFile)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  gDir = std::filesystem::temp_directory_path() /
         ("imuwb-bench-resample-" + std::to_string(::getpid()));
  std::filesystem::create_directories(gDir);
  registerBenchmarks();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  gSignal = Signal{};
  std::error_code ignored;
  std::filesystem::remove_all(gDir, ignored);
  return 0;
}
