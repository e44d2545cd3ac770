#pragma once
// Deterministic synthetic dog-behaviour sessions from one or more devices (collar, harness),
// each with its own mounting rotation, noise and bias. Same options + seed = same bytes.
// Physics: gravity projected by posture, gait bounce at walk/trot/gallop frequencies, yaw
// rate and a rotating Earth field on turns, 4-6 Hz roll bursts for shakes, jump impulse +
// free fall + landing. Samples are a pure function of (seed, device, row), so blocks can be
// generated in any order and in parallel.
// Realism (so evaluation means something): behaviours blend over 0.5-2 s at each change, the
// stored labels are a labeller's (edges off the true change points by up to 0.4 s), walk/trot,
// turn_left/turn_right and sit/lie_down overlap, and devices slip and are re-seated (their
// mount rotates mid-session, often with a knock). The true timeline and the events are in the
// session's metadata (docs/cli.md, "imuwb generate").
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb {

// Bumped whenever the same options and seed give different samples.
inline constexpr int kGeneratorVersion = 2;

inline const std::vector<std::string>& generatorClasses() {
  static const std::vector<std::string> classes = {"stand", "sit",    "lie_down",  "walk",
                                                   "trot",  "gallop", "turn_left", "turn_right",
                                                   "jump",  "shake"};
  return classes;
}

struct GeneratorOptions {
  double durationSeconds = 600;
  std::uint64_t seed = 1;
  std::vector<std::string> devices = {"collar", "harness"};
  double sampleRateHz = kContractSampleRateHz;
  std::string startTime = "2026-01-01T00:00:00Z";
  // false: 6-axis devices (ax..gz) with no magnetometer channels at all. Their six channels
  // are the same values a 9-channel session of the same seed holds.
  bool magnetometer = true;
  int channelCount() const { return magnetometer ? kChannelCount : kSixAxisChannelCount; }
};

// A device's slip ("slip") or re-seating ("reseat"): its mount rotates by angleDeg over
// [start_s, end_s); knock: with an acceleration and gyro spike.
struct SensorEvent {
  std::string device, kind;
  double start_s = 0, end_s = 0, angleDeg = 0;
  bool knock = false;
};

struct GeneratorOptions;
void generateSessionFile(const GeneratorOptions& options, const std::filesystem::path& target,
                         const JobControl& control);

class SessionGenerator {
 public:
  explicit SessionGenerator(GeneratorOptions options);  // throws imuwb::Error on bad options
  ~SessionGenerator();
  SessionGenerator(SessionGenerator&&) noexcept;

  const GeneratorOptions& options() const;
  std::size_t sampleCount() const;
  const std::vector<LabelInterval>& labels() const;  // covers [0, duration) without gaps
  // The behaviour actually generated, one interval per label (same classes, same order); its
  // edges are the change points, each at the middle of a blend.
  std::vector<LabelInterval> trueTimeline() const;
  std::vector<SensorEvent> sensorEvents() const;  // every device's, in time order
  // The session's metadata: generator, version, seed, duration, the true change points and the
  // sensor events.
  nlohmann::json metadata() const;
  // Fills out with rows [firstRow, firstRow + rowCount) of one device,
  // [rowCount, options().channelCount()].
  void generateRows(std::size_t deviceIndex, std::size_t firstRow, std::size_t rowCount,
                    float* out) const;

 private:
  friend void generateSessionFile(const GeneratorOptions&, const std::filesystem::path&,
                                  const JobControl&);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// In memory (short sessions, tests).
Session generateSession(const GeneratorOptions& options);
// Streams to an HDF5 session file through SessionWriter (24 h two devices in seconds).
void generateSessionFile(const GeneratorOptions& options, const std::filesystem::path& target,
                         const JobControl& control = {});

}  // namespace imuwb
