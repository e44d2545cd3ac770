#pragma once
// Block-wise reading of a session HDF5 file (docs/session-format.md). Opening reads only the
// header (attributes, shapes, labels); samples are read on demand as hyperslabs, so a 24 h
// two-device recording (about 17 M rows) never has to be held in memory at once.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "session/Session.hpp"

namespace imuwb {

inline constexpr const char* kSessionFormatName = "imuwb-session";
inline constexpr int kSessionFormatVersion = 1;

// Everything about a session except its samples. Cheap to copy.
struct SessionHeader {
  std::filesystem::path path;
  int formatVersion = kSessionFormatVersion;
  double sampleRateHz = kContractSampleRateHz;
  std::string startTime;                 // ISO 8601 UTC; may be empty
  std::vector<std::string> deviceNames;  // in file order (sorted by name in the HDF5 group)
  std::vector<int> deviceChannels;       // per device: 9, or 6 without a magnetometer
  std::size_t sampleCount = 0;           // rows per device (all devices share one clock)
  bool hasExplicitTime = false;          // true: /time dataset; false: t = row / sampleRateHz
  // The labels in effect: the side-car labels file's current version when there is one
  // (labelsFile, labelsRevision), else the labels embedded in the session file.
  std::vector<std::string> classes;
  std::vector<LabelInterval> labels;
  std::filesystem::path labelsFile;  // S.labels.json when the labels came from it, else empty
  int labelsRevision = 0;            // 0: the embedded labels
  LabelSet embeddedLabels;           // what /labels in the session file holds
  nlohmann::json metadata = nlohmann::json::object();

  // With explicit time: the first and last timestamps (read at open); else 0 and (N-1)/rate.
  double firstTime_s = 0;
  double lastTime_s = 0;

  // Covered time: last - first + one sample period (N / rate for uniform time).
  double durationSeconds() const {
    return sampleCount == 0 ? 0.0 : lastTime_s - firstTime_s + 1.0 / sampleRateHz;
  }
  // Index into deviceNames, or -1.
  int deviceIndex(const std::string& name) const;
};

class SessionReader {
 public:
  // Opens and checks the file: format name and version, shapes and dtypes of every dataset,
  // time length, label indices. Throws imuwb::Error naming the file, the dataset and the fix.
  static SessionReader open(const std::filesystem::path& path);

  SessionReader(SessionReader&&) noexcept;
  SessionReader& operator=(SessionReader&&) noexcept;
  ~SessionReader();

  const SessionHeader& header() const;

  // Reads rows [firstRow, firstRow + rowCount) of one device into out, row-major
  // [rowCount, deviceChannels[deviceIndex]] in the contract's channel order and units. Throws
  // imuwb::Error when out of range.
  void readRows(std::size_t deviceIndex, std::size_t firstRow, std::size_t rowCount,
                float* out) const;
  std::vector<float> readRows(std::size_t deviceIndex, std::size_t firstRow,
                              std::size_t rowCount) const;
  // Seconds from session start for rows [firstRow, firstRow + rowCount): the /time dataset when
  // present, else row / sampleRateHz.
  std::vector<double> readTime(std::size_t firstRow, std::size_t rowCount) const;

  // Rows per HDF5 chunk of the sample datasets: the natural block size for sequential reads.
  std::size_t chunkRows() const;

 private:
  struct Impl;
  explicit SessionReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb
