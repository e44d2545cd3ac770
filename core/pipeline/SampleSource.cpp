#include "pipeline/SampleSource.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/Error.hpp"
#include "common/SafeRead.hpp"
#include "session/SessionReader.hpp"

namespace imuwb {

int SampleSource::deviceIndex(const std::string& name) const {
  const auto& names = deviceNames();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

InMemorySource::InMemorySource(const Session& session) : session_(session) {
  for (const auto& device : session.devices) names_.push_back(device.name);
}

std::string InMemorySource::describe() const {
  return session_.sourcePath.empty() ? std::string("in-memory session")
                                     : session_.sourcePath.string();
}

void InMemorySource::readRows(std::size_t device, std::size_t first, std::size_t count,
                              float* out) const {
  if (device >= session_.devices.size() || first + count > session_.sampleCount())
    throw Error(describe(), "rows " + std::to_string(first) + "+" + std::to_string(count) +
                                " of device " + std::to_string(device) + " are out of range");
  const auto width = static_cast<std::size_t>(session_.devices[device].channels);
  std::memcpy(out, session_.devices[device].samples.data() + first * width,
              count * width * sizeof(float));
}

int InMemorySource::channelCount(std::size_t device) const {
  return session_.devices.at(device).channels;
}

void InMemorySource::readTime(std::size_t first, std::size_t count, double* out) const {
  for (std::size_t i = 0; i < count; ++i) out[i] = session_.timeAt(first + i);
}

FileSource::FileSource(const std::filesystem::path& path)
    : reader_(std::make_unique<SessionReader>(SessionReader::open(path))) {}
FileSource::~FileSource() = default;
std::string FileSource::describe() const {
  return reader_->header().path.string();
}
double FileSource::sampleRateHz() const {
  return reader_->header().sampleRateHz;
}
std::size_t FileSource::rowCount() const {
  return reader_->header().sampleCount;
}
const std::vector<std::string>& FileSource::deviceNames() const {
  return reader_->header().deviceNames;
}
const std::vector<std::string>& FileSource::classes() const {
  return reader_->header().classes;
}
const std::vector<LabelInterval>& FileSource::labels() const {
  return reader_->header().labels;
}
int FileSource::channelCount(std::size_t device) const {
  return reader_->header().deviceChannels.at(device);
}
void FileSource::readRows(std::size_t device, std::size_t first, std::size_t count,
                          float* out) const {
  reader_->readRows(device, first, count, out);
}
void FileSource::readTime(std::size_t first, std::size_t count, double* out) const {
  auto time = reader_->readTime(first, count);
  std::copy(time.begin(), time.end(), out);
}

Session readSidecarRequest(const std::filesystem::path& path, const std::string& deviceName) {
  // Regular file, size- and depth-limited (SafeRead): no pipe, no nesting bomb.
  nlohmann::json document = loadJsonFile(path, "sidecar request body");
  if (!document.is_object() || !document.contains("x") || !document["x"].is_array())
    throw Error(path.string(), "no \"x\" array: not a sidecar /infer request body",
                "give {\"x\": [[ax,ay,az,gx,gy,gz,mx,my,mz], ...]}");
  Session session;
  session.sourcePath = path;
  Device device;
  device.name = deviceName;
  std::size_t row = 0;
  for (const auto& values : document["x"]) {
    if (!values.is_array() || values.size() != kChannelCount)
      throw Error(path.string() + ": x[" + std::to_string(row) + "]", "a row must hold 9 numbers",
                  "write ax ay az gx gy gz mx my mz per row");
    for (const auto& value : values) {
      if (!value.is_number())
        throw Error(path.string() + ": x[" + std::to_string(row) + "]",
                    "holds a value that is not a number");
      device.samples.push_back(value.get<float>());
    }
    ++row;
  }
  if (row == 0) throw Error(path.string(), "\"x\" holds no rows");
  session.devices.push_back(std::move(device));
  return session;
}

}  // namespace imuwb
