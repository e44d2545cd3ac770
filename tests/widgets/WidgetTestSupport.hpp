#pragma once
// Helpers shared by the widget tests (header-only: every tests/widgets/*.cpp is its own exe).
// Sessions and outputs are synthesised here, independently of the code under test.
#include <QDir>
#include <QStandardPaths>
#include <cmath>
#include <memory>
#include <random>

#include "ModelOutputs.hpp"
#include "session/Session.hpp"
#include "support/paths/TestPaths.hpp"

namespace imuwb::testing {

// Two devices of random walk + isolated spikes, with labels alternating between classes.
inline std::shared_ptr<Session> syntheticSession(std::size_t rows, unsigned seed = 1,
                                                 int devices = 2) {
  auto session = std::make_shared<Session>();
  session->sampleRateHz = 100;
  session->classes = {"stand", "walk", "trot"};
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.f, 1.f);
  for (int d = 0; d < devices; ++d) {
    Device device;
    device.name = d == 0 ? "collar" : "harness";
    device.samples.resize(rows * kChannelCount);
    for (std::size_t i = 0; i < device.samples.size(); ++i) device.samples[i] = noise(rng);
    for (std::size_t k = 0; k < rows / 500 + 2; ++k)
      device.samples[(rng() % rows) * kChannelCount + rng() % kChannelCount] =
          (rng() % 2 ? 1.f : -1.f) * (50.f + static_cast<float>(rng() % 100));
    session->devices.push_back(std::move(device));
  }
  const double duration = rows / 100.0;
  for (double t = 0; t < duration; t += 7.0)
    session->labels.push_back(LabelInterval{t, std::min(duration, t + 7.0),
                                            session->classes[static_cast<std::size_t>(t / 7) % 3]});
  return session;
}

// Outputs with all three kinds, one window per stride, values computed from the window index.
inline widgets::ModelOutputs syntheticOutputs(const Session& session, std::size_t stride = 50) {
  widgets::ModelOutputs out;
  out.modelName = "synthetic";
  out.backendName = "fake";
  out.strideSamples = stride;
  out.windowLength_s = 1.0;
  const std::size_t windows = (session.sampleCount() - 100) / stride + 1;
  out.probabilities.width = 3;
  out.probabilities.columnNames = {"stand", "walk", "trot"};
  out.motifScores.width = 12;
  out.latent.width = 64;
  for (std::size_t w = 0; w < windows; ++w) {
    out.windowStart_s.push_back(static_cast<double>(w * stride) / session.sampleRateHz);
    const std::size_t cls = (w / 10) % 3;
    for (std::size_t c = 0; c < 3; ++c) out.probabilities.values.push_back(c == cls ? 0.8f : 0.1f);
    for (std::size_t m = 0; m < 12; ++m)
      out.motifScores.values.push_back(0.5f + 0.5f * std::sin(0.1f * w + m));
    for (std::size_t d = 0; d < 64; ++d) out.latent.values.push_back(std::cos(0.05f * w * (d + 1)));
  }
  return out;
}

inline QString sourceDir() {
  return QString::fromUtf8(imuwb::test::paths::sourceDir());
}
inline QString fixtureDir() {
  return sourceDir() + "/tests/fixtures/pipeline";
}

// Keep tests away from the user's real settings.
inline void isolateSettings() {
  QStandardPaths::setTestModeEnabled(true);
}

}  // namespace imuwb::testing
