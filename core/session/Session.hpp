#pragma once
// A recorded IMU session held in memory: one or two devices on one shared clock, in the
// contract's channel order and SI units, with labelled intervals.
// Large recordings are read in blocks through SessionReader instead (see SessionReader.hpp).
#include <array>
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/Channels.hpp"
#include "labels/LabelInterval.hpp"

namespace imuwb {

struct Device {
  std::string name;  // "collar", "harness", "phone", ...
  // 9 (ax ay az gx gy gz mx my mz) or 6 (no magnetometer: ax ay az gx gy gz).
  int channels = kChannelCount;
  // Row-major [sampleCount, channels] in m/s^2, rad/s, uT.
  std::vector<float> samples;
  std::size_t sampleCount() const { return samples.size() / static_cast<std::size_t>(channels); }
  float at(std::size_t row, int channel) const { return samples[row * channels + channel]; }
  bool hasMagnetometer() const { return channels == kChannelCount; }
};

struct Session {
  double sampleRateHz = kContractSampleRateHz;
  std::string startTime;       // ISO 8601 UTC; may be empty
  std::vector<double> time_s;  // [N] seconds from start, shared by all devices; empty = uniform
  std::vector<Device> devices;
  std::vector<std::string> classes;
  std::vector<LabelInterval> labels;
  nlohmann::json metadata = nlohmann::json::object();
  std::filesystem::path sourcePath;  // where it was loaded from; empty when built in memory

  std::size_t sampleCount() const { return devices.empty() ? 0 : devices.front().sampleCount(); }
  double timeAt(std::size_t row) const {
    return time_s.empty() ? static_cast<double>(row) / sampleRateHz : time_s[row];
  }
  double durationSeconds() const {
    const std::size_t n = sampleCount();
    return n == 0 ? 0.0 : timeAt(n - 1) - timeAt(0) + 1.0 / sampleRateHz;
  }
  const Device* findDevice(std::string_view name) const {
    for (const auto& device : devices)
      if (device.name == name) return &device;
    return nullptr;
  }
};

}  // namespace imuwb
