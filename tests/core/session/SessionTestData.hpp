#pragma once
// Small hand-built sessions for the session tests (independent of the generator).
#include <cmath>
#include <string>
#include <vector>

#include "session/Session.hpp"

namespace imuwb::test {

// A device at rest, flat on its back: gravity on +z, Earth field (20, 0, -45) uT, plus a
// deterministic small wiggle so no channel is flat.
inline Device restingDevice(const std::string& name, std::size_t rows, float phase = 0) {
  Device device;
  device.name = name;
  device.samples.resize(rows * kChannelCount);
  for (std::size_t r = 0; r < rows; ++r) {
    const float w = 0.02f * std::sin(0.37f * static_cast<float>(r) + phase);
    float* row = device.samples.data() + r * kChannelCount;
    row[0] = w;
    row[1] = -w;
    row[2] = 9.80665f + w;
    row[3] = 0.5f * w;
    row[4] = -0.3f * w;
    row[5] = 0.2f * w;
    row[6] = 20.0f + 10 * w;
    row[7] = 10 * w;
    row[8] = -45.0f - 10 * w;
  }
  return device;
}

inline Session restingSession(std::size_t rows,
                              std::vector<std::string> names = {"collar", "harness"}) {
  Session session;
  session.sampleRateHz = 100;
  session.startTime = "2026-01-02T03:04:05Z";
  float phase = 0;
  for (const auto& name : names) session.devices.push_back(restingDevice(name, rows, phase += 1));
  session.classes = {"stand", "sit"};
  const double duration = static_cast<double>(rows) / 100.0;
  session.labels = {{0.0, duration / 2, "stand"}, {duration / 2, duration, "sit"}};
  session.metadata = {{"subject", "rex"}, {"notes", "unit test"}};
  return session;
}

}  // namespace imuwb::test
