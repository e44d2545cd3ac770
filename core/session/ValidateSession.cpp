// The two ways into the streaming validator: a session in memory (GUI, tests) and a session
// file read block by block (24 h recordings in one pass). Structural problems (lengths, channel
// counts) are reported before any data check runs.
#include <algorithm>

#include "session/SessionReader.hpp"
#include "session/SessionValidator.hpp"

namespace imuwb {

namespace {
Finding structural(std::string code, std::string message, std::string fix,
                   std::string device = {}) {
  Finding finding;
  finding.severity = Severity::Error;
  finding.code = std::move(code);
  finding.message = std::move(message);
  finding.fix = std::move(fix);
  finding.device = std::move(device);
  return finding;
}
}  // namespace

std::vector<Finding> validateSession(const Session& session, const ValidationOptions& options) {
  std::vector<Finding> findings;
  if (session.devices.empty() || session.sampleCount() == 0)
    return {
        structural("empty_session", "the session has no samples", "import or record data first")};
  const std::size_t rows = session.sampleCount();
  for (const auto& device : session.devices) {
    if (!isDeviceChannelCount(device.channels) ||
        device.samples.size() % static_cast<std::size_t>(device.channels) != 0)
      findings.push_back(
          structural("channel_count",
                     "sample buffer of " + std::to_string(device.samples.size()) +
                         " values is not a whole number of " + std::to_string(device.channels) +
                         "-channel rows",
                     "every row needs ax ay az gx gy gz (and mx my mz with a magnetometer); map "
                     "missing columns at import",
                     device.name));
    else if (device.sampleCount() != rows)
      findings.push_back(structural("device_length",
                                    "has " + std::to_string(device.sampleCount()) +
                                        " rows, the first device has " + std::to_string(rows),
                                    "devices share one clock; trim or resample", device.name));
  }
  if (!session.time_s.empty() && session.time_s.size() != rows)
    findings.push_back(structural(
        "time_length",
        std::to_string(session.time_s.size()) + " timestamps for " + std::to_string(rows) + " rows",
        "one timestamp per row"));
  if (!findings.empty()) return findings;

  std::vector<std::string> names;
  std::vector<int> channels;
  for (const auto& device : session.devices) {
    names.push_back(device.name);
    channels.push_back(device.channels);
  }
  StreamingValidator validator(names, session.sampleRateHz, options, channels);
  std::vector<double> time(rows);
  for (std::size_t i = 0; i < rows; ++i) time[i] = session.timeAt(i);
  if (!session.time_s.empty()) validator.addTime(time.data(), rows);
  for (std::size_t d = 0; d < session.devices.size(); ++d)
    validator.addBlock(d, session.devices[d].samples.data(), time.data(), rows);
  validator.checkLabels(session.classes, session.labels, session.durationSeconds());
  return validator.finish();
}

std::vector<Finding> validateSessionFile(const SessionReader& reader, const JobControl& control,
                                         const ValidationOptions& options) {
  const SessionHeader& header = reader.header();
  if (header.sampleCount == 0)
    return {
        structural("empty_session", "the session has no samples", "import or record data first")};
  StreamingValidator validator(header.deviceNames, header.sampleRateHz, options,
                               header.deviceChannels);
  const std::size_t block = std::max<std::size_t>(reader.chunkRows(), 1);
  const std::size_t rows = header.sampleCount;
  std::vector<float> samples(block * kChannelCount);
  const double total = static_cast<double>(rows) * static_cast<double>(header.deviceNames.size());
  double done = 0;
  for (std::size_t first = 0; first < rows; first += block) {
    control.throwIfCancelled();
    const std::size_t count = std::min(block, rows - first);
    const std::vector<double> time = reader.readTime(first, count);
    if (header.hasExplicitTime) validator.addTime(time.data(), count);
    for (std::size_t d = 0; d < header.deviceNames.size(); ++d) {
      reader.readRows(d, first, count, samples.data());
      validator.addBlock(d, samples.data(), time.data(), count);
      done += static_cast<double>(count);
      control.report(done / total, "validating");
    }
  }
  validator.checkLabels(header.classes, header.labels, header.durationSeconds());
  return validator.finish();
}

}  // namespace imuwb
