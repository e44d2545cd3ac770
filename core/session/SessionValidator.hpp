#pragma once
// Session validation: structured findings (severity, device, channel, time range, fix) about
// things that make a recording unfit for the deployment contract. Never throws for bad data;
// bad data is what it reports. Works block by block, so 24 h files are checked in one pass.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb {

class SessionReader;

struct ValidationOptions {
  double gapFactor = 1.5;               // a time step > gapFactor / rate is a gap
  double rateMismatchTolerance = 0.02;  // relative difference of measured vs declared rate
  double flatSeconds = 2.0;             // identical values for this long = flat / stuck
  double saturatedSeconds = 0.2;        // this long at the channel's extreme = saturated
  double gravityTolerance = 1.5;        // m/s^2 off 9.81 at rest = wrong unit / calibration
  std::size_t maxFindingsPerCode = 20;  // per device and code; the rest are summarised
};

// Codes (Finding::code): non_finite, time_not_monotonic, time_duplicate, time_gap,
// rate_mismatch, channel_count, flat_channel, saturated_channel, gravity_magnitude,
// label_out_of_range, label_unknown_class, label_overlap, empty_session; no_magnetometer (Info)
// for a 6-axis device.
std::vector<Finding> validateSession(const Session& session, const ValidationOptions& options = {});

// The same checks, reading the file in chunk-sized blocks.
std::vector<Finding> validateSessionFile(const SessionReader& reader,
                                         const JobControl& control = {},
                                         const ValidationOptions& options = {});

// The engine behind both: feed it blocks in row order, then take the findings.
class StreamingValidator {
 public:
  // deviceChannels: per device, 9 or 6 (no magnetometer); empty = 9 for every device.
  StreamingValidator(std::vector<std::string> deviceNames, double sampleRateHz,
                     ValidationOptions options = {}, std::vector<int> deviceChannels = {});
  ~StreamingValidator();
  StreamingValidator(StreamingValidator&&) noexcept;

  // rows: [rowCount, channels of the device] row-major; time_s: [rowCount] seconds for the same
  // rows.
  void addBlock(std::size_t deviceIndex, const float* rows, const double* time_s,
                std::size_t rowCount);
  // Time is shared by devices; feed it once per block (from any one device's pass).
  void addTime(const double* time_s, std::size_t count);
  void checkLabels(const std::vector<std::string>& classes,
                   const std::vector<LabelInterval>& labels, double duration_s);
  std::vector<Finding> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb
