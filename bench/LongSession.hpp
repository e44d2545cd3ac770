#pragma once
// The long generated session the run and evaluate benchmarks share: IMUWB_BENCH_HOURS long
// (24 by default), generated once into the temp folder with seed 24 and reused by later runs
// of the same generator version; IMUWB_BENCH_SESSION points at another file instead.
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "session/SessionGenerator.hpp"

namespace imuwb::bench {

inline double peakRssMegabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // Linux reports kilobytes
}

inline double benchHours() {
  const char* hours = std::getenv("IMUWB_BENCH_HOURS");
  return hours ? std::atof(hours) : 24.0;
}

inline std::filesystem::path longSessionPath(double hours) {
  if (const char* path = std::getenv("IMUWB_BENCH_SESSION")) return path;
  const auto path = std::filesystem::temp_directory_path() /
                    ("imuwb_bench_" + std::to_string(static_cast<int>(hours * 60)) + "min_g" +
                     std::to_string(kGeneratorVersion) + ".h5");
  if (!std::filesystem::exists(path)) {
    GeneratorOptions options;
    options.durationSeconds = hours * 3600;
    options.seed = 24;
    generateSessionFile(options, path);
  }
  return path;
}

// The 24 h two-device session the GUI benchmarks draw (seed 7), generated in memory once.
inline std::shared_ptr<const Session> generatedDaySession() {
  static const std::shared_ptr<const Session> session = [] {
    GeneratorOptions options;
    options.durationSeconds = 24 * 3600;
    options.devices = {"collar", "harness"};
    options.seed = 7;
    return std::make_shared<const Session>(generateSession(options));
  }();
  return session;
}

}  // namespace imuwb::bench
