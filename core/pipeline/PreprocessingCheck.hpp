#pragma once
// Does this recording match what the model was trained on? Per-channel statistics of the raw
// session against the manifest's mean/std: unit mismatches (deg/s vs rad/s = 57.3x, g vs m/s^2
// = 9.81x, mG vs uT = 10x), gravity on the wrong axis or with the wrong sign, missing (all-zero
// or constant) channels, data that is already z-scored (normalization would happen twice), and
// the fraction of normalized samples that would clip at the device's input range.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "model/Manifest.hpp"
#include "pipeline/SampleSource.hpp"

namespace imuwb {

struct ChannelStats {
  std::size_t count = 0;  // finite samples
  std::size_t nonFinite = 0;
  double mean = 0, std = 0, min = 0, max = 0;
  double clippedFraction = 0;  // of normalized values outside the clip range
};

// Raw statistics of one device, contract channel order.
struct DeviceStats {
  std::string device;
  std::array<ChannelStats, kChannelCount> channels;  // the first channelCount are filled
  int channelCount = kChannelCount;                  // 9, or 6 without a magnetometer
  double accNormMean = 0;                            // mean |(ax, ay, az)| per row
  double magNormMean = 0;                            // mean |(mx, my, mz)| per row
  std::size_t rows = 0;
};

struct PreprocessingOptions {
  std::vector<std::string> devices;  // empty = the manifest's / first session device
  bool shareDevice = false;          // a device may feed several H indices (--share-device)
  std::size_t maxRows = 720000;      // rows read per device (2 h at 100 Hz); 0 = all
  // Normalized range outside which a sample counts as clipped: manifest.inputRange when set,
  // else [-clipSigma, +clipSigma].
  double clipSigma = 4.0;
};

// Streams statistics of rows [0, rows) of one device. clip range as in the options.
DeviceStats collectDeviceStats(const Manifest& manifest, const SampleSource& source,
                               int deviceIndex, const PreprocessingOptions& options,
                               const JobControl& control = {});
// The same from rows in memory ([count, channels] contract order; 6 channels: no magnetometer).
DeviceStats collectDeviceStats(const Manifest& manifest, const float* rows, std::size_t count,
                               const std::string& device, const PreprocessingOptions& options,
                               int channels = kChannelCount);

// The findings for one device's statistics against the manifest.
std::vector<Finding> comparePreprocessing(const Manifest& manifest, const DeviceStats& stats,
                                          const PreprocessingOptions& options);

// Everything: statistics of each model device in the session, then the comparison.
std::vector<Finding> checkPreprocessing(const Manifest& manifest, const SampleSource& source,
                                        const PreprocessingOptions& options,
                                        std::vector<DeviceStats>* statsOut = nullptr,
                                        const JobControl& control = {});

}  // namespace imuwb
