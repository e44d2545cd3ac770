#include "session/generate/DeviceMount.hpp"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>

#include "session/generate/BodyMotion.hpp"
#include "session/generate/GeneratorRandom.hpp"

namespace imuwb::generator {
namespace {

std::uint64_t nameHash(const std::string& name) {  // FNV-1a: the same on every platform
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : name) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

struct SlipStyle {
  double meanInterval;        // s between events
  double minAngle, maxAngle;  // deg per slip
  bool aroundNeck;            // collar: turns about the neck (body x); else tilts in x-y
};

SlipStyle slipStyle(const std::string& name) {
  if (name == "collar") return {300, 10, 45, true};
  if (name == "harness") return {900, 5, 15, false};
  return {600, 10, 40, false};
}

Eigen::Vector3d slipAxis(const SlipStyle& style, Draw& draw) {
  if (style.aroundNeck)
    return Eigen::Vector3d(1, 0.2 * draw.normal(), 0.2 * draw.normal()).normalized();
  const double a = draw.uniform(-kPi, kPi);
  return {std::cos(a), std::sin(a), 0};
}

void addEvents(DeviceModel& model, const SlipStyle& style, Draw& draw, double duration) {
  Eigen::Matrix3d current = model.nominal;
  bool slipped = false;
  double t = 5 + draw.exponential(style.meanInterval);
  while (t < duration - 5) {
    MountEvent e;
    e.kind = slipped && draw.uniform() < 0.5 ? "reseat" : "slip";
    const bool knock = draw.uniform() < (e.kind == "slip" ? 0.6 : 0.8);
    e.start = t;
    e.end = t + (knock ? draw.uniform(0.05, 0.12) : draw.uniform(0.3, 0.8));
    e.before = current;
    if (e.kind == "slip") {
      e.axis = slipAxis(style, draw);
      e.angle = draw.sign() * draw.uniform(style.minAngle, style.maxAngle) * kDeg;
      e.after = Eigen::AngleAxisd(e.angle, e.axis).toRotationMatrix() * current;
    } else {  // back where it was fitted, give or take two degrees
      const Eigen::Vector3d residual(draw.normal(), draw.normal(), draw.normal());
      e.after = Eigen::AngleAxisd(2 * kDeg * draw.uniform(), residual.normalized()) * model.nominal;
      const Eigen::AngleAxisd delta(e.after * current.transpose());
      e.axis = delta.axis();
      e.angle = delta.angle();
    }
    if (knock) {
      const Eigen::Vector3d direction(draw.normal(), draw.normal(), draw.normal());
      e.knock = direction.normalized() * draw.uniform(15, 40);
    }
    e.afterTransposed = e.after.transpose();
    current = e.after;
    slipped = e.kind == "slip";
    model.events.push_back(e);
    t = e.end + 5 + draw.exponential(style.meanInterval);
  }
}

}  // namespace

DeviceModel buildDevice(const std::string& name, std::uint64_t seed, double duration) {
  Draw draw(seed * 1000003u + nameHash(name) % 1000003u);
  double scale = 1;
  DeviceModel model;
  if (name == "collar") {
    // Under the chin, upside down and rotated: x down the neck, z towards the ground.
    model.nominal = bodyRotation(90 * kDeg, 20 * kDeg, 180 * kDeg);
    scale = 1.4;  // a collar moves more and is noisier than a harness
  } else if (name == "harness") {
    model.nominal = bodyRotation(180 * kDeg, -8 * kDeg, 0);
  } else {
    model.nominal =
        bodyRotation(draw.uniform(-kPi, kPi), draw.uniform(-0.5, 0.5), draw.uniform(-kPi, kPi));
  }
  model.nominalTransposed = model.nominal.transpose();
  model.accBias = Eigen::Vector3d(draw.normal(), draw.normal(), draw.normal()) * 0.05;
  model.gyroBias = Eigen::Vector3d(draw.normal(), draw.normal(), draw.normal()) * 0.008;
  model.magBias = Eigen::Vector3d(draw.normal(), draw.normal(), draw.normal()) * 1.5;
  model.accNoise = 0.04 * scale;
  model.gyroNoise = 0.008 * scale;
  model.magNoise = 0.4 * scale;
  Draw events(seed ^ (nameHash(name) * 0x9E3779B97F4A7C15ull) ^ 0x511Bull);
  addEvents(model, slipStyle(name), events, duration);
  return model;
}

std::size_t firstEventNotEnded(const DeviceModel& model, double t) {
  return static_cast<std::size_t>(
      std::upper_bound(model.events.begin(), model.events.end(), t,
                       [](double time, const MountEvent& e) { return time < e.end; }) -
      model.events.begin());
}

void mountAt(const DeviceModel& model, std::size_t& cursor, double t, MountAt& out) {
  while (cursor < model.events.size() && t >= model.events[cursor].end) ++cursor;
  if (cursor == model.events.size() || t < model.events[cursor].start) {
    out.toSensor =
        cursor == 0 ? &model.nominalTransposed : &model.events[cursor - 1].afterTransposed;
    out.extraOmegaBody.setZero();
    out.extraForceSensor.setZero();
    return;
  }
  const MountEvent& e = model.events[cursor];
  const double length = e.end - e.start;
  const double u = (t - e.start) / length;
  out.moving = (Eigen::AngleAxisd(e.angle * smoothstep(u), e.axis) * e.before).transpose();
  out.toSensor = &out.moving;
  out.extraOmegaBody = e.axis * (e.angle * smoothstepSlope(u) / length);
  out.extraForceSensor = e.knock * std::sin(kPi * u);
}

}  // namespace imuwb::generator
