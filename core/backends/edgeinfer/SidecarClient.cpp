#include "backends/edgeinfer/SidecarClient.hpp"

#include <chrono>
#include <thread>

#include <httplib.h>

#include "common/Error.hpp"
#include "common/SafeRead.hpp"

namespace imuwb::sidecar {

std::pair<std::string, std::string> splitUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    throw Error("edgeinfer url=" + url, "not an http:// URL",
                "give url=http://HOST:PORT/infer (MODEL_BACKEND_URL has the same form)");
  const auto slash = url.find('/', scheme.size());
  if (slash == std::string::npos) return {url, "/infer"};
  return {url.substr(0, slash), url.substr(slash)};
}

struct SidecarClient::Impl {
  std::string base, path;
  std::unique_ptr<httplib::Client> client;
};

SidecarClient::SidecarClient(ClientSettings settings)
    : settings_(std::move(settings)), impl_(std::make_unique<Impl>()) {
  auto [base, path] = splitUrl(settings_.url);
  impl_->base = base;
  impl_->path = path;
  impl_->client = std::make_unique<httplib::Client>(base);
  const auto timeout = std::chrono::milliseconds(settings_.timeout_ms);
  impl_->client->set_connection_timeout(timeout);
  impl_->client->set_read_timeout(timeout);
  impl_->client->set_write_timeout(timeout);
  impl_->client->set_keep_alive(true);
  impl_->client->set_tcp_nodelay(true);
}

SidecarClient::~SidecarClient() = default;

namespace {

[[noreturn]] void throwTransport(const std::string& where, httplib::Error error, int timeout_ms) {
  if (error == httplib::Error::Connection)
    throw Error(where, "connection refused or host unreachable: nothing is listening there",
                "start the sidecar (on the Pi: systemctl status hailo-inference; here: imuwb "
                "serve --model BUNDLE --port 9000), or fix url= / MODEL_BACKEND_URL");
  if (error == httplib::Error::Read || error == httplib::Error::Write ||
      error == httplib::Error::ConnectionTimeout)
    throw Error(where,
                "no complete answer within " + std::to_string(timeout_ms) + " ms (" +
                    httplib::to_string(error) + ")",
                "raise --backend-option timeout_ms=N (or BACKEND_TIMEOUT_MS), or check the "
                "sidecar's load (GET /metrics)");
  throw Error(where, "request failed: " + httplib::to_string(error));
}

nlohmann::json parseBody(const std::string& where, const std::string& body) {
  try {
    return parseJsonBounded(body, where);
  } catch (const Error& error) {
    throw Error(where, std::string("the answer is not JSON: ") + error.what(),
                "check that the URL is the sidecar's /infer");
  }
}

}  // namespace

nlohmann::json SidecarClient::post(const std::string& body) {
  const std::string where = "edgeinfer POST " + settings_.url;
  int wait_ms = settings_.backoff_ms;
  for (int attempt = 0;; ++attempt) {
    auto result = impl_->client->Post(impl_->path, body, "application/json");
    if (!result) throwTransport(where, result.error(), settings_.timeout_ms);
    if (result->status == 200) return parseBody(where, result->body);
    if (result->status == 503 && attempt < settings_.retries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
      wait_ms *= 2;
      continue;
    }
    if (result->status == 503)
      throw Error(
          where,
          "503: the model is not ready (still " + std::to_string(attempt + 1) + " attempts later)",
          "wait for the sidecar to load its model (GET /healthz), or raise retries=N");
    if (result->status == 422) {
      std::string detail = result->body;
      try {
        detail = parseJsonBounded(result->body, where).at("detail").dump();
      } catch (const std::exception&) {
      }
      throw Error(where, "422: the sidecar refused the window: " + detail,
                  "the window breaks the contract (100x9 raw, finite, |acc|<=500, "
                  "|gyro|<=35, |mag|<=2000)");
    }
    throw Error(where,
                "HTTP " + std::to_string(result->status) + ": " + result->body.substr(0, 300));
  }
}

nlohmann::json SidecarClient::health() {
  const std::string where = "edgeinfer GET " + impl_->base + "/healthz";
  auto result = impl_->client->Get("/healthz");
  if (!result) throwTransport(where, result.error(), settings_.timeout_ms);
  if (result->status != 200) throw Error(where, "HTTP " + std::to_string(result->status));
  return parseBody(where, result->body);
}

}  // namespace imuwb::sidecar
