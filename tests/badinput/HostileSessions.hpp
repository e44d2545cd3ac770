#pragma once
// Hostile session files for the bad-input suite, written with the raw HDF5 C++ API (not
// imuwb's writer, which would refuse to produce them). Each knob makes one lie the reader
// must catch before it allocates or loops.
#include <H5Cpp.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace imuwb::badinput {

enum class Filters { None, Deflate, ShuffleDeflate };

struct SessionCraft {
  std::vector<std::string> devices = {"collar", "harness"};
  hsize_t rows = 2000;      // declared rows of every device's imu dataset
  hsize_t chunkRows = 500;  // 0 = contiguous layout
  Filters filters = Filters::ShuffleDeflate;
  bool writeSamples = true;  // false: declare the rows but store no chunk (sparse)
  // Replace this chunk of the first device with one that inflates to half its size.
  std::optional<hsize_t> shortChunk;
  bool integerSamples = false;
  bool nanSample = false;           // one NaN in the first device: a finding, not a refusal
  bool integerTime = false;         // /time stored as int64
  bool sampleRateAsString = false;  // attrs['sample_rate_hz'] = "100 Hz"
  bool explicitTime = false;
  std::optional<hsize_t> shortTimeChunk;  // as shortChunk, for /time (chunked like imu)
  std::optional<std::string> metadata;    // raw text of the root attribute 'metadata'
  hsize_t labelIntervals = 2;             // declared length of the label datasets
  bool writeLabels = true;                // false: declare only
};

void craftSession(const std::filesystem::path& path, const SessionCraft& craft = {});

// Removes an object (dataset or group) from an existing file.
void unlinkObject(const std::filesystem::path& path, const std::string& object);
// Replaces a dataset by a string dataset of the same name.
void replaceWithStrings(const std::filesystem::path& path, const std::string& object);
// A session whose first device's imu dataset is written but the file then cut at fraction.
void truncateFile(const std::filesystem::path& path, double fraction);

// Text files.
void writeText(const std::filesystem::path& path, const std::string& text);
// The nine-column CSV header and n rows of a resting device, one line each (terminator eol).
std::string restingCsv(std::size_t rows, const std::string& eol = "\n", double accScale = 1.0);

}  // namespace imuwb::badinput
