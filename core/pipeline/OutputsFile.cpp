#include "pipeline/OutputsFile.hpp"

#include <array>

#include <H5Cpp.h>

#include <cerrno>
#include <exception>
#include <map>
#include <optional>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "io/Hdf5AttributeGuard.hpp"
#include "io/Hdf5Discard.hpp"
#include "io/Hdf5Support.hpp"

namespace imuwb {
namespace fs = std::filesystem;
namespace {

// The shape of an outputs dataset: rank 1 or 2 (a hostile file may claim any rank, and the
// dims land in a fixed array) and at most the tensor_elements limit, checked before anything
// is allocated for it.
std::array<hsize_t, 2> checkedDims(const H5::DataSet& dataset, const std::string& where) {
  const H5::DataSpace space = dataset.getSpace();
  const int rank = space.getSimpleExtentNdims();
  if (rank < 1 || rank > 2)
    throw Error(where, "has rank " + std::to_string(rank) + ", expected [W] or [W, D]",
                "rewrite the file with imuwb run");
  std::array<hsize_t, 2> dims = {0, 1};
  space.getSimpleExtentDims(dims.data());
  const auto limit = limits::value(limits::kTensorElements);
  if (dims[1] != 0 && dims[0] > limit / dims[1])
    throw Error(where,
                "declares " + std::to_string(dims[0]) + " x " + std::to_string(dims[1]) +
                    " values, over the tensor_elements limit of " + std::to_string(limit),
                "rewrite the file with imuwb run, or raise IMUWB_LIMIT_TENSOR_ELEMENTS");
  return dims;
}

constexpr hsize_t kChunkRows = 1024;

// A [rows, width] dataset growing along rows.
class Appender {
 public:
  Appender(H5::Group& parent, const std::string& name, const H5::PredType& fileType,
           const H5::PredType& memoryType, std::size_t width)
      : memoryType_(memoryType), width_(width) {
    const int rank = width == 0 ? 1 : 2;
    hsize_t initial[2] = {0, width};
    hsize_t maximum[2] = {H5S_UNLIMITED, width};
    hsize_t chunk[2] = {kChunkRows, std::max<hsize_t>(width, 1)};
    H5::DataSpace space(rank, initial, maximum);
    H5::DSetCreatPropList creation;
    creation.setChunk(rank, chunk);
    creation.setShuffle();
    creation.setDeflate(1);
    dataset_ = parent.createDataSet(name, fileType, space, creation);
  }
  void append(const void* values, std::size_t rows) {
    if (rows == 0) return;
    const int rank = width_ == 0 ? 1 : 2;
    hsize_t size[2] = {rows_ + rows, width_};
    dataset_.extend(size);
    H5::DataSpace fileSpace = dataset_.getSpace();
    hsize_t start[2] = {rows_, 0};
    hsize_t count[2] = {rows, width_};
    fileSpace.selectHyperslab(H5S_SELECT_SET, count, start);
    H5::DataSpace memorySpace(rank, count);
    dataset_.write(values, memoryType_, memorySpace, fileSpace);
    rows_ += rows;
  }
  std::size_t rows() const { return rows_; }
  H5::DataSet& dataset() { return dataset_; }
  void close() { hdf5::closeOnce(dataset_); }  // throws when the close failed

 private:
  H5::DataSet dataset_;
  H5::PredType memoryType_;
  std::size_t width_;
  std::size_t rows_ = 0;
};

void writeJsonAttribute(H5::H5Object& object, const std::string& name,
                        const nlohmann::json& value) {
  if (value.is_string())
    hdf5::writeStringAttribute(object, name, value.get<std::string>());
  else if (value.is_number_integer() || value.is_boolean())
    hdf5::writeIntegerAttribute(object, name,
                                value.is_boolean() ? value.get<bool>() : value.get<long long>());
  else if (value.is_number())
    hdf5::writeDoubleAttribute(object, name, value.get<double>());
  else if (value.is_array() && !value.empty() && value[0].is_string())
    hdf5::writeStringArrayAttribute(object, name, value.get<std::vector<std::string>>());
  else
    hdf5::writeStringAttribute(
        object, name, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

H5::Group openOrCreateGroups(H5::Group root, const std::string& path) {
  H5::Group group = root;
  std::size_t begin = 0;
  while (begin < path.size()) {
    const auto end = path.find('/', begin);
    const std::string part =
        path.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!part.empty())
      group = group.nameExists(part) ? group.openGroup(part) : group.createGroup(part);
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return group;
}

}  // namespace

struct OutputsWriter::Impl {
  fs::path target;
  std::optional<TemporaryFile> temp;  // declared before file: removed only after it is closed
  std::unique_ptr<H5::H5File> file;
  std::optional<Appender> startIndex, startTime, label;
  std::map<std::string, Appender> columns;  // "backend/path"
  bool finished = false;

  // Closes every dataset once, explicitly (a wrapper's destructor would print its own failure),
  // then rethrows the first failure.
  void closeDatasets() {
    std::exception_ptr firstFailure;
    auto closeOne = [&](Appender& appender) {
      try {
        appender.close();
      } catch (...) {
        if (!firstFailure) firstFailure = std::current_exception();
      }
    };
    for (auto& [name, column] : columns) closeOne(column);
    for (auto* appender : {&startIndex, &startTime, &label})
      if (*appender) closeOne(**appender);
    columns.clear();
    startIndex.reset();
    startTime.reset();
    label.reset();
    if (firstFailure) std::rethrow_exception(firstFailure);
  }
  // Throws the unfinished file away: remaining writes go to memory so closing cannot fail on a
  // full disk, each HDF5 handle is closed once (see Hdf5Discard.hpp), the temp file removed.
  void abandon() noexcept {
    if (file) hdf5::divertWritesToMemory(*file);
    try {
      closeDatasets();
    } catch (...) {
    }
    hdf5::closeDiscarded(file);
    if (temp) temp->discard();
    finished = true;
  }
  // Runs an HDF5 write; a full disk or failing device is named as such, not blamed on the folder.
  template <class Body>
  void write(const std::string& problem, const std::string& fix, Body&& body) {
    try {
      hdf5::guarded(target.string(), problem, fix, std::forward<Body>(body));
    } catch (...) {
      rethrowNamingStorageFailure(target, errno);  // the writer's destructor abandons the file
    }
  }
  ~Impl() {
    if (!finished) abandon();  // also when create() itself failed
  }
};

OutputsWriter::OutputsWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OutputsWriter::OutputsWriter(OutputsWriter&&) noexcept = default;
OutputsWriter& OutputsWriter::operator=(OutputsWriter&&) noexcept = default;
OutputsWriter::~OutputsWriter() {
  if (impl_ && !impl_->finished) impl_->abandon();
}

OutputsWriter OutputsWriter::create(const fs::path& target, const OutputsProvenance& provenance) {
  hdf5::silenceErrorStack();
  auto impl = std::make_unique<Impl>();
  impl->target = target;
  impl->temp.emplace(target);
  impl->write(
      "cannot create the outputs file", "check that the folder exists and is writable", [&] {
        impl->file = std::make_unique<H5::H5File>(impl->temp->path().string(), H5F_ACC_TRUNC);
        H5::Group root = impl->file->openGroup("/");
        hdf5::writeStringAttribute(root, "format", kOutputsFormatName);
        hdf5::writeIntegerAttribute(root, "format_version", kOutputsFormatVersion);
        hdf5::writeStringAttribute(root, "created_utc", provenance.createdUtc);
        hdf5::writeStringAttribute(root, "session_path", provenance.sessionPath);
        hdf5::writeStringAttribute(root, "session_sha256", provenance.sessionSha256);
        hdf5::writeStringAttribute(root, "model_name", provenance.modelName);
        hdf5::writeStringAttribute(root, "model_version", provenance.modelVersion);
        hdf5::writeStringAttribute(root, "model_sha256", provenance.modelSha256);
        hdf5::writeStringAttribute(root, "manifest", provenance.manifestJson);
        hdf5::writeIntegerAttribute(root, "window_length", provenance.windowLength);
        hdf5::writeIntegerAttribute(root, "stride", provenance.stride);
        hdf5::writeDoubleAttribute(root, "sample_rate_hz", provenance.sampleRateHz);
        hdf5::writeStringAttribute(root, "label_rule", provenance.labelRule);
        hdf5::writeStringArrayAttribute(root, "classes", provenance.classes);
        hdf5::writeStringArrayAttribute(root, "devices", provenance.devices);
        if (!provenance.resamplingJson.empty())
          hdf5::writeStringAttribute(root, "resampling", provenance.resamplingJson);
        H5::Group windows = impl->file->createGroup("windows");
        impl->startIndex.emplace(windows, "start_index", H5::PredType::STD_I64LE,
                                 H5::PredType::NATIVE_INT64, 0);
        impl->startTime.emplace(windows, "start_time_s", H5::PredType::IEEE_F64LE,
                                H5::PredType::NATIVE_DOUBLE, 0);
        impl->label.emplace(windows, "label", H5::PredType::STD_I32LE, H5::PredType::NATIVE_INT32,
                            0);
        impl->file->createGroup("backends");
      });
  return OutputsWriter(std::move(impl));
}

void OutputsWriter::addBackend(const BackendInfo& info, const std::vector<OutputColumn>& columns) {
  impl_->write("cannot add backend '" + info.name + "'", "", [&] {
    H5::Group backends = impl_->file->openGroup("backends");
    if (backends.nameExists(info.name))
      throw Error(impl_->target.string(), "backend '" + info.name + "' written twice");
    H5::Group group = backends.createGroup(info.name);
    hdf5::writeStringAttribute(group, "name", info.name);
    hdf5::writeStringAttribute(group, "version", info.version);
    hdf5::writeStringAttribute(group, "device", info.device);
    hdf5::writeStringAttribute(group, "precision", info.precision);
    for (const auto& column : columns) {
      const auto slash = column.path.rfind('/');
      H5::Group parent = slash == std::string::npos
                             ? group
                             : openOrCreateGroups(group, column.path.substr(0, slash));
      const std::string leaf =
          slash == std::string::npos ? column.path : column.path.substr(slash + 1);
      Appender appender(
          parent, leaf, column.integer ? H5::PredType::STD_I64LE : H5::PredType::IEEE_F32LE,
          column.integer ? H5::PredType::NATIVE_INT64 : H5::PredType::NATIVE_FLOAT, column.width);
      for (const auto& [key, value] : column.attributes.items())
        writeJsonAttribute(appender.dataset(), key, value);
      impl_->columns.emplace(info.name + "/" + column.path, std::move(appender));
    }
  });
}

void OutputsWriter::appendWindows(const std::vector<WindowInfo>& windows, std::size_t first,
                                  std::size_t count) {
  std::vector<std::int64_t> start(count);
  std::vector<double> time(count);
  std::vector<std::int32_t> label(count);
  for (std::size_t i = 0; i < count; ++i) {
    start[i] = static_cast<std::int64_t>(windows[first + i].startRow);
    time[i] = windows[first + i].startTime_s;
    label[i] = windows[first + i].label;
  }
  impl_->write("cannot write windows", "check free disk space", [&] {
    impl_->startIndex->append(start.data(), count);
    impl_->startTime->append(time.data(), count);
    impl_->label->append(label.data(), count);
  });
}

void OutputsWriter::appendValues(const std::string& backend, const std::string& path,
                                 const float* values, std::size_t rows) {
  auto found = impl_->columns.find(backend + "/" + path);
  if (found == impl_->columns.end())
    throw Error(impl_->target.string(), "no dataset " + backend + "/" + path + " declared");
  impl_->write("cannot write " + path, "check free disk space",
               [&] { found->second.append(values, rows); });
}

void OutputsWriter::appendIndices(const std::string& backend, const std::string& path,
                                  const std::int64_t* values, std::size_t rows) {
  appendValues(backend, path, reinterpret_cast<const float*>(values), rows);
}

void OutputsWriter::setAttribute(const std::string& name, const nlohmann::json& value) {
  impl_->write("cannot write attribute " + name, "", [&] {
    H5::Group root = impl_->file->openGroup("/");
    writeJsonAttribute(root, name, value);
  });
}

void OutputsWriter::finish() {
  const std::size_t windows = impl_->startIndex->rows();
  for (const auto& [name, column] : impl_->columns)
    if (column.rows() != windows)
      throw Error(impl_->target.string() + ":/backends/" + name,
                  "has " + std::to_string(column.rows()) + " rows for " + std::to_string(windows) +
                      " windows");
  try {
    hdf5::guarded(impl_->target.string(), "cannot finish the outputs file", "check free disk space",
                  [&] {
                    impl_->closeDatasets();
                    hdf5::closeOnce(impl_->file);
                  });
    impl_->temp->commit();  // fsync + rename; names a full disk
    impl_->finished = true;
  } catch (...) {
    const int error = errno;
    impl_->abandon();
    rethrowNamingStorageFailure(impl_->target, error);
  }
}

// ---------------------------------------------------------------------------------------------

struct OutputsFile::Impl {
  fs::path path;
  H5::H5File file;
  OutputsProvenance provenance;
  std::size_t windows = 0;
};

OutputsFile::OutputsFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OutputsFile::OutputsFile(OutputsFile&&) noexcept = default;
OutputsFile::~OutputsFile() = default;

OutputsFile OutputsFile::open(const fs::path& path) {
  hdf5::silenceErrorStack();
  const std::string where = path.string();
  if (!fs::exists(path)) throw Error(where, "no such file", "check the path");
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  hdf5::guarded(where, "not a readable HDF5 file", "give an outputs file written by imuwb run",
                [&] { impl->file = H5::H5File(path.string(), H5F_ACC_RDONLY); });
  hdf5::guarded(where, "cannot read the outputs header", "rewrite it with imuwb run", [&] {
    H5::Group root = impl->file.openGroup("/");
    const auto format = hdf5::readStringAttribute(root, "format", where + ":/");
    if (format != kOutputsFormatName)
      throw Error(where + ":/ format", "is '" + format + "', expected 'imuwb-outputs'");
    const auto version = hdf5::readIntegerAttribute(root, "format_version", where + ":/");
    if (version != kOutputsFormatVersion)
      throw Error(where + ":/ format_version",
                  "version " + std::to_string(version) + " is not supported", "upgrade imuwb");
    auto& p = impl->provenance;
    p.createdUtc = hdf5::readStringAttribute(root, "created_utc", where);
    p.sessionPath = hdf5::readStringAttribute(root, "session_path", where);
    p.sessionSha256 = hdf5::readStringAttribute(root, "session_sha256", where);
    p.modelName = hdf5::readStringAttribute(root, "model_name", where);
    p.modelVersion = hdf5::readStringAttribute(root, "model_version", where);
    p.modelSha256 = hdf5::readStringAttribute(root, "model_sha256", where);
    p.manifestJson = hdf5::readStringAttribute(root, "manifest", where);
    p.windowLength = static_cast<int>(hdf5::readIntegerAttribute(root, "window_length", where));
    p.stride = static_cast<int>(hdf5::readIntegerAttribute(root, "stride", where));
    p.sampleRateHz = hdf5::readDoubleAttribute(root, "sample_rate_hz", where);
    p.labelRule = hdf5::readStringAttribute(root, "label_rule", where);
    p.classes = hdf5::readStringArrayAttribute(root, "classes", where);
    p.devices = hdf5::readStringArrayAttribute(root, "devices", where);
    if (hdf5::hasAttribute(root, "resampling"))
      p.resamplingJson = hdf5::readStringAttribute(root, "resampling", where);
    H5::DataSet start = impl->file.openDataSet("windows/start_index");
    impl->windows = checkedDims(start, where + ":/windows/start_index")[0];
  });
  return OutputsFile(std::move(impl));
}

const OutputsProvenance& OutputsFile::provenance() const {
  return impl_->provenance;
}
std::size_t OutputsFile::windowCount() const {
  return impl_->windows;
}

nlohmann::json OutputsFile::rootAttributes() const {
  nlohmann::json out = nlohmann::json::object();
  H5::Group root = impl_->file.openGroup("/");
  // Opening attributes by index decodes their messages: check them first.
  hdf5::guardAttributeMessages(root.getId(), impl_->path.string() + ":/");
  for (int i = 0; i < root.getNumAttrs(); ++i) {
    H5::Attribute attribute = root.openAttribute(static_cast<unsigned>(i));
    const auto name = attribute.getName();
    const auto typeClass = attribute.getDataType().getClass();
    if (typeClass == H5T_STRING) {
      auto values = hdf5::readStringArrayAttribute(root, name, impl_->path.string());
      out[name] = values.size() == 1 ? nlohmann::json(values[0]) : nlohmann::json(values);
    } else if (typeClass == H5T_INTEGER) {
      out[name] = hdf5::readIntegerAttribute(root, name, impl_->path.string());
    } else if (typeClass == H5T_FLOAT) {
      out[name] = hdf5::readDoubleAttribute(root, name, impl_->path.string());
    }
  }
  return out;
}

namespace {
template <class T>
std::vector<T> readColumn(const H5::H5File& file, const std::string& name, const H5::PredType& type,
                          const std::string& where) {
  return hdf5::guarded(where + ":/" + name, "cannot read dataset",
                       "rewrite the file with imuwb run", [&] {
                         H5::DataSet dataset = file.openDataSet(name);
                         const auto dims = checkedDims(dataset, where + ":/" + name);
                         if (dims[1] != 1)
                           throw Error(where + ":/" + name, "is not one value per window",
                                       "rewrite the file with imuwb run");
                         std::vector<T> values(dims[0]);
                         if (!values.empty()) dataset.read(values.data(), type);
                         return values;
                       });
}
}  // namespace

std::vector<std::int64_t> OutputsFile::startIndices() const {
  return readColumn<std::int64_t>(impl_->file, "windows/start_index", H5::PredType::NATIVE_INT64,
                                  impl_->path.string());
}
std::vector<double> OutputsFile::startTimes() const {
  return readColumn<double>(impl_->file, "windows/start_time_s", H5::PredType::NATIVE_DOUBLE,
                            impl_->path.string());
}
std::vector<int> OutputsFile::labels() const {
  return readColumn<int>(impl_->file, "windows/label", H5::PredType::NATIVE_INT,
                         impl_->path.string());
}

std::vector<std::string> OutputsFile::backends() const {
  std::vector<std::string> names;
  H5::Group group = impl_->file.openGroup("backends");
  for (hsize_t i = 0; i < group.getNumObjs(); ++i) names.push_back(group.getObjnameByIdx(i));
  return names;
}

std::vector<std::string> OutputsFile::datasets(const std::string& backend) const {
  std::vector<std::string> paths;
  std::function<void(H5::Group&, const std::string&)> walk = [&](H5::Group& group,
                                                                 const std::string& prefix) {
    for (hsize_t i = 0; i < group.getNumObjs(); ++i) {
      const auto name = group.getObjnameByIdx(i);
      if (group.getObjTypeByIdx(i) == H5G_GROUP) {
        H5::Group child = group.openGroup(name);
        walk(child, prefix + name + "/");
      } else {
        paths.push_back(prefix + name);
      }
    }
  };
  hdf5::guarded(impl_->path.string() + ":/backends/" + backend, "no such backend in the file",
                "list backends with OutputsFile::backends()", [&] {
                  H5::Group group = impl_->file.openGroup("backends/" + backend);
                  walk(group, "");
                });
  return paths;
}

OutputMatrix OutputsFile::read(const std::string& backend, const std::string& path) const {
  const std::string name = "backends/" + backend + "/" + path;
  return hdf5::guarded(impl_->path.string() + ":/" + name, "cannot read dataset",
                       "check the backend and output names", [&] {
                         H5::DataSet dataset = impl_->file.openDataSet(name);
                         const auto dims = checkedDims(dataset, impl_->path.string() + ":/" + name);
                         OutputMatrix matrix;
                         matrix.rows = dims[0];
                         matrix.cols = dims[1];
                         matrix.values.resize(matrix.rows * matrix.cols);
                         if (!matrix.values.empty())
                           dataset.read(matrix.values.data(), H5::PredType::NATIVE_FLOAT);
                         return matrix;
                       });
}

std::vector<std::int64_t> OutputsFile::readIndices(const std::string& backend,
                                                   const std::string& path) const {
  return readColumn<std::int64_t>(impl_->file, "backends/" + backend + "/" + path,
                                  H5::PredType::NATIVE_INT64, impl_->path.string());
}

}  // namespace imuwb
