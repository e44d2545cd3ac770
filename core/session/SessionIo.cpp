#include "session/SessionIo.hpp"

#include <algorithm>
#include <set>

#include "common/Error.hpp"
#include "session/SessionReader.hpp"

namespace imuwb {

Session loadSession(const std::filesystem::path& path, const JobControl& control) {
  const SessionReader reader = SessionReader::open(path);
  const SessionHeader& header = reader.header();
  Session session;
  session.sampleRateHz = header.sampleRateHz;
  session.startTime = header.startTime;
  session.classes = header.classes;
  session.labels = header.labels;
  session.metadata = header.metadata;
  session.sourcePath = path;
  const std::size_t rows = header.sampleCount;
  // Several chunks per read, so the reader decodes them in parallel.
  const std::size_t block = std::max<std::size_t>(reader.chunkRows(), 1) * 8;
  const std::size_t totalBlocks =
      header.deviceNames.size() * ((rows + block - 1) / block) + (header.hasExplicitTime ? 1 : 0);
  std::size_t doneBlocks = 0;
  for (std::size_t d = 0; d < header.deviceNames.size(); ++d) {
    Device device;
    device.name = header.deviceNames[d];
    device.channels = header.deviceChannels[d];
    const auto width = static_cast<std::size_t>(device.channels);
    device.samples.resize(rows * width);
    for (std::size_t first = 0; first < rows; first += block) {
      control.throwIfCancelled();
      const std::size_t count = std::min(block, rows - first);
      reader.readRows(d, first, count, device.samples.data() + first * width);
      control.report(static_cast<double>(++doneBlocks) / std::max<std::size_t>(totalBlocks, 1),
                     "reading " + device.name);
    }
    session.devices.push_back(std::move(device));
  }
  if (header.hasExplicitTime) session.time_s = reader.readTime(0, rows);
  control.report(1.0, "loaded");
  return session;
}

void saveSession(const Session& session, const std::filesystem::path& target,
                 const JobControl& control) {
  const std::string where = target.string();
  std::error_code ec;
  if (!session.sourcePath.empty() && std::filesystem::exists(target, ec) &&
      std::filesystem::equivalent(target, session.sourcePath, ec))
    throw Error(where, "is the recording this session was loaded from",
                "recordings are never replaced in place: save to a new file");
  if (session.devices.empty())
    throw Error(where, "the session has no device", "add at least one device");
  const std::size_t rows = session.sampleCount();
  for (const auto& device : session.devices) {
    if (!isDeviceChannelCount(device.channels))
      throw Error(where + " device '" + device.name + "'",
                  "has " + std::to_string(device.channels) + " channels",
                  "a device has 9 channels, or 6 without a magnetometer");
    if (device.samples.size() % static_cast<std::size_t>(device.channels) != 0)
      throw Error(where + " device '" + device.name + "'",
                  "sample buffer is not a whole number of " + std::to_string(device.channels) +
                      "-channel rows",
                  "store [N," + std::to_string(device.channels) + "] row-major samples");
    if (device.sampleCount() != rows)
      throw Error(
          where + " device '" + device.name + "'",
          "has " + std::to_string(device.sampleCount()) + " rows, expected " + std::to_string(rows),
          "devices share one clock: give them the same number of rows");
  }
  if (!session.time_s.empty() && session.time_s.size() != rows)
    throw Error(
        where + " time",
        std::to_string(session.time_s.size()) + " timestamps for " + std::to_string(rows) + " rows",
        "give one timestamp per row, or none for a uniform rate");
  std::vector<std::string> classes = session.classes;
  for (const auto& label : session.labels)
    if (std::find(classes.begin(), classes.end(), label.label) == classes.end())
      classes.push_back(label.label);

  SessionWriterOptions options;
  options.sampleRateHz = session.sampleRateHz;
  options.startTime = session.startTime;
  options.metadata = session.metadata.is_object() ? session.metadata : nlohmann::json::object();
  options.explicitTime = !session.time_s.empty();
  for (const auto& device : session.devices) {
    options.deviceNames.push_back(device.name);
    options.deviceChannels.push_back(device.channels);
  }
  SessionWriter writer = SessionWriter::create(target, options);
  const std::size_t block = options.chunkRows;
  const std::size_t blocksPerDevice = (rows + block - 1) / block;
  const std::size_t total = std::max<std::size_t>(session.devices.size() * blocksPerDevice, 1);
  std::size_t done = 0;
  for (std::size_t d = 0; d < session.devices.size(); ++d) {
    for (std::size_t first = 0; first < rows; first += block) {
      control.throwIfCancelled();
      const std::size_t count = std::min(block, rows - first);
      const auto& device = session.devices[d];
      writer.appendRows(
          d, device.samples.data() + first * static_cast<std::size_t>(device.channels), count);
      control.report(static_cast<double>(++done) / static_cast<double>(total),
                     "writing " + session.devices[d].name);
    }
  }
  if (options.explicitTime) writer.appendTime(session.time_s.data(), rows);
  writer.setLabels(classes, session.labels);
  writer.finish();
  control.report(1.0, "saved");
}

}  // namespace imuwb
