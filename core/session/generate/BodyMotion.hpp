#pragma once
// The dog's body motion over the true timeline: posture (ZYX Euler angles), their rates and
// linear acceleration at any time, with neighbouring behaviours cross-faded over each blend.
#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "session/generate/BehaviourSchedule.hpp"

namespace imuwb::generator {

struct BodyState {
  double yaw = 0, pitch = 0, roll = 0;
  double yawRate = 0, pitchRate = 0, rollRate = 0;
  Eigen::Vector3d linearHorizontal = Eigen::Vector3d::Zero();  // forward, lateral, m/s^2
  double linearVertical = 0;                                   // world up, m/s^2
};

// One behaviour alone at time t (extrapolated outside its segment).
BodyState segmentState(const Segment& s, double t);

// The body at time t, segments[k] being the segment that holds t: within half a blend of a
// change point the two neighbours are mixed with a smoothstep weight (0.5 at the change point).
BodyState bodyStateAt(const std::vector<Segment>& segments, std::size_t k, double t);

Eigen::Matrix3d bodyRotation(double yaw, double pitch, double roll);

}  // namespace imuwb::generator
