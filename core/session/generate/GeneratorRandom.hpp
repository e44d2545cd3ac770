#pragma once
// The generator's random numbers: platform-independent (no <random> distributions), so the same
// seed gives the same bytes everywhere. `Draw` is sequential (schedules, devices, events);
// `hashNormal` is counter-based, so a sample's noise depends only on its coordinates.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace imuwb::generator {

inline constexpr double kPi = std::numbers::pi;
inline constexpr double kDeg = kPi / 180.0;

// splitmix64.
inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : state_(mix(seed ^ 0xD06B0DE5ull)) {}
  double uniform() { return static_cast<double>(mix(state_++) >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  double normal() {
    const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * kPi * u2);
  }
  double exponential(double mean) { return -mean * std::log(std::max(1.0 - uniform(), 1e-300)); }
  double sign() { return uniform() < 0.5 ? -1.0 : 1.0; }

 private:
  std::uint64_t state_;
};

// Approximately standard normal from one 64-bit hash: Irwin-Hall sum of four 16-bit uniforms.
inline float hashNormal(std::uint64_t key) {
  const std::uint64_t h = mix(key);
  const double sum = static_cast<double>(h & 0xFFFF) + static_cast<double>((h >> 16) & 0xFFFF) +
                     static_cast<double>((h >> 32) & 0xFFFF) + static_cast<double>(h >> 48);
  return static_cast<float>((sum / 65535.0 - 2.0) * std::sqrt(3.0));
}

inline double smoothstep(double u) {
  return u <= 0 ? 0 : u >= 1 ? 1 : u * u * (3 - 2 * u);
}
inline double smoothstepSlope(double u) {
  return u <= 0 || u >= 1 ? 0 : 6 * u * (1 - u);
}

}  // namespace imuwb::generator
