#pragma once
// Where windows read samples from: a session file through SessionReader (block reads, for 24 h
// recordings) or a Session already in memory (GUI, tests). The windower sees only this.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "session/Session.hpp"

namespace imuwb {

class SessionReader;

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  virtual std::string describe() const = 0;  // the file path, or "in-memory session"
  virtual double sampleRateHz() const = 0;
  virtual std::size_t rowCount() const = 0;
  virtual const std::vector<std::string>& deviceNames() const = 0;
  virtual const std::vector<std::string>& classes() const = 0;
  virtual const std::vector<LabelInterval>& labels() const = 0;
  // 9 (ax..mz), or 6 for a device without a magnetometer (ax..gz).
  virtual int channelCount(std::size_t device) const = 0;
  // Rows [first, first + count) of one device, row-major [count, channelCount(device)], contract
  // order and units.
  virtual void readRows(std::size_t device, std::size_t first, std::size_t count,
                        float* out) const = 0;
  // Seconds from session start for rows [first, first + count).
  virtual void readTime(std::size_t first, std::size_t count, double* out) const = 0;
  // Index of a device by name, or -1.
  int deviceIndex(const std::string& name) const;
};

// A Session in memory. The session must outlive the source.
class InMemorySource final : public SampleSource {
 public:
  explicit InMemorySource(const Session& session);
  std::string describe() const override;
  double sampleRateHz() const override { return session_.sampleRateHz; }
  std::size_t rowCount() const override { return session_.sampleCount(); }
  const std::vector<std::string>& deviceNames() const override { return names_; }
  const std::vector<std::string>& classes() const override { return session_.classes; }
  const std::vector<LabelInterval>& labels() const override { return session_.labels; }
  int channelCount(std::size_t device) const override;
  void readRows(std::size_t device, std::size_t first, std::size_t count,
                float* out) const override;
  void readTime(std::size_t first, std::size_t count, double* out) const override;

 private:
  const Session& session_;
  std::vector<std::string> names_;
};

// A session file read block by block.
class FileSource final : public SampleSource {
 public:
  explicit FileSource(const std::filesystem::path& path);  // throws imuwb::Error
  ~FileSource() override;
  std::string describe() const override;
  double sampleRateHz() const override;
  std::size_t rowCount() const override;
  const std::vector<std::string>& deviceNames() const override;
  const std::vector<std::string>& classes() const override;
  const std::vector<LabelInterval>& labels() const override;
  int channelCount(std::size_t device) const override;
  void readRows(std::size_t device, std::size_t first, std::size_t count,
                float* out) const override;
  void readTime(std::size_t first, std::size_t count, double* out) const override;

 private:
  std::unique_ptr<SessionReader> reader_;
};

// A sidecar request body {"x": [[ax,ay,az,gx,gy,gz,mx,my,mz] x N]} (contract.md, POST /infer) as
// a one-device session named deviceName at 100 Hz, values exactly as sent: no unit conversion,
// because the point of reading it here is to check what the sidecar really receives.
// Throws imuwb::Error naming the row for a missing "x", rows that are not 9 numbers, or no rows.
Session readSidecarRequest(const std::filesystem::path& path,
                           const std::string& deviceName = "sidecar");

}  // namespace imuwb
