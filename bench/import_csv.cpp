// CSV import of a day of two devices: `imuwb import` (streamed, two passes) against
// pandas.read_csv + an h5py write of the same session layout (bench/peers/pandas_import.py),
// measured in the same run, each as a child process: wall time, CPU time (user + system, all
// threads) and peak RSS (wait4's rusage). The CSV (time_s, then collar_ax ... collar_mz, harness_ax
// ... harness_mz: 19 columns, 100 Hz, 5 decimals, ~1.4 GB for 24 h) is generated once,
// deterministically, into the cache folder ($IMUWB_BENCH_CACHE, else TMPDIR/imuwb-bench-cache) and
// kept for later runs. IMUWB_BENCH_IMPORT_HOURS=N makes a shorter file (default 24).
//   bench_import_csv [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

double benchHours() {
  const char* hours = std::getenv("IMUWB_BENCH_IMPORT_HOURS");
  return hours ? std::atof(hours) : 24.0;
}

fs::path cacheDir() {
  const char* dir = std::getenv("IMUWB_BENCH_CACHE");
  return dir ? fs::path(dir) : fs::temp_directory_path() / "imuwb-bench-cache";
}

// splitmix64: a fixed, seedable stream, so the file is the same on every machine.
struct Random {
  std::uint64_t state;
  double uniform() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  }
  double noise() { return uniform() + uniform() + uniform() - 1.5; }  // ~N(0, 0.5)
};

void put(std::string& line, double value) {
  char buffer[32];
  const auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 5).ptr;
  line.append(buffer, end);
}

// 30 s still, 30 s moving, alternately: gravity (m/s^2), rad/s, a 45 uT field.
void appendDevice(std::string& line, Random& random, double t, int device) {
  const bool moving = static_cast<long>(t / 30) % 2 == 1;
  const double phase = t * (1.3 + 0.4 * device);
  const double a = moving ? 2.0 : 0.0, w = moving ? 1.5 : 0.0, noise = moving ? 0.2 : 0.01;
  const double g[3] = {0.9 + device * 0.5, -1.2, 9.68 - device * 0.05};
  const double m[3] = {20.0 + device, -4.0, 40.0};
  for (int c = 0; c < 3; ++c)
    line += ',', put(line, g[c] + a * std::sin(phase + c) + noise * random.noise());
  for (int c = 0; c < 3; ++c)
    line += ',', put(line, w * std::cos(phase + 2 * c) + 0.002 * random.noise());
  for (int c = 0; c < 3; ++c)
    line += ',',
        put(line, m[c] + (moving ? 3 * std::sin(phase * 0.5 + c) : 0) + 0.3 * random.noise());
}

fs::path csvFile() {
  const double hours = benchHours();
  const auto rows = static_cast<std::size_t>(std::llround(hours * 3600 * 100));
  const fs::path path = cacheDir() / ("import_" + std::to_string(rows) + "rows_2dev.csv");
  if (fs::exists(path)) return path;
  fs::create_directories(path.parent_path());
  const fs::path part = path.string() + ".part";
  std::ofstream out(part, std::ios::binary);
  std::string line = "time_s";
  for (const char* device : {"collar", "harness"})
    for (const char* channel : {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"})
      line += std::string(",") + device + "_" + channel;
  line += '\n';
  out << line;
  Random random{42};
  std::string block;
  for (std::size_t i = 0; i < rows; ++i) {
    // i / 100 with exactly two decimals, as a logger writes it.
    block += std::to_string(i / 100) + "." + char('0' + (i % 100) / 10) + char('0' + i % 10);
    const double t = static_cast<double>(i) / 100.0;
    for (int device = 0; device < 2; ++device) appendDevice(block, random, t, device);
    block += '\n';
    if (block.size() > (1 << 20)) out << block, block.clear();
  }
  out << block;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + part.string());
  fs::rename(part, path);
  return path;
}

struct ChildRun {
  double seconds = 0, peakMb = 0, cpuSeconds = 0;
  int status = -1;
  std::string output;
};

// Runs argv as a child, its stdout to a file; wall time around spawn..wait4, peak RSS from it.
ChildRun runChild(const std::vector<std::string>& args, const fs::path& stdoutFile) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, stdoutFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  ChildRun run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) return run;
  posix_spawn_file_actions_destroy(&actions);
  rusage usage{};
  int status = 0;
  ::wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peakMb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // kB on Linux
  // CPU time of all its threads: on a shared machine the fairer figure (wall time depends on
  // what else runs; imuwb's threads can use idle cores, pandas' single thread cannot).
  run.cpuSeconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(stdoutFile);
  run.output.assign(std::istreambuf_iterator<char>(in), {});
  return run;
}

fs::path binDir() {
  return fs::read_symlink("/proc/self/exe").parent_path();
}

void report(benchmark::State& state, const fs::path& csv, const ChildRun& run, std::size_t rows) {
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["file_MB"] = static_cast<double>(fs::file_size(csv)) / 1e6;
  state.counters["peak_rss_MB"] = run.peakMb;
  state.counters["wall_s"] = run.seconds;
  state.counters["cpu_s"] = run.cpuSeconds;
  state.counters["rows_per_s"] = static_cast<double>(rows) / run.seconds;
}

std::size_t benchRows() {
  return static_cast<std::size_t>(std::llround(benchHours() * 360000));
}

void BM_ImuwbImport(benchmark::State& state) {
  const fs::path csv = csvFile(), out = cacheDir() / "import_imuwb.h5";
  ChildRun run;
  for (auto _ : state) {
    run = runChild({(binDir() / "imuwb").string(), "import", csv.string(), "--out", out.string(),
                    "--force", "--json"},
                   cacheDir() / "import_imuwb.json");
    if (run.status != 0) {
      state.SkipWithError(("imuwb import failed: " + run.output.substr(0, 400)).c_str());
      return;
    }
    state.SetIterationTime(run.seconds);
  }
  report(state, csv, run, benchRows());
  fs::remove(out);
}

void BM_PandasImport(benchmark::State& state) {
  const fs::path csv = csvFile(), out = cacheDir() / "import_pandas.h5";
  ChildRun run;
  for (auto _ : state) {
    run = runChild(
        {"/usr/bin/python3", std::string(IMUWB_SOURCE_DIR) + "/bench/peers/pandas_import.py",
         csv.string(), out.string()},
        cacheDir() / "import_pandas.txt");
    if (run.status != 0) {
      state.SkipWithError(
          "pandas peer failed (is /usr/bin/python3 with pandas and h5py installed?)");
      return;
    }
    state.SetIterationTime(run.seconds);
  }
  report(state, csv, run, benchRows());
  std::fprintf(stderr, "pandas peer: %s", run.output.c_str());
  fs::remove(out);
}

}  // namespace

BENCHMARK(BM_ImuwbImport)->Unit(benchmark::kSecond)->Iterations(1)->UseManualTime();
BENCHMARK(BM_PandasImport)->Unit(benchmark::kSecond)->Iterations(1)->UseManualTime();
BENCHMARK_MAIN();
