#include "jobs/ServeMetrics.hpp"

#include <sstream>

namespace imuwb::jobs {

void ServeMetrics::recordRequest(const std::string& status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[status];
  if (status != "ok") return;
  ++durationCount_;
  durationSum_ += seconds;
  last_s_ = seconds;
  for (std::size_t b = 0; b < kBuckets.size(); ++b)
    if (seconds <= kBuckets[b]) ++bucketCounts_[b];
}

void ServeMetrics::recordError(const std::string& errorType) {
  std::lock_guard lock(mutex_);
  ++errors_[errorType];
}

double ServeMetrics::lastLatency_ms() const {
  std::lock_guard lock(mutex_);
  return last_s_ * 1000.0;
}

std::uint64_t ServeMetrics::requests(const std::string& status) const {
  std::lock_guard lock(mutex_);
  auto found = requests_.find(status);
  return found == requests_.end() ? 0 : found->second;
}

std::string ServeMetrics::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  const std::string model = "model=\"" + model_ + "\"";
  out << "# HELP hailo_inference_requests_total Inference requests by outcome.\n"
      << "# TYPE hailo_inference_requests_total counter\n";
  for (const auto& [status, count] : requests_)
    out << "hailo_inference_requests_total{status=\"" << status << "\"," << model << "} " << count
        << "\n";
  out << "# HELP hailo_inference_duration_seconds Time to answer a successful request.\n"
      << "# TYPE hailo_inference_duration_seconds histogram\n";
  for (std::size_t b = 0; b < kBuckets.size(); ++b)
    out << "hailo_inference_duration_seconds_bucket{" << model << ",le=\"" << kBuckets[b] << "\"} "
        << bucketCounts_[b] << "\n";
  out << "hailo_inference_duration_seconds_bucket{" << model << ",le=\"+Inf\"} " << durationCount_
      << "\n"
      << "hailo_inference_duration_seconds_sum{" << model << "} " << durationSum_ << "\n"
      << "hailo_inference_duration_seconds_count{" << model << "} " << durationCount_ << "\n";
  out << "# HELP hailo_errors_total Errors by type.\n"
      << "# TYPE hailo_errors_total counter\n";
  for (const auto& [type, count] : errors_)
    out << "hailo_errors_total{error_type=\"" << type << "\"," << model << "} " << count << "\n";
  return out.str();
}

}  // namespace imuwb::jobs
