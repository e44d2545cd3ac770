#include "pipeline/PreprocessingCheck.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>

#include "common/Error.hpp"
#include "pipeline/WindowFeed.hpp"

namespace imuwb {
namespace {

constexpr double kRadPerDeg = 3.14159265358979323846 / 180.0;  // 1 / 57.2958

struct Accumulator {
  const Manifest& manifest;
  std::array<double, kChannelCount> lo{}, hi{}, mean{}, std{};  // per contract channel
  std::array<double, kChannelCount> sum{}, sumSquares{}, minimum{}, maximum{};
  std::array<std::size_t, kChannelCount> count{}, nonFinite{}, clipped{};
  double accNormSum = 0, magNormSum = 0;
  std::size_t normRows = 0, rows = 0;
  int width = kChannelCount;  // the device's channels: 9, or 6 without a magnetometer

  Accumulator(const Manifest& m, const PreprocessingOptions& options, int channels)
      : manifest(m), width(channels) {
    std.fill(1.0);  // channels the model does not take (mx my mz of a 6-channel model)
    const auto index = contractIndexOfModelChannels(m);
    for (int model = 0; model < m.input.channelCount(); ++model) {
      const int c = index[model];
      mean[c] = m.normalization.present ? m.normalization.mean[model] : 0.0;
      std[c] = m.normalization.present ? m.normalization.std[model] : 1.0;
    }
    for (int c = 0; c < kChannelCount; ++c) {
      lo[c] = m.inputRange ? (*m.inputRange)[0] : -options.clipSigma;
      hi[c] = m.inputRange ? (*m.inputRange)[1] : options.clipSigma;
      minimum[c] = std::numeric_limits<double>::infinity();
      maximum[c] = -std::numeric_limits<double>::infinity();
    }
  }

  void add(const float* data, std::size_t n) {
    for (std::size_t r = 0; r < n; ++r) {
      const float* row = data + r * width;
      bool finite = true;
      for (int c = 0; c < width; ++c) {
        const double value = row[c];
        if (!std::isfinite(value)) {
          ++nonFinite[c];
          finite = false;
          continue;
        }
        ++count[c];
        sum[c] += value;
        sumSquares[c] += value * value;
        minimum[c] = std::min(minimum[c], value);
        maximum[c] = std::max(maximum[c], value);
        const double z = (value - mean[c]) / std[c];
        if (z < lo[c] || z > hi[c]) ++clipped[c];
      }
      if (finite) {
        accNormSum +=
            std::sqrt(double(row[0]) * row[0] + double(row[1]) * row[1] + double(row[2]) * row[2]);
        if (width == kChannelCount)
          magNormSum += std::sqrt(double(row[6]) * row[6] + double(row[7]) * row[7] +
                                  double(row[8]) * row[8]);
        ++normRows;
      }
    }
    rows += n;
  }

  DeviceStats result(const std::string& device) const {
    DeviceStats stats;
    stats.device = device;
    stats.rows = rows;
    stats.channelCount = width;
    for (int c = 0; c < width; ++c) {
      auto& out = stats.channels[c];
      out.count = count[c];
      out.nonFinite = nonFinite[c];
      if (count[c] == 0) continue;
      out.mean = sum[c] / count[c];
      out.std = std::sqrt(std::max(0.0, sumSquares[c] / count[c] - out.mean * out.mean));
      out.min = minimum[c];
      out.max = maximum[c];
      out.clippedFraction = static_cast<double>(clipped[c]) / count[c];
    }
    stats.accNormMean = normRows ? accNormSum / normRows : 0;
    stats.magNormMean = normRows ? magNormSum / normRows : 0;
    return stats;
  }
};

std::string format(const char* pattern, auto... values) {
  char text[512];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

double median3(double a, double b, double c) {
  return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

// One device's statistics against the manifest: each family of checks is one step, sharing
// the training statistics in contract order and which channels are missing.
struct Comparison {
  const Manifest& manifest;
  const DeviceStats& stats;
  const PreprocessingOptions& options;
  const std::array<ChannelStats, kChannelCount>& ch = stats.channels;
  std::array<double, kChannelCount> trainMean{}, trainStd{};
  std::array<bool, kChannelCount> missing{};
  std::vector<Finding> findings;

  // The channels both the device holds and the model takes: 6 when either lacks mx my mz.
  int used() const { return std::min(stats.channelCount, manifest.input.channelCount()); }

  void add(Severity severity, std::string code, int channel, std::string message, std::string fix) {
    Finding finding;
    finding.severity = severity;
    finding.code = std::move(code);
    finding.device = stats.device;
    finding.channel = channel;
    finding.subject = channel >= 0 ? std::string(kChannelNames[channel]) : std::string();
    finding.message = std::move(message);
    finding.fix = std::move(fix);
    findings.push_back(std::move(finding));
  }

  void checkMissingChannels() {
    // Missing channels: all zeros, or constant. A 6-axis device has no mx my mz to miss.
    for (int c = 0; c < used(); ++c) {
      if (ch[c].count == 0) {
        missing[c] = true;
        add(Severity::Error, "channel_missing", c,
            format("%s on '%s' has no finite samples", std::string(kChannelNames[c]).c_str(),
                   stats.device.c_str()),
            "check the export: the axis is missing or all NaN");
      } else if (ch[c].min == 0 && ch[c].max == 0) {
        missing[c] = true;
        add(Severity::Error, "channel_missing", c,
            format("%s on '%s' is all zeros: the axis looks missing",
                   std::string(kChannelNames[c]).c_str(), stats.device.c_str()),
            "check the channel mapping: a sensor axis was not recorded or mapped");
      } else if (ch[c].std == 0) {
        missing[c] = true;
        add(Severity::Warning, "channel_constant", c,
            format("%s on '%s' is constant (%g)", std::string(kChannelNames[c]).c_str(),
                   stats.device.c_str(), ch[c].mean),
            "check the sensor: a stuck axis carries no information");
      }
    }
  }

  // True when the data already looks z-scored (the other checks then mean nothing).
  bool checkAlreadyNormalized() {
    // Already z-scored: every channel near mean 0, std 1 (raw IMU data never is: gravity, field).
    bool normalized = true;
    for (int c = 0; c < used(); ++c)
      normalized &=
          !missing[c] && std::abs(ch[c].mean) < 0.25 && ch[c].std > 0.3 && ch[c].std < 1.6;
    if (normalized) {
      const bool host = manifest.normalization.appliedBy == NormalizationBy::Host;
      add(host ? Severity::Error : Severity::Warning, "double_normalization", -1,
          format(
              "'%s' already looks z-scored (all channels mean ~0, std ~1; |a| averages %.2f, not "
              "~9.81)",
              stats.device.c_str(), stats.accNormMean),
          host ? "feed raw sensor values: the host normalizes once (applied_by host), so this data "
                 "would be "
                 "normalized twice"
               : "feed raw sensor values: the model normalizes once (applied_by model)");
      return true;
    }
    return false;
  }

  void checkAccelerometer() {
    // Accelerometer units: gravity is ~9.81 m/s^2 (or ~1 g).
    double trainGravity = std::sqrt(trainMean[0] * trainMean[0] + trainMean[1] * trainMean[1] +
                                    trainMean[2] * trainMean[2]);
    if (stats.accNormMean > 0.4 && stats.accNormMean < 2.5) {
      add(Severity::Error, "unit_acc_g", 0,
          format("accelerometer on '%s' averages |a| = %.2f: that is g, not m/s^2 (factor 9.81)",
                 stats.device.c_str(), stats.accNormMean),
          "multiply acc by 9.80665 (import with --units acc=g)");
    } else if (stats.accNormMean > 400 && stats.accNormMean < 2500) {
      add(Severity::Error, "unit_acc_mg", 0,
          format("accelerometer on '%s' averages |a| = %.0f: that is mg, not m/s^2",
                 stats.device.c_str(), stats.accNormMean),
          "multiply acc by 0.00980665 (import with --units acc=mg)");
    } else if (stats.accNormMean >= 5 && stats.accNormMean <= 20) {
      // Gravity axis: where training had it (when training's mean shows one) vs here.
      if (trainGravity > 5) {
        int trainAxis = 0, axis = 0;
        for (int c = 1; c < 3; ++c) {
          if (std::abs(trainMean[c]) > std::abs(trainMean[trainAxis])) trainAxis = c;
          if (std::abs(ch[c].mean) > std::abs(ch[axis].mean)) axis = c;
        }
        if (std::abs(ch[axis].mean) > 0.5 * stats.accNormMean) {
          if (axis != trainAxis)
            add(Severity::Error, "gravity_axis", axis,
                format(
                    "gravity on '%s' is on %s (mean %.2f) but training had it on %s (mean %.2f): "
                    "axes "
                    "swapped or the device is mounted differently",
                    stats.device.c_str(), std::string(kChannelNames[axis]).c_str(), ch[axis].mean,
                    std::string(kChannelNames[trainAxis]).c_str(), trainMean[trainAxis]),
                "remap the axes to the training orientation before inference");
          else if ((ch[axis].mean > 0) != (trainMean[axis] > 0))
            add(Severity::Warning, "gravity_sign", axis,
                format("gravity on '%s' points the other way on %s (mean %.2f, training %.2f): the "
                       "device "
                       "is upside down or the axis is inverted",
                       stats.device.c_str(), std::string(kChannelNames[axis]).c_str(),
                       ch[axis].mean, trainMean[axis]),
                "flip the axis sign (and its partner axis) to match training");
        }
      }
    } else if (!missing[0] && !missing[1] && !missing[2]) {
      add(Severity::Warning, "unit_acc_unknown", 0,
          format("accelerometer on '%s' averages |a| = %.3g, far from gravity (9.81 m/s^2)",
                 stats.device.c_str(), stats.accNormMean),
          "check the accelerometer unit and scaling");
    }
  }

  void checkGyroscope() {
    // Gyroscope units: deg/s values are 57.3x rad/s.
    if (!missing[3] && !missing[4] && !missing[5]) {
      double peak = 0;
      for (int c = 3; c < 6; ++c) peak = std::max({peak, std::abs(ch[c].min), std::abs(ch[c].max)});
      const double ratio =
          median3(ch[3].std / trainStd[3], ch[4].std / trainStd[4], ch[5].std / trainStd[5]);
      const double convertedRatio = ratio * kRadPerDeg;
      if (peak > 35.0) {
        add(Severity::Error, "unit_gyro_degrees", 3,
            format("gyro on '%s' reaches %.1f, beyond any gyro's full scale in rad/s (2000 deg/s = "
                   "34.9 rad/s): "
                   "the gyro is in deg/s (factor 57.3)",
                   stats.device.c_str(), peak),
            "multiply gyro by pi/180 (import with --units gyro=deg/s)");
      } else if (ratio > 5.0 && convertedRatio > 0.05 && convertedRatio < 2.0) {
        add(Severity::Error, "unit_gyro_degrees", 3,
            format("gyro on '%s' varies %.1fx more than in training (std %.3g vs %.3g rad/s); read "
                   "as deg/s it "
                   "would be %.2fx: the gyro looks like deg/s (factor 57.3)",
                   stats.device.c_str(), ratio, median3(ch[3].std, ch[4].std, ch[5].std),
                   median3(trainStd[3], trainStd[4], trainStd[5]), convertedRatio),
            "multiply gyro by pi/180 (import with --units gyro=deg/s)");
      } else if (ratio > 5.0) {
        add(Severity::Warning, "gyro_scale", 3,
            format("gyro on '%s' varies %.1fx more than in training", stats.device.c_str(), ratio),
            "check the gyro unit and the activity mix against the training data");
      }
    }
  }

  void checkMagnetometer() {
    if (used() < kChannelCount) return;  // no magnetometer on the device, or in the model
    // Magnetometer units: mG is 10x uT. Field strength as RMS magnitude sqrt(sum(mean^2 + std^2)),
    // which stays right when training pooled devices whose mean field vectors cancel out.
    auto rms = [](auto meanOf, auto stdOf) {
      double sum = 0;
      for (int c = 6; c < 9; ++c) sum += meanOf(c) * meanOf(c) + stdOf(c) * stdOf(c);
      return std::sqrt(sum);
    };
    const double trainField =
        rms([&](int c) { return trainMean[c]; }, [&](int c) { return trainStd[c]; });
    const double field = rms([&](int c) { return ch[c].mean; }, [&](int c) { return ch[c].std; });
    if (!missing[6] && !missing[7] && !missing[8] && trainField > 5 && field > 0) {
      const double ratio = field / trainField;
      if (ratio > 5 && ratio < 20)
        add(Severity::Error, "unit_mag_milligauss", 6,
            format("magnetometer on '%s' has an RMS field of %.0f vs %.0f uT in training (%.1fx): "
                   "that is mG "
                   "(factor 10)",
                   stats.device.c_str(), field, trainField, ratio),
            "multiply mag by 0.1 (import with --units mag=mG)");
      else if (ratio > 0.005 && ratio < 0.02)
        add(Severity::Error, "unit_mag_gauss", 6,
            format("magnetometer on '%s' has an RMS field of %.3g vs %.0f uT in training: that is "
                   "gauss (factor 100)",
                   stats.device.c_str(), field, trainField),
            "multiply mag by 100 (import with --units mag=G)");
    }
  }

  void checkClipping() {
    // Clipping at the device input range.
    const double lo = manifest.inputRange ? (*manifest.inputRange)[0] : -options.clipSigma;
    const double hi = manifest.inputRange ? (*manifest.inputRange)[1] : options.clipSigma;
    double worst = 0;
    int worstChannel = 0;
    double total = 0;
    for (int c = 0; c < used(); ++c) {
      total += ch[c].clippedFraction / used();
      if (ch[c].clippedFraction > worst) worst = ch[c].clippedFraction, worstChannel = c;
    }
    const Severity clipSeverity = worst > 0.10   ? Severity::Error
                                  : worst > 0.01 ? Severity::Warning
                                                 : Severity::Info;
    add(clipSeverity, "clipping", worstChannel,
        format("%.2f%% of normalized samples on '%s' fall outside [%g, %g]%s; worst %s with %.2f%%",
               100 * total, stats.device.c_str(), lo, hi,
               manifest.inputRange ? " (the device input range)" : " sigma",
               std::string(kChannelNames[worstChannel]).c_str(), 100 * worst),
        clipSeverity == Severity::Info
            ? ""
            : "fix units/axes first; if the data is right, recalibrate the input range");
  }
};

}  // namespace

DeviceStats collectDeviceStats(const Manifest& manifest, const float* rows, std::size_t count,
                               const std::string& device, const PreprocessingOptions& options,
                               int channels) {
  Accumulator accumulator(manifest, options, channels);
  accumulator.add(rows, count);
  return accumulator.result(device);
}

DeviceStats collectDeviceStats(const Manifest& manifest, const SampleSource& source,
                               int deviceIndex, const PreprocessingOptions& options,
                               const JobControl& control) {
  const int channels = source.channelCount(static_cast<std::size_t>(deviceIndex));
  Accumulator accumulator(manifest, options, channels);
  std::size_t total = source.rowCount();
  if (options.maxRows) total = std::min(total, options.maxRows);
  constexpr std::size_t kBlock = 65536;
  std::vector<float> block;
  for (std::size_t first = 0; first < total; first += kBlock) {
    control.throwIfCancelled();
    const std::size_t n = std::min(kBlock, total - first);
    block.resize(n * static_cast<std::size_t>(channels));
    source.readRows(deviceIndex, first, n, block.data());
    accumulator.add(block.data(), n);
    control.report(static_cast<double>(first + n) / total, "statistics");
  }
  return accumulator.result(source.deviceNames().at(deviceIndex));
}

std::vector<Finding> comparePreprocessing(const Manifest& manifest, const DeviceStats& stats,
                                          const PreprocessingOptions& options) {
  Comparison comparison{manifest, stats, options};
  if (stats.rows == 0) {
    comparison.add(Severity::Error, "no_samples", -1,
                   "device '" + stats.device + "' has no samples", "record data first");
    return comparison.findings;
  }
  if (!manifest.normalization.present) {
    comparison.add(Severity::Error, "missing_normalization_contract", -1,
                   "the manifest has no mean/std: the recording cannot be compared with training",
                   "add normalization to the manifest (docs/manifest.md)");
    return comparison.findings;
  }
  // Training statistics in contract order.
  const auto index = contractIndexOfModelChannels(manifest);
  for (int model = 0; model < manifest.input.channelCount(); ++model) {
    comparison.trainMean[index[model]] = manifest.normalization.mean[model];
    comparison.trainStd[index[model]] = manifest.normalization.std[model];
  }
  comparison.checkMissingChannels();
  if (comparison.checkAlreadyNormalized()) return comparison.findings;
  comparison.checkAccelerometer();
  comparison.checkGyroscope();
  comparison.checkMagnetometer();
  comparison.checkClipping();
  return comparison.findings;
}

std::vector<Finding> checkPreprocessing(const Manifest& manifest, const SampleSource& source,
                                        const PreprocessingOptions& options,
                                        std::vector<DeviceStats>* statsOut,
                                        const JobControl& control) {
  std::vector<Finding> findings;
  auto devices =
      chooseDevices(manifest, source, options.devices, false, options.shareDevice).devices;
  // A shared device is one sensor: its statistics and findings once, not once per H index.
  for (auto it = devices.begin(); it != devices.end(); ++it)
    devices.erase(std::remove(std::next(it), devices.end(), *it), devices.end());
  for (const auto& device : devices) {
    const int index = source.deviceIndex(device);
    if (index < 0) throw Error(source.describe(), "no device '" + device + "' in the session");
    auto stats = collectDeviceStats(manifest, source, index, options, control);
    auto more = comparePreprocessing(manifest, stats, options);
    findings.insert(findings.end(), more.begin(), more.end());
    if (statsOut) statsOut->push_back(std::move(stats));
  }
  return findings;
}

}  // namespace imuwb
