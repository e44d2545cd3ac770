#include "session/SessionReader.hpp"

#include <H5Cpp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"
#include "io/Hdf5Support.hpp"
#include "labels/LabelsFile.hpp"
#include "session/DatasetGuard.hpp"
#include "session/ShuffledChunkDecoding.hpp"

namespace imuwb {

int SessionHeader::deviceIndex(const std::string& name) const {
  for (std::size_t i = 0; i < deviceNames.size(); ++i)
    if (deviceNames[i] == name) return static_cast<int>(i);
  return -1;
}

namespace {

constexpr const char* kRewriteFix =
    "re-create the file with `imuwb import` or `imuwb generate`, or fix it as "
    "docs/session-format.md describes";

std::string at(const std::filesystem::path& path, const std::string& object) {
  return path.string() + ":" + object;
}

std::vector<hsize_t> dimsOf(const H5::DataSet& dataset) {
  const H5::DataSpace space = dataset.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  if (!dims.empty()) space.getSimpleExtentDims(dims.data());
  return dims;
}

std::string shapeText(const std::vector<hsize_t>& dims) {
  std::string text = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? "," : "") + std::to_string(dims[i]);
  return text + "]";
}

std::string typeText(const H5::DataSet& dataset) {
  const H5::DataType type = dataset.getDataType();
  switch (type.getClass()) {
    case H5T_FLOAT:
      return "float" + std::to_string(type.getSize() * 8);
    case H5T_INTEGER:
      return "int" + std::to_string(type.getSize() * 8);
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    default:
      return "another HDF5 type";
  }
}

void requireFloat(const H5::DataSet& dataset, const std::string& where, const char* expected) {
  if (dataset.getDataType().getClass() != H5T_FLOAT)
    throw Error(where, std::string("has dtype ") + typeText(dataset) + ", expected " + expected,
                std::string("store the samples as ") + expected + " (numpy: data.astype(np." +
                    expected + "))");
}

H5::DataSet openDataset(const H5::Group& group, const std::string& name, const std::string& where,
                        bool cached) {
  if (!group.nameExists(name)) throw Error(where, "dataset is missing", kRewriteFix);
  if (group.childObjType(name) != H5O_TYPE_DATASET)
    throw Error(where, "is not a dataset", kRewriteFix);
  if (!cached) return group.openDataSet(name);
  // Chunks are ~2.4 MB (64k rows x 36 B); the default 1 MB cache would decompress a chunk
  // again for every partial read. 32 MB keeps a few chunks hot for block-wise readers.
  H5::DSetAccPropList access;
  access.setChunkCache(521, 32u << 20, 1.0);
  return group.openDataSet(name, access);
}

// The channels and units attributes must name the dataset's columns in the contract's order:
// the first channelCount of ax ay az gx gy gz mx my mz, in m/s^2, rad/s and uT.
void checkChannelAttributes(const H5::DataSet& imu, const std::string& where, int channelCount) {
  const auto count = static_cast<std::size_t>(channelCount);
  const char* expectedNames =
      count == kChannelNames.size() ? "ax ay az gx gy gz mx my mz" : "ax ay az gx gy gz";
  const auto channels = hdf5::readStringArrayAttribute(imu, "channels", where);
  if (channels.size() != count ||
      !std::equal(channels.begin(), channels.end(), kChannelNames.begin()))
    throw Error(where, std::string("channels attribute is not ") + expectedNames,
                "reorder the columns into the contract order and set attrs['channels'] to " +
                    std::string(expectedNames));
  const auto units = hdf5::readStringArrayAttribute(imu, "units", where);
  if (units.size() != count || !std::equal(units.begin(), units.end(), kChannelUnits.begin())) {
    std::string got;
    for (const auto& unit : units) got += (got.empty() ? "" : " ") + unit;
    throw Error(where,
                "units are '" + got + "', not the contract's " +
                    (count == kChannelUnits.size() ? "m/s^2 rad/s uT" : "m/s^2 rad/s"),
                "convert with `imuwb import --units ...` from CSV, or rescale the data and fix "
                "attrs['units']");
  }
}

}  // namespace

struct SessionReader::Impl {
  SessionHeader header;
  H5::H5File file;
  std::vector<H5::DataSet> imu;
  std::optional<H5::DataSet> time;
  std::size_t chunkRows = 0;
  // Per device: chunk rows when the dataset is [c,9] or [c,6] float32 LE chunks through exactly
  // shuffle+deflate, so whole chunks can be decoded on worker threads; 0 = use HDF5's path.
  std::vector<std::size_t> parallelChunkRows;
  // Size and chunk checks per imu dataset (same order as imu), and for /time.
  std::vector<std::unique_ptr<DatasetGuard>> imuGuards;
  std::unique_ptr<DatasetGuard> timeGuard;
  std::uintmax_t fileSize = 0;

  void readHeader();
  void readRootAttributes();
  // Opens and checks devices/<name>/imu; rows is the length every device must share.
  void readDevice(const H5::Group& devices, const std::string& name, std::optional<hsize_t>& rows);
  void readTimeDataset(hsize_t rows);
  void readLabels(const H5::Group& labels);
  void readSidecarLabels();
};

void SessionReader::Impl::readRootAttributes() {
  const std::string root = at(header.path, "/");
  const std::string format = hdf5::readStringAttribute(file, "format", root);
  if (format != kSessionFormatName)
    throw Error(root, "format attribute is '" + format + "', not '" + kSessionFormatName + "'",
                "this is not an imuwb session; import the recording with `imuwb import`");
  const long long version = hdf5::readIntegerAttribute(file, "format_version", root);
  if (version > kSessionFormatVersion)
    throw Error(root,
                "format_version " + std::to_string(version) +
                    " is newer than this build of imuwb reads (" +
                    std::to_string(kSessionFormatVersion) + ")",
                "update imuwb, or re-export the session with the version that wrote it");
  if (version < 1)
    throw Error(root, "format_version " + std::to_string(version) + " is not valid",
                "format_version must be 1");
  header.formatVersion = static_cast<int>(version);
  header.sampleRateHz = hdf5::readDoubleAttribute(file, "sample_rate_hz", root);
  if (!(header.sampleRateHz > 0) || !std::isfinite(header.sampleRateHz))
    throw Error(root, "sample_rate_hz must be a positive number",
                "set attrs['sample_rate_hz'] to the sampling rate in Hz");
  if (hdf5::hasAttribute(file, "start_time"))
    header.startTime = hdf5::readStringAttribute(file, "start_time", root);
  if (hdf5::hasAttribute(file, "metadata")) {
    const std::string where = root + " attribute 'metadata'";
    const std::string text = hdf5::readStringAttribute(file, "metadata", root);
    header.metadata = parseJsonBounded(text, where);  // depth-limited: no recursion bombs
    if (!header.metadata.is_object())
      throw Error(where, "is not a JSON object",
                  "store metadata as a JSON object string (json.dumps(dict))");
  }
}

void SessionReader::Impl::readHeader() {
  const auto& path = header.path;
  readRootAttributes();
  if (!file.nameExists("devices") || file.childObjType("devices") != H5O_TYPE_GROUP)
    throw Error(at(path, "/devices"), "group is missing", kRewriteFix);
  const H5::Group devices = file.openGroup("devices");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < devices.getNumObjs(); ++i) names.push_back(devices.getObjnameByIdx(i));
  std::sort(names.begin(), names.end());
  if (names.empty()) throw Error(at(path, "/devices"), "holds no device", "add devices/<name>/imu");

  std::optional<hsize_t> rows;
  for (const auto& name : names) readDevice(devices, name, rows);
  header.sampleCount = static_cast<std::size_t>(*rows);
  if (chunkRows == 0) chunkRows = 65536;
  if (file.nameExists("time")) readTimeDataset(*rows);
  if (header.sampleCount > 0) {
    header.lastTime_s = static_cast<double>(header.sampleCount - 1) / header.sampleRateHz;
    if (time) {
      auto at = [&](hsize_t row) {
        double value = 0;
        timeGuard->verifyRows(row, 1);
        H5::DataSpace fileSpace = time->getSpace();
        const hsize_t one = 1;
        fileSpace.selectHyperslab(H5S_SELECT_SET, &one, &row);
        H5::DataSpace memorySpace(1, &one);
        time->read(&value, H5::PredType::NATIVE_DOUBLE, memorySpace, fileSpace);
        return value;
      };
      header.firstTime_s = at(0);
      header.lastTime_s = at(header.sampleCount - 1);
    }
  }
  if (file.nameExists("labels")) {
    if (file.childObjType("labels") != H5O_TYPE_GROUP)
      throw Error(at(path, "/labels"), "is not a group", kRewriteFix);
    readLabels(file.openGroup("labels"));
  }
}

void SessionReader::Impl::readDevice(const H5::Group& devices, const std::string& name,
                                     std::optional<hsize_t>& rows) {
  const auto& path = header.path;
  const std::string groupWhere = at(path, "/devices/" + name);
  if (devices.childObjType(name) != H5O_TYPE_GROUP)
    throw Error(groupWhere, "is not a group", "each device is a group holding an 'imu' dataset");
  const H5::Group device = devices.openGroup(name);
  const std::string where = groupWhere + "/imu";
  H5::DataSet imu = openDataset(device, "imu", where, true);
  requireFloat(imu, where, "float32");
  const auto dims = dimsOf(imu);
  if (dims.size() != 2 || !isDeviceChannelCount(static_cast<long long>(dims[1])))
    throw Error(where, "has shape " + shapeText(dims) + ", expected [N,9] or [N,6]",
                "store ax ay az gx gy gz mx my mz as an [N,9] array, or ax ay az gx gy gz as "
                "[N,6] for a device without a magnetometer");
  const int channelCount = static_cast<int>(dims[1]);
  if (rows && *rows != dims[0])
    throw Error(where,
                "has " + std::to_string(dims[0]) + " rows but '" + header.deviceNames.front() +
                    "' has " + std::to_string(*rows),
                "devices share one clock; resample or trim them to the same length");
  rows = dims[0];
  const auto maxRows = limits::value(limits::kSessionRows);
  if (dims[0] > maxRows)
    throw Error(where,
                "declares " + std::to_string(dims[0]) + " rows, over the session_rows limit of " +
                    std::to_string(maxRows),
                "split the recording, or raise the limit with IMUWB_LIMIT_SESSION_ROWS=N");
  imuGuards.push_back(std::make_unique<DatasetGuard>(imu, where, fileSize));
  checkChannelAttributes(imu, where, channelCount);
  const H5::DSetCreatPropList creation = imu.getCreatePlist();
  if (creation.getLayout() == H5D_CHUNKED) {
    hsize_t chunk[2] = {0, 0};
    creation.getChunk(2, chunk);
    chunkRows = std::max<std::size_t>(chunkRows, chunk[0]);
  }
  header.deviceNames.push_back(name);
  header.deviceChannels.push_back(channelCount);
  parallelChunkRows.push_back(parallelDecodeChunkRows(imu));
  this->imu.push_back(std::move(imu));
}

void SessionReader::Impl::readTimeDataset(hsize_t rows) {
  const std::string where = at(header.path, "/time");
  H5::DataSet dataset = openDataset(file, "time", where, true);
  requireFloat(dataset, where, "float64");
  const auto dims = dimsOf(dataset);
  if (dims.size() != 1 || dims[0] != rows)
    throw Error(where, "has shape " + shapeText(dims) + ", expected [" + std::to_string(rows) + "]",
                "store one timestamp in seconds per row, or remove /time to use "
                "sample_rate_hz");
  timeGuard = std::make_unique<DatasetGuard>(dataset, where, fileSize);
  time = std::move(dataset);
  header.hasExplicitTime = true;
}

void SessionReader::Impl::readLabels(const H5::Group& labels) {
  const auto& path = header.path;
  const std::string classesWhere = at(path, "/labels/classes");
  const auto maxIntervals = limits::value(limits::kLabelIntervals);
  // Label datasets are read whole, so their declared length is checked before anything is
  // allocated for them.
  auto checkLength = [&](const H5::DataSet& dataset, const std::string& where) {
    const auto dims = dimsOf(dataset);
    if (dims.size() != 1) throw Error(where, "must be 1-D", kRewriteFix);
    if (dims[0] > maxIntervals)
      throw Error(where,
                  "declares " + std::to_string(dims[0]) +
                      " entries, over the label_intervals limit of " + std::to_string(maxIntervals),
                  "merge intervals, or raise the limit with IMUWB_LIMIT_LABEL_INTERVALS=N");
    DatasetGuard guard(dataset, where, fileSize);
    guard.verifyRows(0, dims[0]);
  };
  const H5::DataSet classes = openDataset(labels, "classes", classesWhere, false);
  if (classes.getDataType().getClass() == H5T_STRING) checkLength(classes, classesWhere);
  header.classes = hdf5::readStringDataset(classes, classesWhere);
  auto readColumn = [&](const std::string& name, bool integer) {
    const std::string where = at(path, "/labels/" + name);
    const H5::DataSet dataset = openDataset(labels, name, where, false);
    const auto cls = dataset.getDataType().getClass();
    if (integer ? cls != H5T_INTEGER : cls != H5T_FLOAT)
      throw Error(
          where,
          "has dtype " + typeText(dataset) + ", expected " + (integer ? "an integer" : "float64"),
          kRewriteFix);
    checkLength(dataset, where);
    const auto dims = dimsOf(dataset);
    std::vector<double> values(dims[0]);
    if (!values.empty()) dataset.read(values.data(), H5::PredType::NATIVE_DOUBLE);
    return values;
  };
  const auto start = readColumn("start_s", false);
  const auto end = readColumn("end_s", false);
  const auto index = readColumn("class_index", true);
  if (start.size() != end.size() || start.size() != index.size())
    throw Error(at(path, "/labels"),
                "start_s, end_s and class_index have different lengths (" +
                    std::to_string(start.size()) + ", " + std::to_string(end.size()) + ", " +
                    std::to_string(index.size()) + ")",
                "write one entry per interval in each");
  for (std::size_t i = 0; i < start.size(); ++i) {
    if (index[i] < 0 || index[i] >= static_cast<double>(header.classes.size()))
      throw Error(at(path, "/labels/class_index[" + std::to_string(i) + "]"),
                  "is " + std::to_string(static_cast<long long>(index[i])) + " but there are " +
                      std::to_string(header.classes.size()) + " classes",
                  "class_index indexes /labels/classes (0-based)");
    header.labels.push_back(
        {start[i], end[i], header.classes[static_cast<std::size_t>(index[i])], {}});
  }
  if (labels.nameExists("note")) {  // optional: one note per interval
    const std::string where = at(path, "/labels/note");
    const H5::DataSet dataset = openDataset(labels, "note", where, false);
    checkLength(dataset, where);
    auto notes = hdf5::readStringDataset(dataset, where);
    if (notes.size() != header.labels.size())
      throw Error(where,
                  "has " + std::to_string(notes.size()) + " notes for " +
                      std::to_string(header.labels.size()) + " intervals",
                  "write one note (maybe empty) per interval");
    for (std::size_t i = 0; i < notes.size(); ++i) header.labels[i].note = std::move(notes[i]);
  }
}

// The side-car labels file beside the session replaces the embedded labels (LabelStore.hpp).
void SessionReader::Impl::readSidecarLabels() {
  header.embeddedLabels = {header.classes, header.labels};
  const auto sidecar = labelsSidecarPath(header.path);
  std::error_code error;
  if (!std::filesystem::exists(sidecar, error)) return;
  const LabelsDocument document = readLabelsFile(sidecar);
  header.classes = document.current.labels.classes;
  header.labels = document.current.labels.intervals;
  header.labelsFile = sidecar;
  header.labelsRevision = document.current.revision;
}

SessionReader SessionReader::open(const std::filesystem::path& path) {
  hdf5::silenceErrorStack();
  requireRegularFile(path, "session");  // a FIFO or /dev/zero would block or never end
  std::error_code ec;
  const auto fileSize = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path.string(), "cannot read its size: " + ec.message(), "check permissions");
  const bool isHdf5 = hdf5::guarded(path.string(), "cannot read the file", "check permissions",
                                    [&] { return H5::H5File::isHdf5(path.string()); });
  if (!isHdf5)
    throw Error(path.string(), "is not an HDF5 file",
                "sessions are HDF5 (.h5); convert CSV or sidecar JSON with `imuwb import`");
  auto impl = std::make_unique<Impl>();
  impl->header.path = path;
  impl->fileSize = fileSize;
  hdf5::guarded(path.string(), "cannot open the session: the file is truncated or corrupt",
                "re-copy the file from its source, or re-create it with `imuwb import`/`generate`",
                [&] {
                  impl->file.openFile(path.string(), H5F_ACC_RDONLY);
                  impl->readHeader();
                });
  impl->readSidecarLabels();
  return SessionReader(std::move(impl));
}

SessionReader::SessionReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SessionReader::SessionReader(SessionReader&&) noexcept = default;
SessionReader& SessionReader::operator=(SessionReader&&) noexcept = default;
SessionReader::~SessionReader() = default;

const SessionHeader& SessionReader::header() const {
  return impl_->header;
}
std::size_t SessionReader::chunkRows() const {
  return impl_->chunkRows;
}

void SessionReader::readRows(std::size_t deviceIndex, std::size_t firstRow, std::size_t rowCount,
                             float* out) const {
  const auto& header = impl_->header;
  if (deviceIndex >= impl_->imu.size())
    throw Error(at(header.path, "/devices"), "no device #" + std::to_string(deviceIndex),
                "the session has " + std::to_string(impl_->imu.size()) + " devices");
  const std::string where = at(header.path, "/devices/" + header.deviceNames[deviceIndex] + "/imu");
  if (firstRow > header.sampleCount || rowCount > header.sampleCount - firstRow)
    throw Error(where,
                "rows " + std::to_string(firstRow) + "+" + std::to_string(rowCount) +
                    " are outside the " + std::to_string(header.sampleCount) + " rows",
                "read within [0, sampleCount)");
  if (rowCount == 0) return;
  const H5::DataSet& dataset = impl_->imu[deviceIndex];
  const int channels = header.deviceChannels[deviceIndex];
  const std::string problem = "cannot read rows " + std::to_string(firstRow) + ".." +
                              std::to_string(firstRow + rowCount) +
                              ": the data is corrupt or truncated";
  const std::string fix = "re-copy the file from its source";
  DatasetGuard& guard = *impl_->imuGuards[deviceIndex];
  auto readThroughHdf5 = [&](std::size_t first, std::size_t count) {
    if (count == 0) return;
    // HDF5's filter pipeline reads past its buffer when a chunk inflates short: it only ever
    // sees chunks the guard has decoded to exactly one chunk's bytes.
    guard.verifyRows(first, count);
    hdf5::guarded(where, problem, fix, [&] {
      H5::DataSpace fileSpace = dataset.getSpace();
      const hsize_t offset[2] = {first, 0};
      const hsize_t size[2] = {count, static_cast<hsize_t>(channels)};
      fileSpace.selectHyperslab(H5S_SELECT_SET, size, offset);
      H5::DataSpace memorySpace(2, size);
      dataset.read(out + (first - firstRow) * channels, H5::PredType::NATIVE_FLOAT, memorySpace,
                   fileSpace);
    });
  };
  // Requests spanning several whole chunks: read the compressed chunks, decode them in
  // parallel (HDF5's own filter pipeline runs on one thread). Edges go through HDF5.
  const std::size_t chunk = impl_->parallelChunkRows[deviceIndex];
  const std::size_t firstWhole = chunk ? (firstRow + chunk - 1) / chunk : 0;
  const std::size_t endWhole = chunk ? (firstRow + rowCount) / chunk : 0;
  if (chunk == 0 || endWhole < firstWhole + 2) return readThroughHdf5(firstRow, rowCount);
  readThroughHdf5(firstRow, firstWhole * chunk - firstRow);
  readThroughHdf5(endWhole * chunk, firstRow + rowCount - endWhole * chunk);
  const std::size_t batch = std::max(2u, std::thread::hardware_concurrency());
  for (std::size_t k0 = firstWhole; k0 < endWhole; k0 += batch) {
    const std::size_t k1 = std::min(endWhole, k0 + batch);
    std::vector<std::vector<unsigned char>> raw(k1 - k0);
    std::vector<bool> stored(k1 - k0, false);
    hdf5::guarded(where, problem, fix, [&] {
      for (std::size_t k = k0; k < k1; ++k) {
        std::uint32_t mask = 0;
        raw[k - k0] = guard.readStoredChunk(k, mask);  // sizes checked before allocating
        // Not stored (fill value) or a skipped filter: the checked HDF5 path decodes it.
        stored[k - k0] = !raw[k - k0].empty() && mask == 0;
      }
    });
    std::vector<std::future<bool>> decoded;
    for (std::size_t k = k0; k < k1; ++k)
      decoded.push_back(std::async(std::launch::async, [&, k] {
        return stored[k - k0] &&
               decodeChunk(raw[k - k0], chunk, channels, out + (k * chunk - firstRow) * channels);
      }));
    // A chunk the fast decoder rejects goes to the checked path, which names what is wrong.
    for (std::size_t k = k0; k < k1; ++k) {
      if (decoded[k - k0].get())
        guard.markVerified(k);
      else
        readThroughHdf5(k * chunk, chunk);
    }
  }
}

std::vector<float> SessionReader::readRows(std::size_t deviceIndex, std::size_t firstRow,
                                           std::size_t rowCount) const {
  const auto& channels = impl_->header.deviceChannels;
  const int width = deviceIndex < channels.size() ? channels[deviceIndex] : kChannelCount;
  std::vector<float> out(rowCount * static_cast<std::size_t>(width));
  readRows(deviceIndex, firstRow, rowCount, out.data());
  return out;
}

std::vector<double> SessionReader::readTime(std::size_t firstRow, std::size_t rowCount) const {
  const auto& header = impl_->header;
  const std::string where = at(header.path, "/time");
  if (firstRow > header.sampleCount || rowCount > header.sampleCount - firstRow)
    throw Error(where, "rows outside the " + std::to_string(header.sampleCount) + " rows",
                "read within [0, sampleCount)");
  std::vector<double> out(rowCount);
  if (!impl_->time) {
    for (std::size_t i = 0; i < rowCount; ++i)
      out[i] = static_cast<double>(firstRow + i) / header.sampleRateHz;
    return out;
  }
  if (rowCount == 0) return out;
  impl_->timeGuard->verifyRows(firstRow, rowCount);
  hdf5::guarded(where, "cannot read timestamps: the data is corrupt or truncated",
                "re-copy the file from its source", [&] {
                  H5::DataSpace fileSpace = impl_->time->getSpace();
                  const hsize_t offset = firstRow;
                  const hsize_t count = rowCount;
                  fileSpace.selectHyperslab(H5S_SELECT_SET, &count, &offset);
                  H5::DataSpace memorySpace(1, &count);
                  impl_->time->read(out.data(), H5::PredType::NATIVE_DOUBLE, memorySpace,
                                    fileSpace);
                });
  return out;
}

}  // namespace imuwb
