#pragma once
// A generated device: its mount on the dog, bias and noise, and its slip and re-seating events.
// A collar turns around the neck now and then, a harness shifts less often and by less; a hand
// puts either back (re-seating). The mount rotates over the event (a few tens of ms with a
// knock: an acceleration and gyro spike; a few hundred ms when it slides quietly), so gyro and
// accelerometer stay consistent with the new orientation.
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

namespace imuwb::generator {

struct MountEvent {
  std::string kind;  // "slip" or "reseat"
  double start = 0, end = 0;
  Eigen::Vector3d axis = Eigen::Vector3d::UnitX();  // body frame
  double angle = 0;                                 // rad, rotation from before to after
  Eigen::Matrix3d before, after;                    // sensor axes in the body frame
  Eigen::Matrix3d afterTransposed;                  // body -> sensor once the event is over
  Eigen::Vector3d knock = Eigen::Vector3d::Zero();  // peak extra specific force, sensor frame
};

struct DeviceModel {
  Eigen::Matrix3d nominal;            // sensor axes in the body frame, as fitted
  Eigen::Matrix3d nominalTransposed;  // body -> sensor
  Eigen::Vector3d accBias, gyroBias, magBias;
  double accNoise = 0, gyroNoise = 0, magNoise = 0;
  std::vector<MountEvent> events;  // in time order, not overlapping
};

DeviceModel buildDevice(const std::string& name, std::uint64_t seed, double durationSeconds);

// The mount at time t and what the event adds: angular velocity of the device against the body
// (body frame) and a knock (sensor frame). `cursor` is the index of the first event that has not
// ended by t; callers keep it between calls for increasing t.
struct MountAt {
  const Eigen::Matrix3d* toSensor = nullptr;  // steady: points into the model
  Eigen::Matrix3d moving;                     // during an event
  Eigen::Vector3d extraOmegaBody = Eigen::Vector3d::Zero();
  Eigen::Vector3d extraForceSensor = Eigen::Vector3d::Zero();
};
std::size_t firstEventNotEnded(const DeviceModel& model, double t);
void mountAt(const DeviceModel& model, std::size_t& cursor, double t, MountAt& out);

}  // namespace imuwb::generator
