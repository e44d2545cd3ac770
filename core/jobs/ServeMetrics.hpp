#pragma once
// `imuwb serve`'s counters, rendered as the contract's Prometheus text (GET /metrics):
//   hailo_inference_requests_total{status,model}   counter
//   hailo_inference_duration_seconds{model}        histogram (successful requests)
//   hailo_errors_total{error_type,model}           counter
// Thread-safe: every request thread records into it.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace imuwb::jobs {

class ServeMetrics {
 public:
  explicit ServeMetrics(std::string model) : model_(std::move(model)) {}
  void recordRequest(const std::string& status, double seconds);
  void recordError(const std::string& errorType);
  std::string render() const;
  double lastLatency_ms() const;
  std::uint64_t requests(const std::string& status) const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.25,  1.0};
  std::string model_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> requests_, errors_;
  std::array<std::uint64_t, kBuckets.size()> bucketCounts_{};
  std::uint64_t durationCount_ = 0;
  double durationSum_ = 0, last_s_ = 0;
};

}  // namespace imuwb::jobs
