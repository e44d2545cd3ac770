#include "session/generate/BodyMotion.hpp"

#include <Eigen/Geometry>
#include <cmath>

#include "session/Session.hpp"
#include "session/generate/GeneratorRandom.hpp"

namespace imuwb::generator {
namespace {

void restState(const Segment& s, double local, BodyState& b) {
  // Breathing / postural sway: tiny and slow.
  const double omega = 2 * kPi * s.frequency;
  const double sway = 0.004 * s.amplitude;
  b.pitch += sway * std::sin(omega * local + s.phase);
  b.pitchRate += sway * omega * std::cos(omega * local + s.phase);
  b.linearVertical = 0.05 * s.amplitude * std::sin(omega * local + s.phase);
}

// Walk, trot and turns share one stride law over speed (so walk and trot meet in the middle);
// gallop has its own, larger bound.
void gaitState(const Segment& s, double local, BodyState& b) {
  const double omega = 2 * kPi * s.frequency;
  const double p = omega * local + s.phase;
  const bool gallop = s.behaviour == Gallop;
  const double v = s.speed;
  const double vertical = gallop ? 8.5 : 1.3 + 3.3 * v;
  const double forward = gallop ? 4.0 : 0.5 + 1.2 * v;
  const double lateral = gallop ? 1.0 : 0.75 - 0.35 * v;
  const double harmonic = gallop ? 0.2 : 0.3 - 0.2 * v;
  const double pitchSwing = (gallop ? 8 : 1.8 + 1.5 * v) * kDeg;
  const double rollSwing = 3 * kDeg;
  const double a = s.amplitude;
  b.linearVertical = a * vertical * (std::sin(p) + harmonic * std::sin(2 * p + 0.7));
  b.linearHorizontal = {a * forward * std::cos(p), a * lateral * std::sin(0.5 * p), 0};
  b.pitch += a * pitchSwing * std::sin(p + 0.4);
  b.pitchRate += a * pitchSwing * omega * std::cos(p + 0.4);
  b.roll += a * rollSwing * std::sin(0.5 * p);
  b.rollRate += a * rollSwing * 0.5 * omega * std::cos(0.5 * p);
  const double yawSwing = 2 * kDeg;
  b.yaw += yawSwing * std::sin(0.5 * p + 1.1);
  b.yawRate += yawSwing * 0.5 * omega * std::cos(0.5 * p + 1.1);
}

void shakeState(const Segment& s, double local, BodyState& b) {
  // A 4-6 Hz roll burst under a half-sine envelope (zero outside the segment).
  const double duration = s.end - s.start;
  if (local < 0 || local > duration) return;
  const double omega = 2 * kPi * s.frequency;
  const double envelope = std::sin(kPi * local / duration);
  const double envelopeSlope = kPi / duration * std::cos(kPi * local / duration);
  const double p = omega * local;
  b.roll += s.amplitude * envelope * std::sin(p);
  b.rollRate += s.amplitude * (envelopeSlope * std::sin(p) + envelope * omega * std::cos(p));
  b.linearHorizontal = {0, 20.0 * s.amplitude * envelope * std::sin(p), 0};
}

void jumpState(const Segment& s, double local, BodyState& b) {
  // Take-off push, free fall (specific force ~0), landing impact, settle.
  const double duration = s.end - s.start;
  const double x = local / duration;
  if (x < 0 || x > 1) return;
  if (x < 0.25)
    b.linearVertical = s.amplitude * 12.0 * std::sin(kPi * x / 0.25);
  else if (x < 0.6)
    b.linearVertical = -kStandardGravity;
  else if (x < 0.8)
    b.linearVertical = s.amplitude * 25.0 * std::sin(kPi * (x - 0.6) / 0.2);
  b.linearHorizontal = {x < 0.6 ? 3.0 * std::sin(kPi * x / 0.6) : 0.0, 0, 0};
  b.pitch += -0.3 * std::sin(2 * kPi * x);
  b.pitchRate += -0.3 * 2 * kPi / duration * std::cos(2 * kPi * x);
}

// a -> b with weight w (dw/dt = dw): angles along the short way, rates with the weight's slope.
BodyState mix(const BodyState& a, const BodyState& b, double w, double dw) {
  BodyState m;
  const double dYaw = std::remainder(b.yaw - a.yaw, 2 * kPi);
  m.yaw = a.yaw + w * dYaw;
  m.pitch = a.pitch + w * (b.pitch - a.pitch);
  m.roll = a.roll + w * (b.roll - a.roll);
  m.yawRate = a.yawRate + w * (b.yawRate - a.yawRate) + dw * dYaw;
  m.pitchRate = a.pitchRate + w * (b.pitchRate - a.pitchRate) + dw * (b.pitch - a.pitch);
  m.rollRate = a.rollRate + w * (b.rollRate - a.rollRate) + dw * (b.roll - a.roll);
  m.linearHorizontal = a.linearHorizontal + w * (b.linearHorizontal - a.linearHorizontal);
  m.linearVertical = a.linearVertical + w * (b.linearVertical - a.linearVertical);
  return m;
}

}  // namespace

BodyState segmentState(const Segment& s, double t) {
  BodyState b;
  const double local = t - s.start;
  b.pitch = s.pitch;
  b.roll = s.roll;
  b.yaw = s.yawAt(t);
  b.yawRate = s.yawRate;
  if (s.yawWobble > 0)
    b.yawRate += s.yawWobble * std::sin(2 * kPi * s.wobbleFrequency * local + s.phase);
  switch (s.behaviour) {
    case Stand:
    case Sit:
    case LieDown:
      restState(s, local, b);
      break;
    case Walk:
    case Trot:
    case Gallop:
    case TurnLeft:
    case TurnRight:
      gaitState(s, local, b);
      break;
    case Shake:
      shakeState(s, local, b);
      break;
    case Jump:
      jumpState(s, local, b);
      break;
  }
  return b;
}

BodyState bodyStateAt(const std::vector<Segment>& segments, std::size_t k, double t) {
  const Segment& s = segments[k];
  std::size_t from = k;  // blend from segments[from - 1] to segments[from]
  if (k > 0 && t - s.start < 0.5 * s.blendIn)
    from = k;
  else if (k + 1 < segments.size() && s.end - t < 0.5 * segments[k + 1].blendIn)
    from = k + 1;
  else
    return segmentState(s, t);
  const Segment& before = segments[from - 1];
  const Segment& after = segments[from];
  const double u = (t - after.start) / after.blendIn + 0.5;
  const double w = smoothstep(u), dw = smoothstepSlope(u) / after.blendIn;
  return mix(segmentState(before, t), segmentState(after, t), w, dw);
}

Eigen::Matrix3d bodyRotation(double yaw, double pitch, double roll) {
  return (Eigen::AngleAxisd(yaw, Eigen::Vector3d::UnitZ()) *
          Eigen::AngleAxisd(pitch, Eigen::Vector3d::UnitY()) *
          Eigen::AngleAxisd(roll, Eigen::Vector3d::UnitX()))
      .toRotationMatrix();
}

}  // namespace imuwb::generator
