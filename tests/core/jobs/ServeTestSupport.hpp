#pragma once
// Servers for the serve/edgeinfer tests, all on loopback and on a free port: `imuwb serve`'s
// job on a thread (stopped through its stop token, as SIGINT/SIGTERM do), and a programmable
// stub sidecar (random answers, 503s, 422s).
#include <httplib.h>

#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs/ServeJob.hpp"
#include "model/ModelBundle.hpp"
#include "runtime/Backend.hpp"

namespace imuwb::test {

class ServeThread {
 public:
  ServeThread(const ModelBundle& bundle, jobs::ServeJobOptions options) {
    options.port = 0;
    std::promise<int> bound;
    auto port = bound.get_future();
    thread_ = std::thread([this, &bundle, options, bound = std::move(bound)]() mutable {
      JobControl control;
      control.stop = stop_.get_token();
      try {
        result_ = jobs::runServeJob(bundle, options, control,
                                    [&](const std::string&, int p) { bound.set_value(p); });
      } catch (...) {
        bound.set_exception(std::current_exception());
      }
    });
    port_ = port.get();
  }
  ~ServeThread() { stop(); }
  jobs::ServeJobResult stop() {
    stop_.request_stop();
    if (thread_.joinable()) thread_.join();
    return result_;
  }
  int port() const { return port_; }
  std::string url(const std::string& path = "/infer") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  std::stop_source stop_;
  std::thread thread_;
  int port_ = 0;
  jobs::ServeJobResult result_;
};

// A stub sidecar: handler answers POST /infer; /healthz says ok (as the broken deployment did).
class StubSidecar {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  explicit StubSidecar(Handler handler) {
    server_.Post("/infer", handler);
    server_.Get("/healthz", [](const httplib::Request&, httplib::Response& r) {
      r.set_content(R"({"ok": true, "model": "stub", "version": "0.0-stub", "device": "none"})",
                    "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~StubSidecar() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/infer"; }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

// A handler answering every request with fresh random numbers under each (key, size) given: the
// production failure where /infer answered random numbers while /healthz said ok.
inline StubSidecar::Handler randomAnswers(std::vector<std::pair<std::string, int>> outputs,
                                          unsigned seed) {
  struct State {
    std::mutex mutex;
    std::mt19937 random;
  };
  auto state = std::make_shared<State>();
  state->random.seed(seed);
  return [state, outputs = std::move(outputs)](const httplib::Request&, httplib::Response& r) {
    std::lock_guard lock(state->mutex);
    std::normal_distribution<float> noise;
    nlohmann::json answer;
    for (const auto& [key, size] : outputs) {
      nlohmann::json values = nlohmann::json::array();
      for (int i = 0; i < size; ++i) values.push_back(noise(state->random));
      answer[key] = values;
    }
    r.set_content(answer.dump(), "application/json");
  };
}

// n synthetic raw windows, normalized and laid out as the manifest says (what a job hands a
// backend).
Batch contractBatch(const Manifest& manifest, std::size_t n, unsigned seed);

}  // namespace imuwb::test
