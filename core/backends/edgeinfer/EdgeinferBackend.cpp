#include "backends/edgeinfer/EdgeinferBackend.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

#include "backends/edgeinfer/SidecarClient.hpp"
#include "backends/edgeinfer/SidecarProtocol.hpp"
#include "common/Error.hpp"
#include "pipeline/Layout.hpp"
#include "pipeline/Normalizer.hpp"

namespace imuwb {

namespace {

int intSetting(const BackendOptions& options, const std::string& key, const std::string& fallback,
               int minimum) {
  const auto text = options.get(key, fallback);
  try {
    std::size_t used = 0;
    const int value = std::stoi(text, &used);
    if (used == text.size() && value >= minimum) return value;
  } catch (const std::exception&) {
  }
  throw Error("edgeinfer backend option " + key + "=" + text,
              "not an integer >= " + std::to_string(minimum), "e.g. " + key + "=" + fallback);
}

std::string envOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

// A plausible still window (gravity on z, a moderate field): valid under the contract.
std::vector<float> probeWindow(std::size_t rows) {
  std::vector<float> window(rows * kChannelCount);
  for (std::size_t r = 0; r < rows; ++r) {
    const float t = static_cast<float>(r) / 100.0f;
    const float row[kChannelCount] = {0.1f * std::sin(7 * t),
                                      0.2f,
                                      9.81f,
                                      0.01f * std::cos(3 * t),
                                      -0.02f,
                                      0.005f,
                                      22.0f,
                                      -8.0f,
                                      43.0f};
    std::copy(row, row + kChannelCount, window.begin() + r * kChannelCount);
  }
  return window;
}

}  // namespace

EdgeinferOptions edgeinferOptionsFromSettings(const BackendOptions& options) {
  EdgeinferOptions o;
  o.url = options.get("url", envOr("MODEL_BACKEND_URL", o.url));
  o.timeout_ms = intSetting(options, "timeout_ms", envOr("BACKEND_TIMEOUT_MS", "2000"), 1);
  o.concurrency = intSetting(options, "concurrency", "4", 1);
  o.retries = intSetting(options, "retries", "3", 0);
  o.backoff_ms = intSetting(options, "backoff_ms", "50", 0);
  o.probe = intSetting(options, "probe", "1", 0) != 0;
  sidecar::splitUrl(o.url);  // refuses a URL that is not http:// now, not at load
  return o;
}

struct EdgeinferBackend::Impl {
  EdgeinferOptions options;
  std::vector<std::unique_ptr<sidecar::SidecarClient>> lanes;
  std::unique_ptr<Normalizer> normalizer;
  Manifest manifest;
  CanonicalDims dims;
  bool legacyEncode = false;
  nlohmann::json health;
  std::string healthError;
  DeterminismVerdict verdict;
  std::vector<double> latencies_ms;
  std::mutex latencyMutex;

  std::size_t rowsPerWindow() const { return static_cast<std::size_t>(dims.h) * dims.w; }

  std::string bodyFor(const float* rows) const {
    return sidecar::windowBody(rows, rowsPerWindow(), legacyEncode ? "imu_window" : "x");
  }

  // One window's outputs, in manifest order.
  std::vector<std::vector<float>> post(sidecar::SidecarClient& lane, const float* rows) {
    const auto started = std::chrono::steady_clock::now();
    const auto response = lane.post(bodyFor(rows));
    const double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    {
      std::lock_guard lock(latencyMutex);
      latencies_ms.push_back(elapsed);
    }
    std::vector<std::vector<float>> outputs;
    for (const auto& output : manifest.outputs) {
      if (legacyEncode && output.role != OutputRole::Latent) continue;
      outputs.push_back(sidecar::readOutput(response, output, "edgeinfer " + options.url));
    }
    return outputs;
  }

  void probe() {
    const auto window = probeWindow(rowsPerWindow());
    const auto first = post(*lanes.front(), window.data());
    const auto second = post(*lanes.front(), window.data());
    verdict.probed = true;
    for (std::size_t o = 0; o < first.size(); ++o)
      for (std::size_t i = 0; i < first[o].size(); ++i)
        verdict.maxDifference = std::max(
            verdict.maxDifference, static_cast<double>(std::fabs(first[o][i] - second[o][i])));
    verdict.deterministic = verdict.maxDifference == 0;
    verdict.text = verdict.deterministic
                       ? "deterministic (the same window twice gave identical answers)"
                       : "non-deterministic (likely a stub): the same window twice gave different "
                         "answers (max |difference| " +
                             std::to_string(verdict.maxDifference) + ")";
  }
};

EdgeinferBackend::EdgeinferBackend(EdgeinferOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}
EdgeinferBackend::~EdgeinferBackend() = default;

const DeterminismVerdict& EdgeinferBackend::determinism() const {
  return impl_->verdict;
}

BackendInfo EdgeinferBackend::describe() const {
  std::string version = "sidecar";
  if (impl_->health.is_object() && impl_->health.contains("version"))
    version += " " + impl_->health["version"].dump();
  std::string device = impl_->options.url;
  if (impl_->verdict.probed && !impl_->verdict.deterministic)
    device += " [NON-DETERMINISTIC (likely a stub)]";
  return {"edgeinfer", version, device, "remote"};
}

void EdgeinferBackend::load(const ModelBundle& bundle) {
  auto& impl = *impl_;
  impl.manifest = bundle.manifest;
  impl.normalizer = std::make_unique<Normalizer>(impl.manifest);
  impl.dims = canonicalDims(impl.manifest);
  impl.legacyEncode = sidecar::splitUrl(impl.options.url).second == "/encode";
  impl.lanes.clear();
  for (int lane = 0; lane < impl.options.concurrency; ++lane)
    impl.lanes.push_back(std::make_unique<sidecar::SidecarClient>(sidecar::ClientSettings{
        impl.options.url, impl.options.timeout_ms, impl.options.retries, impl.options.backoff_ms}));
  impl.verdict = {};
  impl.healthError.clear();
  try {
    impl.health = impl.lanes.front()->health();
  } catch (const Error& error) {
    if (std::string(error.what()).find("refused") != std::string::npos) throw;
    impl.health = nullptr;
    impl.healthError = error.what();
  }
  if (impl.options.probe) impl.probe();
}

std::vector<BackendDetail> EdgeinferBackend::details() const {
  const auto& impl = *impl_;
  std::vector<BackendDetail> lines = {
      {"url", impl.options.url},
      {"timeout_ms", std::to_string(impl.options.timeout_ms)},
      {"concurrency", std::to_string(impl.options.concurrency)},
      {"determinism", impl.verdict.probed ? impl.verdict.text : "not probed (probe=0)"}};
  if (impl.health.is_object()) {
    for (const char* key : {"ok", "model", "version", "device", "hef_sha256", "config_version",
                            "uptime_s", "latency_ms"})
      if (impl.health.contains(key))
        lines.push_back({std::string("healthz.") + key, impl.health[key].is_string()
                                                            ? impl.health[key].get<std::string>()
                                                            : impl.health[key].dump()});
  } else {
    lines.push_back({"healthz", "unavailable: " + impl.healthError});
  }
  if (!impl.latencies_ms.empty()) {
    auto sorted = impl.latencies_ms;
    std::sort(sorted.begin(), sorted.end());
    lines.push_back({"request latency", "p50 " + std::to_string(sorted[sorted.size() / 2]) +
                                            " ms, max " + std::to_string(sorted.back()) + " ms"});
  }
  return lines;
}

OutputSet EdgeinferBackend::run(const Batch& batch) {
  auto& impl = *impl_;
  if (!impl.normalizer)
    throw Error("edgeinfer backend", "run() before load()", "load a model bundle first");
  const std::size_t n = batch.windowCount();
  const std::size_t rows = impl.rowsPerWindow();
  const std::size_t channels = static_cast<std::size_t>(impl.dims.c);
  if (batch.values.size() != n * rows * channels)
    throw Error("edgeinfer backend", "batch of " + std::to_string(batch.values.size()) +
                                         " values is not " + std::to_string(n) + " windows of " +
                                         std::to_string(rows) + "x" + std::to_string(channels));
  // Back to what the sidecar takes: canonical rows, contract channel order, raw units.
  std::vector<float> canonical(batch.values.size()), modelRows(batch.values.size());
  layoutToCanonical(batch.values.data(), n, impl.dims, impl.manifest.input.layout,
                    canonical.data());
  impl.normalizer->invert(canonical.data(), n * rows, modelRows.data());
  // The contract's rows have 9 values; a 6-channel model's sidecar ignores the magnetometer,
  // which is sent as 0 (inside the contract's bounds).
  std::vector<float> raw(n * rows * kChannelCount, 0.0f);
  for (std::size_t r = 0; r < n * rows; ++r)
    std::copy_n(modelRows.data() + r * channels, channels, raw.data() + r * kChannelCount);

  std::vector<std::vector<std::vector<float>>> perWindow(n);
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failureMutex;
  auto work = [&](sidecar::SidecarClient& lane) {
    for (std::size_t w; (w = next.fetch_add(1)) < n;) {
      try {
        perWindow[w] = impl.post(lane, raw.data() + w * rows * kChannelCount);
      } catch (...) {
        std::lock_guard lock(failureMutex);
        if (!failure) failure = std::current_exception();
        next = n;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    const std::size_t lanes = std::min<std::size_t>(impl.lanes.size(), n);
    for (std::size_t lane = 1; lane < lanes; ++lane)
      workers.emplace_back([&, lane] { work(*impl.lanes[lane]); });
    work(*impl.lanes.front());
  }
  if (failure) std::rethrow_exception(failure);

  OutputSet set;
  std::size_t index = 0;
  for (const auto& spec : impl.manifest.outputs) {
    if (impl.legacyEncode && spec.role != OutputRole::Latent) continue;
    OutputTensor tensor;
    tensor.name = spec.name;
    const std::size_t size = n ? perWindow[0][index].size() : 0;
    tensor.shape = {static_cast<std::int64_t>(n), static_cast<std::int64_t>(size)};
    for (const auto& window : perWindow)
      tensor.values.insert(tensor.values.end(), window[index].begin(), window[index].end());
    set.outputs.push_back(std::move(tensor));
    ++index;
  }
  return set;
}

BackendEntry edgeinferBackendEntry() {
  return {"edgeinfer",
          "a hailo-inference sidecar (or imuwb serve) over HTTP: url=http://HOST:PORT/infer",
          [](const BackendOptions& options) -> std::unique_ptr<Backend> {
            return std::make_unique<EdgeinferBackend>(edgeinferOptionsFromSettings(options));
          }};
}

}  // namespace imuwb
