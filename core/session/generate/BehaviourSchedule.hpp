#pragma once
// The true behaviour timeline of a generated session and the labels a human would give it.
// Behaviours follow a transition table with random durations and per-bout parameters; neighbours
// blend over 0.5-2 s centred on the true change point, and the stored label edges differ from
// the change points by a labeller's jitter (a few hundred ms, bounded by kMaxLabelJitterSeconds).
// Walk and trot share one speed continuum whose ranges overlap, turns carry a weak yaw rate
// under a wobble, and sphinx lying overlaps sitting in trunk pitch: classes a model confuses.
#include <cstdint>
#include <vector>

#include "session/Session.hpp"

namespace imuwb::generator {

enum Behaviour { Stand, Sit, LieDown, Walk, Trot, Gallop, TurnLeft, TurnRight, Jump, Shake };

inline constexpr double kMaxLabelJitterSeconds = 0.4;
inline constexpr double kMinBlendSeconds = 0.5, kMaxBlendSeconds = 2.0;
// Walk draws its speed from [0, kWalkMaxSpeed], trot from [kTrotMinSpeed, 1]: the overlap looks
// the same for both classes.
inline constexpr double kWalkMaxSpeed = 0.6, kTrotMinSpeed = 0.4;

struct Segment {
  Behaviour behaviour = Stand;
  double start = 0, end = 0;  // true timeline
  double blendIn = 0;         // seconds of blend with the previous segment, centred on start
  double frequency = 0;       // gait / shake / sway Hz
  double amplitude = 1;       // behaviour-specific scale
  double speed = 0;           // gait speed in [0, 1] (walk .. trot), shapes the stride
  double yawRate = 0;         // mean rad/s
  double yawWobble = 0, wobbleFrequency = 0;  // rad/s amplitude and Hz of a yaw-rate wobble
  double heading0 = 0;                        // rad at start
  double pitch = 0, roll = 0;                 // posture, rad
  double phase = 0;
  double yawAt(double t) const;  // heading at time t (extrapolated outside [start, end))
};

struct Schedule {
  std::vector<Segment> segments;      // the true timeline, covering [0, duration)
  std::vector<LabelInterval> labels;  // one per segment, edges jittered, covering [0, duration)
};

Schedule buildSchedule(std::uint64_t seed, double durationSeconds);

}  // namespace imuwb::generator
