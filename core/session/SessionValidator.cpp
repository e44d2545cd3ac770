#include "session/SessionValidator.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "session/SampleStats.hpp"
#include "session/SessionReader.hpp"
#include "session/TextFormat.hpp"

namespace imuwb {

using session_stats::upperMedian;
using session_text::formatSignificant;

namespace {

// A run of identical values long enough to matter; judged at finish against the channel's
// final range (a run at the extreme = saturated, elsewhere = flat/stuck).
struct ConstantRun {
  float value;
  double start_s, end_s;
  std::size_t length;
};

struct ChannelState {
  float runValue = std::nanf("");
  std::size_t runLength = 0;
  double runStart_s = 0, lastTime_s = 0;
  float minimum = INFINITY, maximum = -INFINITY;
  std::vector<ConstantRun> runs;
};

struct DeviceState {
  std::string name;
  int channelCount = kChannelCount;  // 6: no magnetometer, so no field checks
  std::array<ChannelState, kChannelCount> channels;
  // Non-finite run tracking (any channel).
  bool inBadRun = false;
  double badStart_s = 0, badEnd_s = 0;
  std::size_t badRows = 0;
  int badChannel = -1;
  // 1-second windows for the at-rest gravity check.
  double sumNorm = 0, sumNormSq = 0, sumGyroSq = 0, sumMagNorm = 0;
  std::size_t windowRows = 0;
  std::vector<double> restGravity, restGyroRms, magNorms;
  std::size_t rows = 0;
};

// Not a fault: a 6-axis device is a valid recording, but models that take mx my mz cannot use
// it, and a user should learn that from validation rather than from a failed run.
Finding noMagnetometer(const std::string& device) {
  Finding finding;
  finding.severity = Severity::Info;
  finding.code = "no_magnetometer";
  finding.device = device;
  finding.subject = "mag";
  finding.message = "has no magnetometer: 6 channels, ax ay az gx gy gz";
  finding.fix = "run models that take 6 input channels; 9-channel models need mx my mz";
  return finding;
}

}  // namespace

struct StreamingValidator::Impl {
  std::vector<DeviceState> devices;
  double rate;
  ValidationOptions options;
  std::vector<Finding> findings;
  std::map<std::pair<std::string, std::string>, std::size_t> counts;  // (device, code) -> n
  // Time checks.
  bool haveTime = false;
  double previousTime = 0, firstTime = 0;
  std::size_t timeRows = 0;
  std::vector<double> steps;
  std::size_t stepCounter = 0;

  void add(Finding finding) {
    auto& count = counts[{finding.device, finding.code}];
    if (++count <= options.maxFindingsPerCode) findings.push_back(std::move(finding));
  }

  // Constant runs of each channel: at the channel's extreme (saturated) or long (flat).
  void reportConstantRuns(DeviceState& device, double period) {
    for (int c = 0; c < device.channelCount; ++c) {
      ChannelState& channel = device.channels[static_cast<std::size_t>(c)];
      closeRun(channel);
      const auto flatLength = static_cast<std::size_t>(options.flatSeconds * rate);
      for (const auto& run : channel.runs) {
        const bool atExtreme = channel.maximum > channel.minimum &&
                               (run.value == channel.maximum || run.value == channel.minimum);
        Finding finding;
        finding.device = device.name;
        finding.channel = c;
        finding.subject = std::string(kChannelNames[static_cast<std::size_t>(c)]);
        finding.start_s = run.start_s;
        finding.end_s = run.end_s + period;
        if (atExtreme) {
          finding.severity = Severity::Warning;
          finding.code = "saturated_channel";
          finding.message = finding.subject + " sits at its extreme " +
                            formatSignificant(run.value, 6) + " for " + std::to_string(run.length) +
                            " samples";
          finding.fix = "the sensor clipped; use a wider range setting or drop these windows";
        } else if (run.length >= flatLength) {
          finding.severity = Severity::Warning;
          finding.code = "flat_channel";
          finding.message = finding.subject + " repeats " + formatSignificant(run.value, 6) +
                            " for " + std::to_string(run.length) + " samples";
          finding.fix = "a stuck or disconnected sensor; check the recording, exclude the span";
        } else {
          continue;
        }
        add(std::move(finding));
      }
    }
  }

  void closeBadRun(DeviceState& device) {
    if (!device.inBadRun) return;
    device.inBadRun = false;
    Finding finding;
    finding.severity = Severity::Error;
    finding.code = "non_finite";
    finding.device = device.name;
    finding.channel = device.badChannel;
    finding.subject = std::string(kChannelNames[static_cast<std::size_t>(device.badChannel)]);
    finding.start_s = device.badStart_s;
    finding.end_s = device.badEnd_s;
    finding.message = std::to_string(device.badRows) + " row(s) with NaN/Inf (first in " +
                      finding.subject + ") from " + formatSignificant(device.badStart_s, 6) + " s";
    finding.fix =
        "drop or interpolate these rows before windowing; the sidecar rejects "
        "non-finite input with 422";
    add(std::move(finding));
  }

  void closeRun(ChannelState& channel) {
    const auto minimum = static_cast<std::size_t>(std::max(2.0, options.saturatedSeconds * rate));
    if (channel.runLength >= minimum && channel.runs.size() < 2000)
      channel.runs.push_back(
          {channel.runValue, channel.runStart_s, channel.lastTime_s, channel.runLength});
    channel.runLength = 0;
  }
};

StreamingValidator::StreamingValidator(std::vector<std::string> deviceNames, double sampleRateHz,
                                       ValidationOptions options, std::vector<int> deviceChannels)
    : impl_(std::make_unique<Impl>()) {
  for (std::size_t d = 0; d < deviceNames.size(); ++d) {
    DeviceState state;
    state.name = std::move(deviceNames[d]);
    if (d < deviceChannels.size()) state.channelCount = deviceChannels[d];
    impl_->devices.push_back(std::move(state));
  }
  impl_->rate = sampleRateHz > 0 ? sampleRateHz : kContractSampleRateHz;
  impl_->options = options;
}
StreamingValidator::~StreamingValidator() = default;
StreamingValidator::StreamingValidator(StreamingValidator&&) noexcept = default;

void StreamingValidator::addBlock(std::size_t deviceIndex, const float* rows, const double* time_s,
                                  std::size_t rowCount) {
  auto& impl = *impl_;
  DeviceState& device = impl.devices.at(deviceIndex);
  const auto windowLength = static_cast<std::size_t>(std::max(1.0, std::round(impl.rate)));
  for (std::size_t r = 0; r < rowCount; ++r) {
    const float* row = rows + r * device.channelCount;
    const double t = time_s[r];
    int firstBad = -1;
    for (int c = 0; c < device.channelCount; ++c) {
      const float value = row[c];
      ChannelState& channel = device.channels[static_cast<std::size_t>(c)];
      if (!std::isfinite(value)) {
        if (firstBad < 0) firstBad = c;
        impl.closeRun(channel);
        continue;
      }
      channel.minimum = std::min(channel.minimum, value);
      channel.maximum = std::max(channel.maximum, value);
      if (channel.runLength > 0 && value == channel.runValue) {
        ++channel.runLength;
      } else {
        impl.closeRun(channel);
        channel.runValue = value;
        channel.runLength = 1;
        channel.runStart_s = t;
      }
      channel.lastTime_s = t;
    }
    if (firstBad >= 0) {
      if (!device.inBadRun) {
        device.inBadRun = true;
        device.badStart_s = t;
        device.badRows = 0;
        device.badChannel = firstBad;
      }
      device.badEnd_s = t;
      ++device.badRows;
      continue;  // a bad row says nothing about gravity
    }
    impl.closeBadRun(device);
    const double norm =
        std::sqrt(double(row[0]) * row[0] + double(row[1]) * row[1] + double(row[2]) * row[2]);
    device.sumNorm += norm;
    device.sumNormSq += norm * norm;
    device.sumGyroSq += double(row[3]) * row[3] + double(row[4]) * row[4] + double(row[5]) * row[5];
    if (device.channelCount == kChannelCount)
      device.sumMagNorm +=
          std::sqrt(double(row[6]) * row[6] + double(row[7]) * row[7] + double(row[8]) * row[8]);
    if (++device.windowRows == windowLength) {
      const double n = static_cast<double>(device.windowRows);
      const double mean = device.sumNorm / n;
      const double spread = std::sqrt(std::max(0.0, device.sumNormSq / n - mean * mean));
      // At rest: |a| barely moves within the second (relative, so it works in any unit).
      if (mean > 0 && spread < 0.02 * mean) {
        device.restGravity.push_back(mean);
        device.restGyroRms.push_back(std::sqrt(device.sumGyroSq / n));
      }
      if (device.channelCount == kChannelCount && device.magNorms.size() < 100000)
        device.magNorms.push_back(device.sumMagNorm / n);
      device.sumNorm = device.sumNormSq = device.sumGyroSq = device.sumMagNorm = 0;
      device.windowRows = 0;
    }
  }
  device.rows += rowCount;
}

void StreamingValidator::addTime(const double* time_s, std::size_t count) {
  auto& impl = *impl_;
  const double period = 1.0 / impl.rate;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = time_s[i];
    if (!std::isfinite(t)) {
      impl.add({Severity::Error, "time_not_finite",
                "timestamp is NaN/Inf at row " + std::to_string(impl.timeRows),
                "repair or drop the timestamps", "", "time"});
      ++impl.timeRows;
      continue;
    }
    if (!impl.haveTime) {
      impl.haveTime = true;
      impl.firstTime = t;
    } else {
      const double step = t - impl.previousTime;
      Finding finding;
      finding.subject = "time";
      finding.start_s = impl.previousTime;
      finding.end_s = t;
      if (step == 0) {
        finding.severity = Severity::Error;
        finding.code = "time_duplicate";
        finding.message = "duplicate timestamp " + formatSignificant(t, 9) + " s at row " +
                          std::to_string(impl.timeRows);
        finding.fix = "drop duplicated rows (a logger wrote the same sample twice)";
        impl.add(std::move(finding));
      } else if (step < 0) {
        finding.severity = Severity::Error;
        finding.code = "time_not_monotonic";
        finding.message = "time goes back by " + formatSignificant(-step, 4) + " s at row " +
                          std::to_string(impl.timeRows);
        finding.fix = "sort rows by time or fix the clock; windows assume increasing time";
        impl.add(std::move(finding));
      } else {
        if (step > impl.options.gapFactor * period) {
          finding.severity = Severity::Warning;
          finding.code = "time_gap";
          finding.message = "gap of " + formatSignificant(step, 4) + " s (" +
                            formatSignificant(step / period - 1, 4) + " missing samples) at row " +
                            std::to_string(impl.timeRows);
          finding.fix =
              "windows across a gap mix unrelated motion; split the session or skip "
              "windows that span it";
          impl.add(std::move(finding));
        }
        if (impl.steps.size() < 200000 || (impl.stepCounter++ % 64) == 0)
          impl.steps.push_back(step);
      }
    }
    impl.previousTime = t;
    ++impl.timeRows;
  }
}

void StreamingValidator::checkLabels(const std::vector<std::string>& classes,
                                     const std::vector<LabelInterval>& labels, double duration_s) {
  auto& impl = *impl_;
  std::vector<LabelInterval> sorted = labels;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  const double slack = 1.0 / impl.rate;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const auto& label = sorted[i];
    Finding finding;
    finding.subject = label.label;
    finding.start_s = label.start_s;
    finding.end_s = label.end_s;
    if (std::find(classes.begin(), classes.end(), label.label) == classes.end()) {
      finding.severity = Severity::Error;
      finding.code = "label_unknown_class";
      finding.message = "label '" + label.label + "' is not in the class list";
      finding.fix = "add the class or correct the label";
      impl.add(finding);
    }
    if (!(label.end_s > label.start_s)) {
      finding.severity = Severity::Error;
      finding.code = "label_empty";
      finding.message = "interval ends (" + formatSignificant(label.end_s, 6) +
                        " s) before it starts (" + formatSignificant(label.start_s, 6) + " s)";
      finding.fix = "swap or correct start and end";
      impl.add(finding);
    } else if (label.start_s < -slack || label.end_s > duration_s + slack) {
      finding.severity = Severity::Warning;
      finding.code = "label_out_of_range";
      finding.message = "interval " + formatSignificant(label.start_s, 6) + "-" +
                        formatSignificant(label.end_s, 6) + " s lies outside the recording (0-" +
                        formatSignificant(duration_s, 6) + " s)";
      finding.fix = "label times are seconds from the session start; check the offset";
      impl.add(finding);
    }
    if (i > 0 && label.start_s < sorted[i - 1].end_s - 1e-9) {
      finding.severity = Severity::Warning;
      finding.code = "label_overlap";
      finding.message = "'" + label.label + "' overlaps '" + sorted[i - 1].label + "'";
      finding.fix = "a window gets the label of its centre sample; overlaps make that ambiguous";
      impl.add(finding);
    }
  }
}

std::vector<Finding> StreamingValidator::finish() {
  auto& impl = *impl_;
  const double period = 1.0 / impl.rate;
  for (auto& device : impl.devices) {
    impl.closeBadRun(device);
    impl.reportConstantRuns(device, period);
    if (device.channelCount != kChannelCount) impl.add(noMagnetometer(device.name));
    if (!device.restGravity.empty()) {
      const double gravity = upperMedian(device.restGravity);
      const double off = std::abs(gravity - kStandardGravity);
      if (off > impl.options.gravityTolerance) {
        Finding finding;
        finding.device = device.name;
        finding.subject = "acc";
        finding.code = "gravity_magnitude";
        finding.message = "|a| at rest is " + formatSignificant(gravity, 4) + " m/s^2 (median of " +
                          std::to_string(device.restGravity.size()) +
                          " still seconds), expected 9.81";
        if (std::abs(gravity - 1.0) < 0.15) {
          finding.severity = Severity::Error;
          finding.fix = "the accelerometer is in g: re-import with --units acc=g";
        } else if (std::abs(gravity - 1000.0) < 150) {
          finding.severity = Severity::Error;
          finding.fix = "the accelerometer is in milli-g: re-import with --units acc=mg";
        } else if (gravity < 3 || gravity > 30) {
          finding.severity = Severity::Error;
          finding.fix = "a wrong unit or scale: check the accelerometer range setting";
        } else {
          finding.severity = Severity::Warning;
          finding.fix = "the accelerometer is miscalibrated; calibrate offsets and scale";
        }
        impl.add(std::move(finding));
      }
      const double gyroRms = upperMedian(device.restGyroRms);
      if (gyroRms > 0.3) {
        Finding finding;
        finding.severity = Severity::Warning;
        finding.device = device.name;
        finding.subject = "gyro";
        finding.code = "gyro_unit_hint";
        finding.message = "|gyro| at rest is " + formatSignificant(gyroRms, 3) +
                          " rad/s; a still sensor reads about 0";
        finding.fix =
            "values this large at rest usually mean deg/s: re-import with "
            "--units gyro=deg/s";
        impl.add(std::move(finding));
      }
    }
    if (!device.magNorms.empty()) {
      const double field = upperMedian(device.magNorms);
      if (field < 15 || field > 100) {
        Finding finding;
        finding.severity = Severity::Warning;
        finding.device = device.name;
        finding.subject = "mag";
        finding.code = "mag_unit_hint";
        finding.message =
            "|mag| is " + formatSignificant(field, 4) + " uT; the Earth's field is 25-65 uT";
        finding.fix = field > 150 && field < 1000
                          ? "this looks like mG: re-import with --units mag=mG"
                      : field > 15000 ? "this looks like nT: re-import with --units mag=nT"
                                      : "check the magnetometer unit and calibration";
        impl.add(std::move(finding));
      }
    }
  }
  if (impl.steps.size() >= 2) {
    const double step = upperMedian(impl.steps);
    const double measured = 1.0 / step;
    if (std::abs(measured - impl.rate) > impl.options.rateMismatchTolerance * impl.rate) {
      Finding finding;
      finding.severity =
          std::abs(measured - kContractSampleRateHz) > 1 ? Severity::Error : Severity::Warning;
      finding.code = "rate_mismatch";
      finding.subject = "time";
      finding.message = "timestamps step " + formatSignificant(step * 1000, 4) + " ms (" +
                        formatSignificant(measured, 4) + " Hz) but sample_rate_hz says " +
                        formatSignificant(impl.rate, 4) + " Hz";
      finding.fix = "fix sample_rate_hz, or resample to the contract's 100 Hz";
      impl.add(std::move(finding));
    }
  }
  if (std::abs(impl.rate - kContractSampleRateHz) > 1e-6) {
    Finding finding;
    finding.severity = Severity::Warning;
    finding.code = "rate_not_contract";
    finding.message =
        "sample rate is " + formatSignificant(impl.rate, 5) + " Hz; models expect 100 Hz";
    finding.fix = "resample to 100 Hz before running models";
    impl.add(std::move(finding));
  }
  // Summaries for codes that hit the cap.
  for (const auto& [key, count] : impl.counts) {
    if (count <= impl.options.maxFindingsPerCode) continue;
    Finding finding;
    finding.severity = Severity::Info;
    finding.code = key.second + "_more";
    finding.device = key.first;
    finding.message = std::to_string(count - impl.options.maxFindingsPerCode) + " more '" +
                      key.second + "' findings not listed";
    impl.findings.push_back(std::move(finding));
  }
  return std::move(impl.findings);
}

}  // namespace imuwb
