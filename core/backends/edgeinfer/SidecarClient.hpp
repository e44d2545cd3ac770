#pragma once
// One connection to a hailo-inference sidecar (or `imuwb serve`): POST a window, GET /healthz,
// with the contract's client rules: the timeout bounds connect, send and receive of a request
// (BACKEND_TIMEOUT_MS semantics), a 503 (model not ready) is retried with exponential back-off,
// a 422's `detail` is quoted verbatim, and a refused connection is explained. Not thread-safe:
// the backend keeps one client per pipelined lane.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace imuwb::sidecar {

struct ClientSettings {
  std::string url;  // http://host:port/infer (or /encode)
  int timeout_ms = 2000;
  int retries = 3;      // extra attempts after a 503
  int backoff_ms = 50;  // first wait after a 503, doubled each time
};

// scheme://host:port and the path of a URL ("http://pi:9000/infer" -> "http://pi:9000",
// "/infer"). Throws imuwb::Error for a URL that is not http://.
std::pair<std::string, std::string> splitUrl(const std::string& url);

class SidecarClient {
 public:
  explicit SidecarClient(ClientSettings settings);
  ~SidecarClient();
  SidecarClient(const SidecarClient&) = delete;
  SidecarClient& operator=(const SidecarClient&) = delete;

  // POSTs body to the URL's path and returns the parsed 200 response. Throws imuwb::Error.
  nlohmann::json post(const std::string& body);
  // GET <base>/healthz. Throws imuwb::Error (a 404 too: the caller decides).
  nlohmann::json health();
  const ClientSettings& settings() const { return settings_; }

 private:
  struct Impl;
  ClientSettings settings_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb::sidecar
