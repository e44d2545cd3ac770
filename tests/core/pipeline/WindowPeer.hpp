#pragma once
// What the windowing tests share with the independent numpy peer (tests/peers/window_peer.py):
// a synthetic two-device session with a time gap, a NaN, an Inf and labels; a manifest around a
// layout; and the hand-over of a cut (batch, window starts, labels, skipped counts, config) to
// the peer, which recuts the same session file and prints OK when every value agrees.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "io/Npy.hpp"
#include "session/Session.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::test {

struct SyntheticSessionSpec {
  std::size_t rows = 4000;
  unsigned seed = 11;
  double rateHz = 100;
  std::size_t gapAfterRow = 1500;  // the clock jumps by gap_s after this row
  double gap_s = 0.5;
  std::size_t nanRow = 3210;  // a NaN in the harness (device 1) at this row and channel
  int nanChannel = 5;
  std::size_t infRow = 2600;  // an Inf in the collar (device 0), channel my
  std::vector<LabelInterval> labels;
};

// Devices "collar" and "harness" with gravity on az, unit noise and magnetometer-sized noise on
// m*, classes stand, walk and trot.
inline Session makeSyntheticSession(const SyntheticSessionSpec& spec) {
  Session session;
  session.sampleRateHz = spec.rateHz;
  std::mt19937 random(spec.seed);
  std::normal_distribution<float> normal(0, 1);
  for (const char* name : {"collar", "harness"}) {
    Device device;
    device.name = name;
    device.samples.resize(spec.rows * kChannelCount);
    for (std::size_t r = 0; r < spec.rows; ++r)
      for (int c = 0; c < kChannelCount; ++c)
        device.samples[r * kChannelCount + c] =
            (c == 2 ? 9.81f : 0.0f) + (c >= 6 ? 20.0f : 1.0f) * normal(random);
    session.devices.push_back(device);
  }
  session.devices[1].samples[spec.nanRow * kChannelCount + spec.nanChannel] =
      std::numeric_limits<float>::quiet_NaN();
  session.devices[0].samples[spec.infRow * kChannelCount + 7] =
      std::numeric_limits<float>::infinity();
  for (std::size_t r = 0; r < spec.rows; ++r)
    session.time_s.push_back(r / spec.rateHz + (r > spec.gapAfterRow ? spec.gap_s : 0.0));
  session.classes = {"stand", "walk", "trot"};
  session.labels = spec.labels;
  return session;
}

// A manifest with host-side z-score normalization and one latent output "y"; input.devices only
// when devices is not empty, input.sample_rate_hz only when rateHz is given.
inline nlohmann::json peerManifestJson(const std::string& name, const std::string& layout,
                                       const std::vector<std::int64_t>& shape,
                                       const std::vector<std::string>& devices,
                                       const std::vector<std::string>& channelOrder,
                                       const std::string& appliedBy = "host",
                                       std::optional<double> rateHz = std::nullopt) {
  // One mean and std per model channel (9, or 6 for a model without a magnetometer).
  const std::vector<double> mean = {0.1, -0.2, 9.7, 0.01, 0.02, -0.03, 19.5, -1.25, 3.0};
  const std::vector<double> std = {1.1, 0.9, 1.3, 0.7, 1.7, 0.3, 21.0, 19.0, 17.5};
  const auto channels = static_cast<std::ptrdiff_t>(channelOrder.size());
  nlohmann::json json = {
      {"format", "imuwb-manifest"},
      {"format_version", 1},
      {"name", name},
      {"input",
       {{"name", "x"}, {"layout", layout}, {"shape", shape}, {"channel_order", channelOrder}}},
      {"normalization",
       {{"applied_by", appliedBy},
        {"mean", std::vector<double>(mean.begin(), mean.begin() + channels)},
        {"std", std::vector<double>(std.begin(), std.begin() + channels)},
        {"channel_order", channelOrder}}},
      {"outputs", {{{"name", "y"}, {"role", "latent"}, {"size", 4}}}}};
  if (rateHz) json["input"]["sample_rate_hz"] = *rateHz;
  if (!devices.empty()) json["input"]["devices"] = devices;
  return json;
}

// What our side cut: the concatenated batch values (shape[0] = window count), each window's
// first row, label and mixed-labels flag, and how many windows were skipped for a gap or a NaN.
struct WindowCut {
  std::vector<float> values;
  std::vector<std::int64_t> shape, starts, labels, mixed;
  std::size_t gapWindows = 0, nanWindows = 0;
};

// Writes cut and config (layout, shape, devices, channel_order, mean, std, applied_by, stride,
// label_rule, window_length) into dir and runs the peer on sessionPath; expects its OK.
inline void expectWindowPeerAgrees(const std::filesystem::path& sessionPath,
                                   const std::filesystem::path& dir, const WindowCut& cut,
                                   const nlohmann::json& config) {
  std::filesystem::create_directories(dir);
  io::writeNpy(dir / "batch.npy", io::NpyDType::Float32, cut.shape, cut.values.data());
  const std::vector<std::int64_t> count = {static_cast<std::int64_t>(cut.starts.size())};
  io::writeNpy(dir / "start.npy", io::NpyDType::Int64, count, cut.starts.data());
  io::writeNpy(dir / "label.npy", io::NpyDType::Int64, count, cut.labels.data());
  if (!cut.mixed.empty())
    io::writeNpy(dir / "mixed.npy", io::NpyDType::Int64, count, cut.mixed.data());
  std::ofstream(dir / "skipped.json")
      << nlohmann::json{{"gap", cut.gapWindows}, {"nan", cut.nanWindows}}.dump();
  std::ofstream(dir / "config.json") << config.dump();
  const auto result =
      runCommand(shellQuote(pythonPath()) + " " +
                 shellQuote((sourceDir() / "tests/peers/window_peer.py").string()) + " " +
                 shellQuote(sessionPath.string()) + " " + shellQuote(dir.string()));
  EXPECT_EQ(result.exitCode, 0) << config.dump() << "\n" << result.output << result.errors;
  EXPECT_NE(result.output.find("OK"), std::string::npos) << result.output;
}

}  // namespace imuwb::test
