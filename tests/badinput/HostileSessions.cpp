#include "HostileSessions.hpp"

#include <libdeflate.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "io/Hdf5Support.hpp"

namespace imuwb::badinput {

namespace fs = std::filesystem;

namespace {

constexpr hsize_t kChannels = 9;

// A resting device: gravity on +z, Earth's field, a small deterministic wiggle.
void restingRow(hsize_t row, float* out) {
  const float w = 0.02f * std::sin(0.37f * static_cast<float>(row));
  const float values[kChannels] = {w,        -w,          9.80665f + w, 0.5f * w,    -0.3f * w,
                                   0.2f * w, 20 + 10 * w, 10 * w,       -45 - 10 * w};
  std::memcpy(out, values, sizeof values);
}

H5::DSetCreatPropList creation(hsize_t rank, const hsize_t* chunk, Filters filters) {
  H5::DSetCreatPropList list;
  if (chunk == nullptr) return list;
  list.setChunk(static_cast<int>(rank), chunk);
  if (filters == Filters::ShuffleDeflate) list.setShuffle();
  if (filters != Filters::None) list.setDeflate(1);
  return list;
}

// HDF5's shuffle: byte b of every element into plane b.
std::vector<unsigned char> shuffled(const void* data, std::size_t elements, std::size_t width) {
  std::vector<unsigned char> out(elements * width);
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < elements; ++i)
    for (std::size_t b = 0; b < width; ++b) out[b * elements + i] = bytes[i * width + b];
  return out;
}

std::vector<unsigned char> zlib(const std::vector<unsigned char>& data) {
  std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> compressor(
      libdeflate_alloc_compressor(1), &libdeflate_free_compressor);
  std::vector<unsigned char> out(libdeflate_zlib_compress_bound(compressor.get(), data.size()));
  out.resize(
      libdeflate_zlib_compress(compressor.get(), data.data(), data.size(), out.data(), out.size()));
  return out;
}

// Overwrites chunk `index` with a valid zlib stream of only half the chunk's bytes: the
// stream's checksum is right, only its length lies.
void writeShortChunk(H5::DataSet& dataset, hsize_t index, hsize_t chunkRows, std::size_t width,
                     std::size_t columns, Filters filters) {
  const std::size_t elements = chunkRows * columns / 2;
  std::vector<unsigned char> half(elements * width, 0x41);
  const auto payload =
      zlib(filters == Filters::ShuffleDeflate ? shuffled(half.data(), elements, width) : half);
  hsize_t offset[2] = {index * chunkRows, 0};
  if (H5Dwrite_chunk(dataset.getId(), H5P_DEFAULT, 0, offset, payload.size(), payload.data()) < 0)
    throw std::runtime_error("H5Dwrite_chunk failed");
}

}  // namespace

void craftSession(const fs::path& path, const SessionCraft& c) {
  hdf5::silenceErrorStack();
  // The 1.8 file format stores attributes over 64 KB (the metadata bombs) densely.
  H5::FileAccPropList access;
  access.setLibverBounds(H5F_LIBVER_V18, H5F_LIBVER_LATEST);
  H5::H5File file(path.string(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
  hdf5::writeStringAttribute(file, "format", "imuwb-session");
  hdf5::writeIntegerAttribute(file, "format_version", 1);
  if (c.sampleRateAsString)
    hdf5::writeStringAttribute(file, "sample_rate_hz", "100 Hz");
  else
    hdf5::writeDoubleAttribute(file, "sample_rate_hz", 100.0);
  hdf5::writeStringAttribute(file, "start_time", "2026-01-02T03:04:05Z");
  if (c.metadata) hdf5::writeStringAttribute(file, "metadata", *c.metadata);
  H5::Group devices = file.createGroup("devices");
  const hsize_t dims[2] = {c.rows, kChannels};
  const hsize_t chunk[2] = {c.chunkRows, kChannels};
  // Sample data is written in blocks so the test never holds a whole large session.
  const hsize_t block = 1 << 16;
  for (std::size_t d = 0; d < c.devices.size(); ++d) {
    H5::Group device = devices.createGroup(c.devices[d]);
    H5::DataSet imu = device.createDataSet(
        "imu", c.integerSamples ? H5::PredType::STD_I32LE : H5::PredType::IEEE_F32LE,
        H5::DataSpace(2, dims), creation(2, c.chunkRows ? chunk : nullptr, c.filters));
    hdf5::writeStringArrayAttribute(imu, "channels",
                                    {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"});
    hdf5::writeStringArrayAttribute(
        imu, "units", {"m/s^2", "m/s^2", "m/s^2", "rad/s", "rad/s", "rad/s", "uT", "uT", "uT"});
    if (!c.writeSamples) continue;
    std::vector<float> rows(block * kChannels);
    for (hsize_t first = 0; first < c.rows; first += block) {
      const hsize_t count[2] = {std::min(block, c.rows - first), kChannels};
      for (hsize_t r = 0; r < count[0]; ++r) restingRow(first + r, rows.data() + r * kChannels);
      if (d == 0 && c.nanSample && first == 0) rows[count[0] / 2 * kChannels] = NAN;
      H5::DataSpace fileSpace = imu.getSpace();
      const hsize_t offset[2] = {first, 0};
      fileSpace.selectHyperslab(H5S_SELECT_SET, count, offset);
      imu.write(rows.data(), H5::PredType::NATIVE_FLOAT, H5::DataSpace(2, count), fileSpace);
    }
    if (d == 0 && c.shortChunk)
      writeShortChunk(imu, *c.shortChunk, c.chunkRows, 4, kChannels, c.filters);
  }
  if (c.explicitTime) {
    const hsize_t n = c.rows, timeChunk = c.chunkRows;
    H5::DataSet time = file.createDataSet(
        "time", c.integerTime ? H5::PredType::STD_I64LE : H5::PredType::IEEE_F64LE,
        H5::DataSpace(1, &n), creation(1, c.chunkRows ? &timeChunk : nullptr, c.filters));
    if (c.writeSamples) {
      std::vector<double> values(n);
      for (hsize_t i = 0; i < n; ++i) values[i] = static_cast<double>(i) / 100.0;
      time.write(values.data(), H5::PredType::NATIVE_DOUBLE);
    }
    if (c.shortTimeChunk) writeShortChunk(time, *c.shortTimeChunk, c.chunkRows, 8, 1, c.filters);
  }
  H5::Group labels = file.createGroup("labels");
  hdf5::writeStringDataset(labels, "classes", {"stand", "sit"});
  const hsize_t n = c.labelIntervals;
  const hsize_t labelChunk = std::min<hsize_t>(std::max<hsize_t>(n, 1), 1 << 16);
  auto column = [&](const char* name, const H5::PredType& type) {
    return labels.createDataSet(name, type, H5::DataSpace(1, &n),
                                creation(1, &labelChunk, Filters::Deflate));
  };
  H5::DataSet start = column("start_s", H5::PredType::IEEE_F64LE);
  H5::DataSet end = column("end_s", H5::PredType::IEEE_F64LE);
  H5::DataSet index = column("class_index", H5::PredType::STD_I32LE);
  if (c.writeLabels && n > 0) {
    const double duration = static_cast<double>(c.rows) / 100.0;
    std::vector<double> starts(n), ends(n);
    std::vector<int> indices(n);
    for (hsize_t i = 0; i < n; ++i) {
      starts[i] = duration * static_cast<double>(i) / static_cast<double>(n);
      ends[i] = duration * static_cast<double>(i + 1) / static_cast<double>(n);
      indices[i] = static_cast<int>(i % 2);
    }
    start.write(starts.data(), H5::PredType::NATIVE_DOUBLE);
    end.write(ends.data(), H5::PredType::NATIVE_DOUBLE);
    index.write(indices.data(), H5::PredType::NATIVE_INT);
  }
}

void unlinkObject(const fs::path& path, const std::string& object) {
  hdf5::silenceErrorStack();
  H5::H5File file(path.string(), H5F_ACC_RDWR);
  file.unlink(object);
}

void replaceWithStrings(const fs::path& path, const std::string& object) {
  hdf5::silenceErrorStack();
  H5::H5File file(path.string(), H5F_ACC_RDWR);
  file.unlink(object);
  const auto slash = object.rfind('/');
  H5::Group parent = file.openGroup(slash == 0 ? "/" : object.substr(0, slash));
  hdf5::writeStringDataset(parent, object.substr(slash + 1), {"one", "two", "three"});
}

void truncateFile(const fs::path& path, double fraction) {
  fs::resize_file(path,
                  static_cast<std::uintmax_t>(static_cast<double>(fs::file_size(path)) * fraction));
}

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

std::string restingCsv(std::size_t rows, const std::string& eol, double accScale) {
  std::string text = "time_s,ax,ay,az,gx,gy,gz,mx,my,mz" + eol;
  float row[kChannels];
  char line[256];
  for (std::size_t r = 0; r < rows; ++r) {
    restingRow(r, row);
    std::snprintf(line, sizeof line, "%.2f,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g,%.5g",
                  static_cast<double>(r) / 100.0, row[0] * accScale, row[1] * accScale,
                  row[2] * accScale, row[3], row[4], row[5], row[6], row[7], row[8]);
    text += line + eol;
  }
  return text;
}

}  // namespace imuwb::badinput
