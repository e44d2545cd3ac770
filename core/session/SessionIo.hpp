#pragma once
// Loading and saving whole sessions, and streaming a large session to disk block by block.
// The file layout is documented in docs/session-format.md.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/JobControl.hpp"
#include "session/Session.hpp"

namespace imuwb {

// Reads a whole session file into memory (small files, the GUI). Uses SessionReader, so it
// rejects bad files with the same errors. Sets Session::sourcePath.
Session loadSession(const std::filesystem::path& path, const JobControl& control = {});

// Writes the session atomically (temporary file beside the target, then rename). Refuses to
// write onto the file the session was loaded from: recordings are never replaced in place.
// Checks shapes first (all devices the same length, time length, label classes).
void saveSession(const Session& session, const std::filesystem::path& target,
                 const JobControl& control = {});

struct SessionWriterOptions {
  double sampleRateHz = kContractSampleRateHz;
  std::string startTime;                 // ISO 8601 UTC; may be empty
  std::vector<std::string> deviceNames;  // at least one
  // Per device, 9 or 6 (no magnetometer); empty = 9 for every device.
  std::vector<int> deviceChannels;
  bool explicitTime = false;  // true: caller supplies appendTime() for every row
  nlohmann::json metadata = nlohmann::json::object();
  std::size_t chunkRows = 65536;  // rows per HDF5 chunk
  int gzipLevel = 1;              // 0 = no compression; shuffle is always on when compressing
  bool overwrite = true;          // false: throw when target exists
};

// Streams a session to disk: appendRows per device in any block sizes, then finish(). Writes a
// temporary file beside the target and renames it on finish(); if finish() is never reached
// (error, cancel) the temporary file is removed and the target is untouched.
// The channel count of each device the options describe (deviceChannels, or 9 for each).
std::vector<int> writerDeviceChannels(const SessionWriterOptions& options);

class SessionWriter {
 public:
  static SessionWriter create(const std::filesystem::path& target, SessionWriterOptions options);

  SessionWriter(SessionWriter&&) noexcept;
  SessionWriter& operator=(SessionWriter&&) noexcept;
  ~SessionWriter();

  // rows is row-major [rowCount, channels of that device] in contract order and units.
  void appendRows(std::size_t deviceIndex, const float* rows, std::size_t rowCount);
  void appendTime(const double* time_s, std::size_t count);
  void setLabels(std::vector<std::string> classes, std::vector<LabelInterval> labels);
  // Checks every device got the same number of rows (and time, when explicit), writes labels
  // and renames into place. Throws imuwb::Error on mismatch.
  void finish();

  std::size_t rowsWritten(std::size_t deviceIndex) const;
  int channelCount(std::size_t deviceIndex) const;

 private:
  struct Impl;
  explicit SessionWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb
