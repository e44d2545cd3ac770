#pragma once
// `imuwb serve`: the hailo-inference sidecar's contract served by the workbench core, so a Pi
// can run a lighter, correct sidecar and the desktop can talk to it through the edgeinfer
// backend. POST /infer, POST /encode (legacy), GET /healthz, GET /metrics, with the contract's
// JSON and validation (backends/edgeinfer/SidecarProtocol.hpp). Bodies are size-limited, bad
// JSON and wrong content types are refused, slow clients time out, and the server keeps serving
// after every refusal. Concurrent requests are batched into one backend call (ServeBatcher).
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "common/JobControl.hpp"
#include "model/ModelBundle.hpp"

namespace imuwb::jobs {

struct ServeJobOptions {
  std::string backend = "cpu";                         // cpu, int8, hailort
  std::map<std::string, std::string> backendSettings;  // --backend-option KEY=VALUE
  std::string host = "127.0.0.1";                      // loopback unless told otherwise
  int port = 9000;                                     // 0 = a free port (reported)
  int threads = 1;                                     // engine threads
  std::size_t maxBodyBytes = 1 << 20;                  // larger bodies get 413
  int readTimeout_ms = 5000;                           // a slower client is dropped
  std::size_t maxBatch = 32;   // windows per engine call (peak RSS grows with it)
  int connectionThreads = 64;  // connections served at once
};

struct ServeJobResult {
  int port = 0;
  std::size_t requestsOk = 0;
  std::size_t batches = 0, windows = 0;
};

// Called once the socket is bound, with the address actually served ("http://127.0.0.1:PORT").
using ServeListening = std::function<void(const std::string& address, int port)>;

// Loads the backend, binds, serves until control.stop is requested (SIGINT/SIGTERM in the CLI),
// then closes cleanly and returns. Throws imuwb::Error when the backend fails to load or the
// address cannot be bound.
ServeJobResult runServeJob(const ModelBundle& bundle, const ServeJobOptions& options,
                           const JobControl& control = {}, const ServeListening& listening = {});

}  // namespace imuwb::jobs
