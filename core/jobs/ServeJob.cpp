#include "jobs/ServeJob.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <thread>

#include <httplib.h>
#include <sys/socket.h>

#include "backends/BackendRegistry.hpp"
#include "backends/edgeinfer/SidecarProtocol.hpp"
#include "common/BuildInfo.hpp"
#include "common/Error.hpp"
#include "jobs/ServeBatcher.hpp"
#include "jobs/ServeMetrics.hpp"
#include "pipeline/Normalizer.hpp"

namespace imuwb::jobs {

namespace {

constexpr int kListenBacklog = 1024;  // connections waiting for accept()

using Clock = std::chrono::steady_clock;

struct ServeState {
  const ModelBundle& bundle;
  Backend& backend;
  Normalizer normalizer;
  ServeBatcher batcher;
  ServeMetrics metrics;
  std::size_t rowsPerWindow;
  std::size_t channels;  // the model's: 9, or 6 (no magnetometer)
  Clock::time_point started = Clock::now();
};

void sendJson(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

void refuse(ServeState& state, httplib::Response& response, int status, const std::string& type,
            nlohmann::json detail, Clock::time_point began) {
  state.metrics.recordError(type);
  state.metrics.recordRequest(status >= 500 ? "error" : "rejected",
                              std::chrono::duration<double>(Clock::now() - began).count());
  sendJson(response, status, {{"detail", std::move(detail)}});
}

// /infer (key "x", every output) and /encode (key "imu_window", the latent as latent_embedding).
void handleWindow(ServeState& state, const httplib::Request& request, httplib::Response& response,
                  bool legacy) {
  const auto began = Clock::now();
  const auto type = request.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0)
    return refuse(state, response, 415, "content_type",
                  "Content-Type must be application/json, got '" + type + "'", began);
  const std::string key = legacy ? "imu_window" : "x";
  auto parsed = sidecar::parseWindowBody(request.body, key, state.rowsPerWindow);
  if (!parsed.ok()) return refuse(state, response, 422, "validation", parsed.detail, began);
  // Rows carry 9 values (the contract); a 6-channel model reads ax..gz and ignores the rest.
  const std::size_t channels = state.channels;
  if (channels < kChannelCount)
    for (std::size_t r = 0; r < state.rowsPerWindow; ++r)
      std::copy_n(parsed.rows.data() + r * kChannelCount, channels,
                  parsed.rows.data() + r * channels);
  std::vector<float> canonical(state.rowsPerWindow * channels);
  state.normalizer.apply(parsed.rows.data(), state.rowsPerWindow, canonical.data());
  WindowOutputs outputs;
  try {
    outputs = state.batcher.infer(std::move(canonical));
  } catch (const std::exception& error) {
    return refuse(state, response, 500, "inference", error.what(), began);
  }
  nlohmann::json body = nlohmann::json::object();
  for (const auto& output : outputs) {
    const auto* spec = state.bundle.manifest.findOutput(output.name);
    if (legacy) {
      if (spec && spec->role == OutputRole::Latent) body["latent_embedding"] = output.values;
      continue;
    }
    body[output.name] = output.values;
    const auto alias = spec ? sidecar::contractKey(*spec) : std::string();
    if (!alias.empty() && !body.contains(alias)) body[alias] = output.values;
  }
  state.metrics.recordRequest("ok", std::chrono::duration<double>(Clock::now() - began).count());
  sendJson(response, 200, body);
}

nlohmann::json healthOf(ServeState& state) {
  const auto info = state.backend.describe();
  std::string hef = state.bundle.sha256();
  for (const auto& detail : state.backend.details())
    if (detail.key.find("sha256") != std::string::npos) hef = detail.value;
  return {{"ok", true},
          {"model", state.bundle.manifest.name},
          {"uptime_s", std::chrono::duration<double>(Clock::now() - state.started).count()},
          {"config_version", state.bundle.manifest.version},
          {"hef_sha256", hef},
          {"version", std::string("imuwb-serve ") + build_info::kVersion},
          {"device", info.device},
          {"backend", info.name},
          {"latency_ms", state.metrics.lastLatency_ms()}};
}

void route(httplib::Server& server, ServeState& state) {
  server.Post("/infer", [&state](const httplib::Request& q, httplib::Response& r) {
    handleWindow(state, q, r, false);
  });
  server.Post("/encode", [&state](const httplib::Request& q, httplib::Response& r) {
    handleWindow(state, q, r, true);
  });
  server.Get("/healthz", [&state](const httplib::Request&, httplib::Response& r) {
    sendJson(r, 200, healthOf(state));
  });
  server.Get("/metrics", [&state](const httplib::Request&, httplib::Response& r) {
    r.set_content(state.metrics.render(), "text/plain; version=0.0.4");
  });
  server.set_exception_handler(
      [&state](const httplib::Request&, httplib::Response& r, std::exception_ptr) {
        state.metrics.recordError("internal");
        sendJson(r, 500, {{"detail", "internal error"}});
      });
  server.set_error_handler([](const httplib::Request&, httplib::Response& r) {
    if (r.body.empty())
      r.set_content(nlohmann::json{{"detail", "HTTP " + std::to_string(r.status)}}.dump(),
                    "application/json");
  });
}

}  // namespace

ServeJobResult runServeJob(const ModelBundle& bundle, const ServeJobOptions& options,
                           const JobControl& control, const ServeListening& listening) {
  BackendOptions backendOptions;
  backendOptions.settings["threads"] = std::to_string(options.threads);
  for (const auto& [key, value] : options.backendSettings) backendOptions.settings[key] = value;
  backendOptions.stop = control.stop;
  auto backend = makeDefaultBackendRegistry().create(options.backend, backendOptions);
  control.report(0, "loading the model");
  backend->load(bundle);
  const auto dims = canonicalDims(bundle.manifest);
  ServeState state{bundle,
                   *backend,
                   Normalizer(bundle.manifest),
                   ServeBatcher(*backend, bundle.manifest, options.maxBatch),
                   ServeMetrics(bundle.manifest.name),
                   static_cast<std::size_t>(dims.h) * dims.w,
                   static_cast<std::size_t>(dims.c)};

  httplib::Server server;
  const int poolSize = std::max(1, options.connectionThreads);
  server.new_task_queue = [poolSize] { return new httplib::ThreadPool(poolSize); };
  server.set_payload_max_length(options.maxBodyBytes);
  server.set_read_timeout(std::chrono::milliseconds(options.readTimeout_ms));
  server.set_write_timeout(std::chrono::milliseconds(options.readTimeout_ms));
  server.set_keep_alive_max_count(1000000);
  // An idle or half-sent connection is dropped after the read timeout too (whole seconds).
  server.set_keep_alive_timeout(std::max(1, (options.readTimeout_ms + 999) / 1000));
  server.set_tcp_nodelay(true);
  // Debian's cpp-httplib is a shared library built to listen() with a backlog of 5: 16 or 32
  // clients connecting at once overflow the accept queue and the kernel drops or resets some
  // (TcpExtListenOverflows; rare "Read" failures under load). Calling listen() again on the bound
  // socket raises its backlog (the kernel caps it at net.core.somaxconn).
  socket_t listenSocket = INVALID_SOCKET;
  server.set_socket_options([&listenSocket](socket_t sock) {
    httplib::default_socket_options(sock);
    listenSocket = sock;
  });
  route(server, state);

  const int port = options.port == 0
                       ? server.bind_to_any_port(options.host)
                       : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port < 0)
    throw Error("imuwb serve " + options.host + ":" + std::to_string(options.port),
                "cannot bind the address (in use, or not an address of this host)",
                "choose another --port (0 picks a free one) or --host");
  if (listenSocket != INVALID_SOCKET) ::listen(listenSocket, kListenBacklog);
  std::thread listener([&server] { server.listen_after_bind(); });
  if (listening) listening("http://" + options.host + ":" + std::to_string(port), port);
  control.report(0, "serving");
  {
    std::mutex mutex;
    std::condition_variable_any wait;
    std::unique_lock lock(mutex);
    wait.wait(lock, control.stop, [] { return false; });
  }
  server.stop();
  listener.join();
  return {port, static_cast<std::size_t>(state.metrics.requests("ok")), state.batcher.batches(),
          state.batcher.windows()};
}

}  // namespace imuwb::jobs
