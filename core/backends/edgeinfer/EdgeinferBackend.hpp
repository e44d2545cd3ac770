#pragma once
// The sidecar backend: runs windows on a hailo-inference sidecar (the Pi's, or `imuwb serve`)
// over HTTP, as the deployment contract gives it (backends/edgeinfer/SidecarProtocol.hpp). The
// sidecar normalizes, so the backend sends raw windows: it undoes the host normalization and
// layout of the Batch it gets (the one every job builds) and posts contract-order rows.
// Windows are pipelined over `concurrency` keep-alive connections. At load it reads /healthz
// and sends one window twice: different answers mark it "non-deterministic (likely a stub)".
#include <memory>
#include <string>

#include "backends/BackendRegistry.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {

struct EdgeinferOptions {
  std::string url = "http://hailo-inference:9000/infer";  // MODEL_BACKEND_URL
  int timeout_ms = 2000;                                  // BACKEND_TIMEOUT_MS, per request
  int concurrency = 4;                                    // requests in flight
  int retries = 3;                                        // after a 503, with back-off
  int backoff_ms = 50;
  bool probe = true;  // the determinism probe at load
};

// settings: url, timeout_ms, concurrency, retries, backoff_ms, probe=0|1; url and timeout_ms
// fall back to MODEL_BACKEND_URL and BACKEND_TIMEOUT_MS. Throws imuwb::Error on a bad value.
EdgeinferOptions edgeinferOptionsFromSettings(const BackendOptions& options);

// What the determinism probe found.
struct DeterminismVerdict {
  bool probed = false;
  bool deterministic = true;
  double maxDifference = 0;  // between the two answers
  std::string text;          // "deterministic", "non-deterministic (likely a stub): ..."
};

class EdgeinferBackend final : public Backend {
 public:
  explicit EdgeinferBackend(EdgeinferOptions options);
  ~EdgeinferBackend() override;

  BackendInfo describe() const override;
  void load(const ModelBundle& bundle) override;
  OutputSet run(const Batch& batch) override;
  std::vector<BackendDetail> details() const override;

  const DeterminismVerdict& determinism() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

BackendEntry edgeinferBackendEntry();

}  // namespace imuwb
