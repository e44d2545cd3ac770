// bench_serve_loopback: `imuwb serve` on loopback under 1, 8 and 32 concurrent keep-alive
// clients (requests/s, p50, p99, the server's peak RSS), for the sample model and the pipeline's
// encoder, next to a Python FastAPI + uvicorn sidecar (bench/peers/fastapi_sidecar.py: JSON,
// validation, normalization, one (rows*9)x64 numpy matmul) measured in the same run with the
// same client. The engine references (in-process cpu backend: one window at a time on 1 thread,
// batches of 32 on 2 threads) give the targets:
//   32 clients: >= 90% of the engine's 2-thread batched windows/s; p99 <= 2 x 32 / throughput;
//   1 client: p99 <= single-window engine latency + 0.3 ms; RSS < 100 MB.
// Usage: bench_serve_loopback [seconds per point, default 3]
#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/CpuBackend.hpp"
#include "model/ModelBundle.hpp"
#include "pipeline/Layout.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Child {
  pid_t pid = -1;
  int port = 0;
};

// Starts argv with stdout on a pipe; the first number on its first line that follows `after`
// is the port.
Child start(const std::vector<std::string>& argv, const std::string& after) {
  int fds[2];
  if (pipe(fds) != 0) std::abort();
  Child child;
  child.pid = fork();
  if (child.pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  std::string line;
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  const auto at = line.find(after);
  if (at != std::string::npos) child.port = std::atoi(line.c_str() + at + after.size());
  return child;
}

double peakRss_mb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

void stop(Child& child) {
  kill(child.pid, SIGTERM);
  int status = 0;
  waitpid(child.pid, &status, 0);
}

struct Point {
  int clients = 0;
  double rps = 0, p50 = 0, p99 = 0;
  std::size_t failures = 0;
  // CPU seconds (user + system) per answered request over the measured interval: the server's
  // and this load client's. With both on the same cores, cores / (server + client) bounds req/s.
  double serverCpu_us = 0, clientCpu_us = 0;
};

double processCpu_s(pid_t pid) {  // utime + stime of another process, from /proc/PID/stat
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int index = 3; fields >> field; ++index) {  // field 3 is the state
    if (index == 14) utime = std::atof(field.c_str());
    if (index == 15) {
      stime = std::atof(field.c_str());
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double selfCpu_s() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

Point load(pid_t server, int port, const std::string& body, int clients, double seconds) {
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<std::size_t> failures{0};
  std::atomic<bool> measuring{false}, done{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(std::chrono::seconds(10));
      while (!done) {
        const auto begin = Clock::now();
        auto answer = client.Post("/infer", body, "application/json");
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
        if (!answer || answer->status != 200) ++failures;
        if (measuring) latencies[c].push_back(ms);
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // warm-up
  const double serverCpu0 = processCpu_s(server), clientCpu0 = selfCpu_s();
  measuring = true;
  const auto begin = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  measuring = false;
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  const double serverCpu = processCpu_s(server) - serverCpu0, clientCpu = selfCpu_s() - clientCpu0;
  done = true;
  for (auto& thread : threads) thread.join();
  std::vector<double> all;
  for (const auto& one : latencies) all.insert(all.end(), one.begin(), one.end());
  std::sort(all.begin(), all.end());
  Point point{clients, all.size() / elapsed, 0, 0, failures.load()};
  if (!all.empty()) {
    point.serverCpu_us = serverCpu * 1e6 / all.size();
    point.clientCpu_us = clientCpu * 1e6 / all.size();
    point.p50 = all[all.size() / 2];
    point.p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return point;
}

struct EngineReference {
  double singleWindow_ms = 0;  // one window per call, 1 thread, median
  double batched2 = 0;         // windows/s, batches of 32 on 2 threads
};

EngineReference engineReference(const imuwb::ModelBundle& bundle) {
  EngineReference reference;
  for (int threads : {1, 2}) {
    imuwb::CpuBackend cpu({threads});
    cpu.load(bundle);
    const std::size_t n = threads == 1 ? 1 : 32;
    imuwb::Batch batch;
    batch.inputName = bundle.manifest.input.name;
    batch.shape = imuwb::batchShape(bundle.manifest, n);
    std::size_t count = 1;
    for (auto d : batch.shape) count *= static_cast<std::size_t>(d);
    batch.values.assign(count, 0.1f);
    cpu.run(batch);
    std::vector<double> times;
    const auto begin = Clock::now();
    while (Clock::now() - begin < std::chrono::seconds(2)) {
      const auto one = Clock::now();
      cpu.run(batch);
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - one).count());
    }
    std::sort(times.begin(), times.end());
    if (threads == 1)
      reference.singleWindow_ms = times[times.size() / 2];
    else
      reference.batched2 = n * 1000.0 / times[times.size() / 2];
  }
  return reference;
}

std::string bodyFor(std::size_t rows) {
  nlohmann::json body = {{"x", nlohmann::json::array()}};
  for (std::size_t r = 0; r < rows; ++r)
    body["x"].push_back({0.1 * (r % 7), 0.2, 9.81, 0.01, -0.02, 0.005, 22.0, -8.0, 43.0});
  return body.dump();
}

void printPoint(const char* who, const Point& p, double rss) {
  std::printf(
      "  %-8s %3d clients: %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  RSS %6.1f MB  CPU/req server "
      "%5.0f us, client %4.0f us%s\n",
      who, p.clients, p.rps, p.p50, p.p99, rss, p.serverCpu_us, p.clientCpu_us,
      p.failures ? ("  (" + std::to_string(p.failures) + " failed)").c_str() : "");
}

void benchModel(const std::string& model, double seconds) {
  const std::string root = IMUWB_SOURCE_DIR;
  const auto bundle = imuwb::loadModelBundle(root + "/" + model);
  const auto dims = imuwb::canonicalDims(bundle.manifest);
  const std::size_t rows = static_cast<std::size_t>(dims.h) * dims.w;
  const auto reference = engineReference(bundle);
  std::printf("=== %s (%zu rows per request)\n", model.c_str(), rows);
  std::printf(
      "  engine: single window %.3f ms (1 thread); batched %.0f windows/s (32, 2 threads)\n",
      reference.singleWindow_ms, reference.batched2);
  const auto body = bodyFor(rows);
  auto serve = start({root + "/build/bin/imuwb", "serve", "--model", root + "/" + model, "--port",
                      "0", "--threads", "2"},
                     "127.0.0.1:");
  std::vector<Point> ours;
  for (int clients : {1, 8, 32}) {
    ours.push_back(load(serve.pid, serve.port, body, clients, seconds));
    printPoint("imuwb", ours.back(), peakRss_mb(serve.pid));
  }
  const double serveRss = peakRss_mb(serve.pid);
  stop(serve);
  auto peer = start({"/usr/bin/python3", root + "/bench/peers/fastapi_sidecar.py", "--port",
                     std::to_string(18000 + getpid() % 1000), "--rows", std::to_string(rows)},
                    "listening ");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // uvicorn starts after the print
  for (int clients : {1, 8, 32})
    printPoint("fastapi", load(peer.pid, peer.port, body, clients, seconds), peakRss_mb(peer.pid));
  stop(peer);
  const auto& one = ours.front();
  const auto& many = ours.back();
  std::printf(
      "  targets: 32 clients >= %.0f req/s (90%% of engine) -> %s; p99 <= %.2f ms -> %s; "
      "1 client p99 <= %.2f ms -> %s; RSS < 100 MB -> %s\n",
      0.9 * reference.batched2, many.rps >= 0.9 * reference.batched2 ? "met" : "MISSED",
      2 * 32 * 1000.0 / many.rps, many.p99 <= 2 * 32 * 1000.0 / many.rps ? "met" : "MISSED",
      reference.singleWindow_ms + 0.3,
      one.p99 <= reference.singleWindow_ms + 0.3 ? "met" : "MISSED",
      serveRss < 100 ? "met" : "MISSED");
  // Where the time goes: the engine's own CPU per window (2 threads busy for 1/batched2 s each)
  // against what the server spends per request in all, and what the client spends.
  const double cores = static_cast<double>(std::thread::hardware_concurrency());
  std::printf(
      "  CPU at 32 clients: server %.0f us/req (engine alone %.0f us/window), client %.0f us/req;"
      " %.0f cores / (server + client) = %.0f req/s\n",
      many.serverCpu_us, 2e6 / reference.batched2, many.clientCpu_us, cores,
      cores * 1e6 / (many.serverCpu_us + many.clientCpu_us));
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  benchModel("samples/models/dog_behavior_conv2d", seconds);
  benchModel("tests/fixtures/pipeline/tcn_encoder_for_edgeinfer.onnx", seconds);
  return 0;
}
