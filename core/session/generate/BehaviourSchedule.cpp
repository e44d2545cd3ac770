#include "session/generate/BehaviourSchedule.hpp"

#include <algorithm>
#include <cmath>

#include "session/SessionGenerator.hpp"
#include "session/generate/GeneratorRandom.hpp"

namespace imuwb::generator {
namespace {

// Next-behaviour weights: postures chain through each other, gaits speed up and slow down.
constexpr double kTransitions[10][10] = {
    //  st   sit  lie  walk trot gal  tl   tr   jump shake
    {0, 2, 1, 4, 1, 0, 1, 1, 0.5, 1},        // stand
    {3, 0, 2, 0, 0, 0, 0, 0, 0, 0.5},        // sit
    {2, 2, 0, 0, 0, 0, 0, 0, 0, 0},          // lie_down
    {2, 0.5, 0, 0, 2, 0, 1.5, 1.5, 0.3, 0},  // walk
    {0.5, 0, 0, 2, 0, 1.5, 1, 1, 0.5, 0},    // trot
    {0, 0, 0, 0, 2, 0, 0.5, 0.5, 0.5, 0},    // gallop
    {1, 0, 0, 3, 1, 0, 0, 0, 0, 0},          // turn_left
    {1, 0, 0, 3, 1, 0, 0, 0, 0, 0},          // turn_right
    {1, 0, 0, 1, 1, 0, 0, 0, 0, 0},          // jump
    {2, 0, 0, 1, 0, 0, 0, 0, 0, 0}};         // shake
constexpr double kDurationRange[10][2] = {{3, 30}, {5, 45}, {10, 120}, {5, 60},    {3, 30},
                                          {2, 10}, {1, 3},  {1, 3},    {0.8, 1.2}, {1, 2.5}};

// Stride frequency of a walk..trot speed: one law for both gaits, so they meet in the overlap.
double strideFrequency(double speed, Draw& draw) {
  return 1.4 + 1.8 * speed + 0.06 * draw.normal();
}

void drawParameters(Segment& s, Draw& draw) {
  s.phase = draw.uniform(0, 2 * kPi);
  s.amplitude = draw.uniform(0.9, 1.1);
  switch (s.behaviour) {
    case Stand:
      s.pitch = draw.normal() * 2 * kDeg;
      s.roll = draw.normal() * 2 * kDeg;
      s.frequency = draw.uniform(0.2, 0.4);
      break;
    case Sit:
      s.pitch = -draw.uniform(22, 42) * kDeg;  // trunk raised at the front
      s.roll = draw.normal() * 3 * kDeg;
      s.frequency = draw.uniform(0.2, 0.4);
      break;
    case LieDown:
      if (draw.uniform() < 0.55) {  // sphinx: chest down, head up; overlaps a slouched sit
        s.pitch = -draw.uniform(12, 26) * kDeg;
        s.roll = draw.normal() * 4 * kDeg;
      } else {  // on its side
        s.pitch = draw.normal() * 3 * kDeg;
        s.roll = draw.sign() * draw.uniform(65, 85) * kDeg;
      }
      s.frequency = draw.uniform(0.2, 0.35);
      break;
    case Walk:
    case Trot:
      s.speed =
          s.behaviour == Walk ? draw.uniform(0, kWalkMaxSpeed) : draw.uniform(kTrotMinSpeed, 1);
      s.frequency = strideFrequency(s.speed, draw);
      s.yawRate = draw.uniform(-0.15, 0.15);
      break;
    case Gallop:
      s.frequency = draw.uniform(3.0, 4.0);
      s.yawRate = draw.uniform(-0.05, 0.05);
      break;
    case TurnLeft:
    case TurnRight: {
      const double side = s.behaviour == TurnLeft ? 1 : -1;
      s.speed = draw.uniform(0.05, 0.5);
      s.frequency = strideFrequency(s.speed, draw);
      s.yawRate = side * draw.uniform(0.3, 1.1);  // 17-63 deg/s, under a wobble of up to 0.6
      s.yawWobble = draw.uniform(0.2, 0.6);
      s.wobbleFrequency = draw.uniform(0.6, 1.2);
      s.roll = -side * draw.uniform(-1, 3) * kDeg;  // leaning in, mostly
      s.amplitude *= 0.85;
      break;
    }
    case Jump:
      s.amplitude = draw.uniform(0.9, 1.2);
      break;
    case Shake:
      s.frequency = draw.uniform(4.0, 6.0);
      s.amplitude = draw.uniform(0.5, 0.8);  // roll amplitude, rad
      break;
  }
}

Behaviour nextBehaviour(Behaviour current, Draw& draw) {
  double total = 0;
  for (double weight : kTransitions[current]) total += weight;
  double pick = draw.uniform() * total;
  int next = 0;
  for (; next < 9; ++next) {
    pick -= kTransitions[current][next];
    if (pick < 0) break;
  }
  return static_cast<Behaviour>(next);
}

// Blends centred on each change point, and the labeller's edges: late more often than early.
void blendAndLabel(Schedule& schedule, std::uint64_t seed) {
  Draw draw(seed ^ 0x1ABE11EDull);
  auto& segments = schedule.segments;
  std::vector<double> edges{0.0};
  for (std::size_t k = 1; k < segments.size(); ++k) {
    const double shorter =
        std::min(segments[k - 1].end - segments[k - 1].start, segments[k].end - segments[k].start);
    segments[k].blendIn = std::min(draw.uniform(kMinBlendSeconds, kMaxBlendSeconds), 0.5 * shorter);
    const double jitter =
        std::clamp(0.05 + 0.15 * draw.normal(), -kMaxLabelJitterSeconds, kMaxLabelJitterSeconds);
    edges.push_back(segments[k].start + std::clamp(jitter, -0.25 * shorter, 0.25 * shorter));
  }
  edges.push_back(segments.back().end);
  const auto& classes = generatorClasses();
  for (std::size_t k = 0; k < segments.size(); ++k)
    schedule.labels.push_back(
        {edges[k], edges[k + 1], classes[static_cast<std::size_t>(segments[k].behaviour)]});
}

}  // namespace

double Segment::yawAt(double t) const {
  const double local = t - start;
  double yaw = heading0 + yawRate * local;
  if (yawWobble > 0) {
    const double w = 2 * kPi * wobbleFrequency;
    yaw += yawWobble / w * (std::cos(phase) - std::cos(w * local + phase));
  }
  return yaw;
}

Schedule buildSchedule(std::uint64_t seed, double duration) {
  Draw draw(seed);
  Schedule schedule;
  auto current = static_cast<int>(draw.uniform() * 4) == 3 ? Walk : Stand;
  double t = 0, heading = draw.uniform(-kPi, kPi);
  while (t < duration) {
    Segment s;
    s.behaviour = current;
    s.start = t;
    s.end = std::min(duration,
                     t + draw.uniform(kDurationRange[current][0], kDurationRange[current][1]));
    s.heading0 = heading;
    drawParameters(s, draw);
    heading = std::remainder(s.yawAt(s.end), 2 * kPi);
    schedule.segments.push_back(s);
    t = s.end;
    current = nextBehaviour(current, draw);
  }
  blendAndLabel(schedule, seed);
  return schedule;
}

}  // namespace imuwb::generator
