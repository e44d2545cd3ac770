#pragma once
// The outputs HDF5 written by `imuwb run` (docs/outputs-format.md), readable with h5py:
//   /                         format="imuwb-outputs", format_version=1, provenance attributes
//   /windows/start_index      int64  [W]  first session row of each window
//   /windows/start_time_s     float64 [W]
//   /windows/label            int32  [W]  index into root attribute `classes`, -1 unlabelled
//   /backends/<backend>/<output>      float32 [W, D]  raw model output (attrs role, names)
//   /backends/<backend>/derived/...   probabilities, FSQ codes and code indices
// Written as a stream (extendible chunked datasets) into a temporary file renamed on finish().
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/Windower.hpp"
#include "runtime/Backend.hpp"

namespace imuwb {

inline constexpr const char* kOutputsFormatName = "imuwb-outputs";
inline constexpr int kOutputsFormatVersion = 1;

struct OutputsProvenance {
  std::string createdUtc;
  std::string sessionPath;
  std::string sessionSha256;
  std::string modelName;
  std::string modelVersion;
  std::string modelSha256;
  std::string manifestJson;  // the manifest as used (current format)
  int windowLength = kContractWindowLength;
  int stride = 50;
  double sampleRateHz = kContractSampleRateHz;
  std::string labelRule = "centre";
  std::vector<std::string> classes;  // session classes (window labels index these)
  std::vector<std::string> devices;  // session device per H index
  std::string resamplingJson;        // --resample: what the on-the-fly resampler did; else ""
};

// One [W, D] dataset inside a backend group, e.g. "latent" or "derived/behavior_probabilities".
struct OutputColumn {
  std::string path;  // relative to /backends/<backend>
  std::size_t width = 0;
  bool integer = false;                                  // int64 instead of float32
  nlohmann::json attributes = nlohmann::json::object();  // string/number/string-array values
};

class OutputsWriter {
 public:
  static OutputsWriter create(const std::filesystem::path& target,
                              const OutputsProvenance& provenance);
  OutputsWriter(OutputsWriter&&) noexcept;
  OutputsWriter& operator=(OutputsWriter&&) noexcept;
  ~OutputsWriter();  // removes the temporary file unless finish() ran

  void addBackend(const BackendInfo& info, const std::vector<OutputColumn>& columns);
  void appendWindows(const std::vector<WindowInfo>& windows, std::size_t first, std::size_t count);
  // rows x width values (width as declared). integer columns take appendIndices.
  void appendValues(const std::string& backend, const std::string& path, const float* values,
                    std::size_t rows);
  void appendIndices(const std::string& backend, const std::string& path,
                     const std::int64_t* values, std::size_t rows);
  // Extra root attributes (skip counts, timing) before finishing.
  void setAttribute(const std::string& name, const nlohmann::json& value);
  // Checks every dataset has the same number of rows as /windows, then renames into place.
  void finish();

 private:
  struct Impl;
  explicit OutputsWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct OutputMatrix {
  std::size_t rows = 0, cols = 0;
  std::vector<float> values;  // row-major
  float at(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
};

// Reading an outputs file back (parity against recorded outputs, the GUI, tests).
class OutputsFile {
 public:
  static OutputsFile open(const std::filesystem::path& path);  // throws imuwb::Error
  OutputsFile(OutputsFile&&) noexcept;
  ~OutputsFile();

  const OutputsProvenance& provenance() const;
  nlohmann::json rootAttributes() const;
  std::size_t windowCount() const;
  std::vector<std::int64_t> startIndices() const;
  std::vector<double> startTimes() const;
  std::vector<int> labels() const;
  std::vector<std::string> backends() const;
  // Dataset paths under a backend ("latent", "derived/behavior_probabilities", ...).
  std::vector<std::string> datasets(const std::string& backend) const;
  OutputMatrix read(const std::string& backend, const std::string& path) const;
  std::vector<std::int64_t> readIndices(const std::string& backend, const std::string& path) const;

 private:
  struct Impl;
  explicit OutputsFile(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace imuwb
