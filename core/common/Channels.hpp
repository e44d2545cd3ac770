#pragma once
// The deployment contract's fixed channel order and SI units (contract.md, "Input windows").
#include <array>
#include <string_view>

namespace imuwb {

inline constexpr int kChannelCount = 9;
inline constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"};
// Contract units: m/s^2 for acc, rad/s for gyro, microtesla for mag.
inline constexpr std::array<std::string_view, kChannelCount> kChannelUnits = {
    "m/s^2", "m/s^2", "m/s^2", "rad/s", "rad/s", "rad/s", "uT", "uT", "uT"};
// A device without a magnetometer records the first six channels only (ax..gz); it has no
// mx my mz at all, rather than zeros or NaN that a model would take for a field reading.
inline constexpr int kSixAxisChannelCount = 6;
constexpr bool isDeviceChannelCount(long long channels) {
  return channels == kSixAxisChannelCount || channels == kChannelCount;
}
inline constexpr double kStandardGravity = 9.80665;
inline constexpr double kContractSampleRateHz = 100.0;
inline constexpr int kContractWindowLength = 100;

enum class SensorGroup { Accelerometer, Gyroscope, Magnetometer };
constexpr SensorGroup sensorGroupOf(int channel) {
  return channel < 3 ? SensorGroup::Accelerometer
                     : (channel < 6 ? SensorGroup::Gyroscope : SensorGroup::Magnetometer);
}

}  // namespace imuwb
