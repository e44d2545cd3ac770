#pragma once
// `imuwb bench`: latency and throughput of any backend on synthetic contract-valid windows,
// judged against the deployment contract (p95 < 50 ms, >= 20 windows/s). Windows go through
// the same normalization and layout as a run; `concurrency` windows are handed to the backend
// per call (the edgeinfer backend pipelines them over that many connections). The edgeinfer
// backend's determinism verdict is part of the result and of the verdict.
#include <cstddef>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::jobs {

struct BenchJobOptions {
  std::string backend = "cpu";
  std::map<std::string, std::string> backendSettings;  // --backend-option KEY=VALUE
  std::size_t windows = 200;
  std::size_t concurrency = 1;  // windows per backend call
  int threads = 1;              // engine threads
  double maxP95_ms = 50.0;      // the contract's latency bound
  double minWindowsPerSecond = 20.0;
};

struct BenchJobResult {
  std::string backend, device, determinism;  // determinism: empty unless the backend probes
  bool nonDeterministic = false;
  std::size_t windows = 0, calls = 0;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;  // per call
  double windowsPerSecond = 0;
  double peakRss_mb = 0;
  bool meetsLatency = false, meetsThroughput = false;
  bool passed() const { return meetsLatency && meetsThroughput && !nonDeterministic; }
  nlohmann::json toJson() const;
};

// Throws imuwb::Error (backend, model), Cancelled on stop.
BenchJobResult runBenchJob(const ModelBundle& bundle, const BenchJobOptions& options,
                           const JobControl& control = {});

}  // namespace imuwb::jobs
