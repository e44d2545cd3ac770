#include <H5Cpp.h>

#include <libdeflate.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <deque>
#include <future>
#include <memory>
#include <optional>
#include <set>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "io/Hdf5Discard.hpp"
#include "io/Hdf5Support.hpp"
#include "session/LabelsHdf5.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"

namespace imuwb {
namespace {

void checkDeviceName(const std::string& name, const std::string& where) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw Error(where, "device name '" + name + "' cannot be an HDF5 group name",
                "use a short name without '/' such as collar or harness");
}

// Groups without modification times, so the same session always gives the same bytes.
H5::Group createGroup(const H5::Group& parent, const std::string& name) {
  H5::PropList groupCreation(H5Pcreate(H5P_GROUP_CREATE));
  H5Pset_obj_track_times(groupCreation.getId(), false);
  const hid_t id =
      H5Gcreate2(parent.getId(), name.c_str(), H5P_DEFAULT, groupCreation.getId(), H5P_DEFAULT);
  if (id < 0) throw H5::GroupIException("createGroup", "cannot create group '" + name + "'");
  H5::Group group(id);
  H5Gclose(id);  // H5::Group(id) took its own reference
  return group;
}

// Shuffle (byte planes, as HDF5's shuffle filter) then zlib (as HDF5's deflate filter).
std::vector<unsigned char> shuffleBytes(const unsigned char* data, std::size_t bytes,
                                        std::size_t elementSize) {
  std::vector<unsigned char> out(bytes);
  const std::size_t count = bytes / elementSize;
  for (std::size_t b = 0; b < elementSize; ++b) {
    unsigned char* plane = out.data() + b * count;
    for (std::size_t i = 0; i < count; ++i) plane[i] = data[i * elementSize + b];
  }
  return out;
}

// libdeflate's zlib stream (the format HDF5's deflate filter reads) at the same level: faster
// than zlib's compress2 (bench_session_io), and compression is most of the cost of a write.
// One compressor per thread and level: allocating one costs more than a small chunk.
std::vector<unsigned char> deflateBytes(const std::vector<unsigned char>& input, int level) {
  using Compressor = std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)>;
  thread_local std::vector<std::pair<int, Compressor>> compressors;
  libdeflate_compressor* compressor = nullptr;
  for (auto& [l, c] : compressors)
    if (l == level) compressor = c.get();
  if (!compressor) {
    compressors.emplace_back(
        level, Compressor(libdeflate_alloc_compressor(level), &libdeflate_free_compressor));
    compressor = compressors.back().second.get();
  }
  if (!compressor) throw Error("libdeflate", "cannot allocate a compressor", "check free memory");
  std::vector<unsigned char> out(libdeflate_zlib_compress_bound(compressor, input.size()));
  const std::size_t size =
      libdeflate_zlib_compress(compressor, input.data(), input.size(), out.data(), out.size());
  if (size == 0) throw Error("libdeflate", "compressing a chunk failed", "check free memory");
  out.resize(size);
  return out;
}

// An extendible, chunked, shuffled+gzipped dataset that is only ever written in whole chunks
// (buffering the tail), so no chunk is compressed twice. Whole chunks are shuffled and
// compressed on worker threads and stored with H5Dwrite_chunk (HDF5's own filters are
// single-threaded, and compression is most of the cost of writing); the byte stream is
// exactly what the shuffle+deflate filter pipeline would produce, so any reader decodes it.
class ChunkedAppender {
 public:
  ChunkedAppender(H5::Group& parent, const std::string& name, const H5::PredType& fileType,
                  const H5::PredType& memoryType, std::size_t width, std::size_t chunkRows,
                  int gzipLevel, std::size_t elementSize)
      : memoryType_(memoryType),
        width_(width),
        chunkRows_(chunkRows),
        elementSize_(elementSize),
        gzipLevel_(gzipLevel) {
    const int rank = width > 1 ? 2 : 1;
    const hsize_t initial[2] = {0, width};
    const hsize_t maximum[2] = {H5S_UNLIMITED, width};
    const hsize_t chunk[2] = {chunkRows, width};
    H5::DataSpace space(rank, initial, maximum);
    H5::DSetCreatPropList creation;
    creation.setChunk(rank, chunk);
    H5Pset_obj_track_times(creation.getId(), false);  // byte-reproducible files
    if (gzipLevel > 0) {
      creation.setShuffle();
      creation.setDeflate(static_cast<unsigned>(gzipLevel));
    }
    dataset_ = parent.createDataSet(name, fileType, space, creation);
    buffer_.reserve(chunkRows * width * elementSize);
    // Direct chunk writes need the file's byte order in memory (little-endian files).
    direct_ = gzipLevel > 0 && std::endian::native == std::endian::little;
  }
  ~ChunkedAppender() {
    for (auto& chunk : pending_)
      if (chunk.bytes.valid()) chunk.bytes.wait();
  }

  H5::DataSet& dataset() { return dataset_; }
  std::size_t rows() const { return written_ + buffered(); }

  void append(const void* data, std::size_t rowCount) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    const std::size_t rowBytes = width_ * elementSize_;
    while (rowCount > 0) {
      // Fast path: nothing buffered and at least a whole chunk available: write directly.
      if (buffer_.empty() && rowCount >= chunkRows_) {
        const std::size_t whole = rowCount / chunkRows_ * chunkRows_;
        writeWhole(bytes, whole);
        bytes += whole * rowBytes;
        rowCount -= whole;
        continue;
      }
      const std::size_t take = std::min(rowCount, chunkRows_ - buffered());
      buffer_.insert(buffer_.end(), bytes, bytes + take * rowBytes);
      bytes += take * rowBytes;
      rowCount -= take;
      if (buffered() == chunkRows_) {
        writeWhole(buffer_.data(), chunkRows_);
        buffer_.clear();
      }
    }
  }

  // Writes the buffered tail (a partial chunk) and waits for every chunk in flight.
  void flush() {
    if (!buffer_.empty()) {
      write(buffer_.data(), buffered());
      buffer_.clear();
    }
    drain(0);
  }

 private:
  struct PendingChunk {
    hsize_t row;
    std::future<std::vector<unsigned char>> bytes;
  };

  std::size_t buffered() const { return buffer_.size() / (width_ * elementSize_); }

  void writeWhole(const unsigned char* data, std::size_t rowCount) {
    if (!direct_ || written_ % chunkRows_ != 0) return write(data, rowCount);
    const hsize_t newSize[2] = {written_ + rowCount, width_};
    dataset_.extend(newSize);
    const std::size_t chunkBytes = chunkRows_ * width_ * elementSize_;
    for (std::size_t first = 0; first < rowCount; first += chunkRows_) {
      auto shuffled = std::make_shared<std::vector<unsigned char>>(
          shuffleBytes(data + first * width_ * elementSize_, chunkBytes, elementSize_));
      const int level = gzipLevel_;
      pending_.push_back({written_ + first, std::async(std::launch::async, [shuffled, level] {
                            return deflateBytes(*shuffled, level);
                          })});
      drain(2);  // at most two chunks compressing per dataset, in order
    }
    written_ += rowCount;
  }

  void drain(std::size_t keep) {
    while (pending_.size() > keep) {
      PendingChunk chunk = std::move(pending_.front());
      pending_.pop_front();
      const std::vector<unsigned char> bytes = chunk.bytes.get();
      const hsize_t offset[2] = {chunk.row, 0};
      if (H5Dwrite_chunk(dataset_.getId(), H5P_DEFAULT, 0, offset, bytes.size(), bytes.data()) < 0)
        throw H5::DataSetIException("H5Dwrite_chunk", "writing a compressed chunk failed");
    }
  }

  void write(const void* data, std::size_t rowCount) {
    drain(0);
    const int rank = width_ > 1 ? 2 : 1;
    const hsize_t newSize[2] = {written_ + rowCount, width_};
    dataset_.extend(newSize);
    H5::DataSpace fileSpace = dataset_.getSpace();
    const hsize_t offset[2] = {written_, 0};
    const hsize_t count[2] = {rowCount, width_};
    fileSpace.selectHyperslab(H5S_SELECT_SET, count, offset);
    H5::DataSpace memorySpace(rank, count);
    dataset_.write(data, memoryType_, memorySpace, fileSpace);
    written_ += rowCount;
  }

  H5::DataSet dataset_;
  H5::PredType memoryType_;
  std::size_t width_;
  std::size_t chunkRows_;
  std::size_t elementSize_;
  int gzipLevel_;
  bool direct_ = false;
  std::size_t written_ = 0;
  std::vector<unsigned char> buffer_;
  std::deque<PendingChunk> pending_;
};

}  // namespace

struct SessionWriter::Impl {
  std::filesystem::path target;
  std::optional<TemporaryFile> temp;  // declared before file: removed only after it is closed
  SessionWriterOptions options;
  std::unique_ptr<H5::H5File> file;
  std::vector<std::unique_ptr<ChunkedAppender>> devices;
  std::unique_ptr<ChunkedAppender> time;
  std::vector<std::string> classes;
  std::vector<LabelInterval> labels;
  bool finished = false;

  std::string where() const { return target.string(); }

  // Throws the unfinished file away: its remaining writes go to memory (so closing cannot fail
  // on a full disk), every HDF5 handle is closed exactly once (Hdf5Discard.hpp explains the
  // crash a second close caused), and the temporary file is removed. Safe to call twice.
  void abandon() noexcept {
    if (file) hdf5::divertWritesToMemory(*file);
    try {
      devices.clear();
      time.reset();
    } catch (...) {
    }
    hdf5::closeDiscarded(file);
    if (temp) temp->discard();
  }

  // Runs an HDF5 write; on failure the file is abandoned and the error names a full disk or a
  // failing device as such.
  template <class Body>
  void write(const std::string& place, const std::string& problem, Body&& body) {
    try {
      hdf5::guarded(place, problem, "check free space", std::forward<Body>(body));
    } catch (...) {
      const int error = errno;
      abandon();
      rethrowNamingStorageFailure(target, error);
    }
  }
};

SessionWriter SessionWriter::create(const std::filesystem::path& target,
                                    SessionWriterOptions options) {
  hdf5::silenceErrorStack();
  const std::string where = target.string();
  if (options.deviceNames.empty())
    throw Error(where, "a session needs at least one device", "name the devices to write");
  std::set<std::string> unique;
  for (const auto& name : options.deviceNames) {
    checkDeviceName(name, where);
    if (!unique.insert(name).second)
      throw Error(where, "device '" + name + "' is listed twice", "give every device its own name");
  }
  if (!(options.sampleRateHz > 0) || !std::isfinite(options.sampleRateHz))
    throw Error(where, "sample rate must be positive", "pass the rate in Hz");
  if (!options.deviceChannels.empty() &&
      options.deviceChannels.size() != options.deviceNames.size())
    throw Error(where, "deviceChannels names a channel count for some devices only",
                "give one count (9, or 6 without a magnetometer) per device");
  for (int channels : options.deviceChannels)
    if (!isDeviceChannelCount(channels))
      throw Error(where, "a device cannot have " + std::to_string(channels) + " channels",
                  "devices have 9 channels, or 6 without a magnetometer");
  if (options.chunkRows == 0) options.chunkRows = 65536;
  options.gzipLevel = std::clamp(options.gzipLevel, 0, 9);
  const auto directory =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(directory))
    throw Error(where, "the folder to write into does not exist",
                "create '" + directory.string() + "' first or choose another output path");
  if (!options.overwrite && std::filesystem::exists(target))
    throw Error(where, "already exists", "choose another output path or pass --force");

  auto impl = std::make_unique<Impl>();
  impl->target = target;
  impl->temp.emplace(target);
  impl->options = std::move(options);
  impl->write(where, "cannot create the session file", [&] {
    auto& opts = impl->options;
    H5::FileCreatPropList fileCreation;
    H5Pset_obj_track_times(fileCreation.getId(), false);
    impl->file =
        std::make_unique<H5::H5File>(impl->temp->path().string(), H5F_ACC_TRUNC, fileCreation);
    H5::H5File& file = *impl->file;
    hdf5::writeStringAttribute(file, "format", kSessionFormatName);
    hdf5::writeIntegerAttribute(file, "format_version", kSessionFormatVersion);
    hdf5::writeDoubleAttribute(file, "sample_rate_hz", opts.sampleRateHz);
    hdf5::writeStringAttribute(file, "start_time", opts.startTime);
    hdf5::writeStringAttribute(file, "metadata", opts.metadata.dump());
    H5::Group devices = createGroup(file, "devices");
    const auto widths = writerDeviceChannels(opts);
    for (std::size_t d = 0; d < opts.deviceNames.size(); ++d) {
      H5::Group device = createGroup(devices, opts.deviceNames[d]);
      const auto width = static_cast<std::size_t>(widths[d]);
      const std::vector<std::string> names(kChannelNames.begin(), kChannelNames.begin() + width);
      const std::vector<std::string> units(kChannelUnits.begin(), kChannelUnits.begin() + width);
      auto appender = std::make_unique<ChunkedAppender>(
          device, "imu", H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT, width,
          opts.chunkRows, opts.gzipLevel, sizeof(float));
      hdf5::writeStringArrayAttribute(appender->dataset(), "channels", names);
      hdf5::writeStringArrayAttribute(appender->dataset(), "units", units);
      impl->devices.push_back(std::move(appender));
    }
    if (opts.explicitTime) {
      impl->time = std::make_unique<ChunkedAppender>(file, "time", H5::PredType::IEEE_F64LE,
                                                     H5::PredType::NATIVE_DOUBLE, 1, opts.chunkRows,
                                                     opts.gzipLevel, sizeof(double));
      hdf5::writeStringAttribute(impl->time->dataset(), "unit", "s");
    }
  });
  return SessionWriter(std::move(impl));
}

SessionWriter::SessionWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SessionWriter::SessionWriter(SessionWriter&&) noexcept = default;
SessionWriter& SessionWriter::operator=(SessionWriter&& other) noexcept {
  if (this != &other) {
    if (impl_ && !impl_->finished) impl_->abandon();
    impl_ = std::move(other.impl_);
  }
  return *this;
}
SessionWriter::~SessionWriter() {
  if (impl_ && !impl_->finished) impl_->abandon();
}

std::vector<int> writerDeviceChannels(const SessionWriterOptions& options) {
  if (!options.deviceChannels.empty()) return options.deviceChannels;
  return std::vector<int>(options.deviceNames.size(), kChannelCount);
}

int SessionWriter::channelCount(std::size_t deviceIndex) const {
  return writerDeviceChannels(impl_->options).at(deviceIndex);
}

void SessionWriter::appendRows(std::size_t deviceIndex, const float* rows, std::size_t rowCount) {
  if (!impl_ || impl_->finished || !impl_->file)
    throw Error("SessionWriter", "appendRows after finish or failure", "create a new writer");
  if (deviceIndex >= impl_->devices.size())
    throw Error(impl_->where(), "no device #" + std::to_string(deviceIndex),
                "the writer has " + std::to_string(impl_->devices.size()) + " devices");
  impl_->write(impl_->where() + ":/devices/" + impl_->options.deviceNames[deviceIndex] + "/imu",
               "cannot write samples",
               [&] { impl_->devices[deviceIndex]->append(rows, rowCount); });
}

void SessionWriter::appendTime(const double* time_s, std::size_t count) {
  if (!impl_ || impl_->finished || !impl_->file)
    throw Error("SessionWriter", "appendTime after finish or failure", "create a new writer");
  if (!impl_->time)
    throw Error(impl_->where(), "appendTime on a writer without explicit time",
                "set SessionWriterOptions::explicitTime");
  impl_->write(impl_->where() + ":/time", "cannot write timestamps",
               [&] { impl_->time->append(time_s, count); });
}

void SessionWriter::setLabels(std::vector<std::string> classes, std::vector<LabelInterval> labels) {
  for (const auto& label : labels)
    if (std::find(classes.begin(), classes.end(), label.label) == classes.end())
      throw Error(impl_->where() + ":/labels",
                  "label '" + label.label + "' is not in the class list", "add it to the classes");
  impl_->classes = std::move(classes);
  impl_->labels = std::move(labels);
}

std::size_t SessionWriter::rowsWritten(std::size_t deviceIndex) const {
  return impl_->devices.at(deviceIndex)->rows();
}

void SessionWriter::finish() {
  if (!impl_ || impl_->finished || !impl_->file)
    throw Error("SessionWriter", "finish called twice or after a failure", "create a new writer");
  auto& impl = *impl_;
  try {
    const std::size_t rows = impl.devices.front()->rows();
    for (std::size_t i = 0; i < impl.devices.size(); ++i)
      if (impl.devices[i]->rows() != rows)
        throw Error(impl.where(),
                    "device '" + impl.options.deviceNames[i] + "' got " +
                        std::to_string(impl.devices[i]->rows()) + " rows, '" +
                        impl.options.deviceNames.front() + "' got " + std::to_string(rows),
                    "devices share one clock: write the same number of rows for each");
    if (impl.time && impl.time->rows() != rows)
      throw Error(impl.where(),
                  "got " + std::to_string(impl.time->rows()) + " timestamps for " +
                      std::to_string(rows) + " rows",
                  "write one timestamp per row");
    hdf5::guarded(impl.where(), "cannot finish the session file", "check free space", [&] {
      for (auto& device : impl.devices) device->flush();
      if (impl.time) impl.time->flush();
      if (!impl.classes.empty() || !impl.labels.empty())
        writeLabelsGroup(impl.file->getId(), LabelSet{impl.classes, impl.labels});
      impl.devices.clear();
      impl.time.reset();
      hdf5::closeOnce(impl.file);
    });
    impl.temp->commit();  // fsync + rename; names a full disk
    impl.finished = true;
  } catch (...) {
    const int error = errno;
    impl.abandon();
    impl.finished = true;  // nothing more to clean up
    rethrowNamingStorageFailure(impl.target, error);
  }
}

}  // namespace imuwb
