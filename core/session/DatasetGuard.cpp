#include "session/DatasetGuard.hpp"

#include <libdeflate.h>

#include <memory>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"
#include "io/Hdf5TypeGuard.hpp"

namespace imuwb {

namespace {

// Deflate's best case is about 1032:1 (long runs of one byte); anything claiming more data per
// stored byte than this cannot be backed by the file.
constexpr std::uint64_t kMaxDeflateRatio = 1100;

constexpr const char* kCorruptFix =
    "the file is truncated, was never completely written, or was altered; re-copy it from its "
    "source or re-create it with `imuwb import`";

std::string raiseHint(const limits::Limit& limit) {
  std::string variable = "IMUWB_LIMIT_";
  for (char c : limit.name) variable += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return "if the file is genuine, re-save it with smaller chunks, or raise the limit with " +
         variable + "=N";
}

std::string filterName(int id) {
  switch (id) {
    case H5Z_FILTER_DEFLATE:
      return "deflate";
    case H5Z_FILTER_SHUFFLE:
      return "shuffle";
    case H5Z_FILTER_FLETCHER32:
      return "fletcher32";
    case H5Z_FILTER_SZIP:
      return "szip";
    case H5Z_FILTER_NBIT:
      return "nbit";
    case H5Z_FILTER_SCALEOFFSET:
      return "scaleoffset";
    default:
      return "#" + std::to_string(id);
  }
}

std::vector<unsigned char> unshuffle(const std::vector<unsigned char>& planes, std::size_t width) {
  if (width <= 1) return planes;
  const std::size_t count = planes.size() / width;
  std::vector<unsigned char> out(planes);  // a tail that is not a whole element stays in place
  for (std::size_t b = 0; b < width; ++b)
    for (std::size_t i = 0; i < count; ++i) out[i * width + b] = planes[b * count + i];
  return out;
}

}  // namespace

DatasetGuard::DatasetGuard(const H5::DataSet& dataset, std::string where, std::uintmax_t fileSize)
    : dataset_(dataset), where_(std::move(where)), fileSize_(fileSize) {
  const H5::DataSpace space = dataset_.getSpace();
  const int rank = space.getSimpleExtentNdims();
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) space.getSimpleExtentDims(dims.data());
  dims_.assign(dims.begin(), dims.end());
  elementBytes_ = dataset_.getDataType().getSize();
  // Reads convert the file's type: its bit fields must lie inside its size first.
  hdf5::checkNumericType(dataset_.getDataType().getId(), where_);
  std::uint64_t elements = 1;
  for (auto d : dims_) elements = checkedProduct(elements, d, where_, "the dataset's shape");
  const std::uint64_t declaredBytes = checkedProduct(elements, elementBytes_, where_, "the data");

  const H5::DSetCreatPropList creation = dataset_.getCreatePlist();
  const bool chunked = creation.getLayout() == H5D_CHUNKED;
  if (chunked && rank > 0) {
    std::vector<hsize_t> chunk(dims.size());
    creation.getChunk(rank, chunk.data());
    std::uint64_t chunkElements = 1;
    const auto limit = limits::value(limits::kChunkBytes);
    for (auto c : chunk) chunkElements = checkedProduct(chunkElements, c, where_, "one chunk");
    chunkRows_ = chunk[0];
    chunkBytes_ = checkedProduct(chunkElements, elementBytes_, where_, "one chunk");
    if (chunkBytes_ > limit)
      throw Error(where_,
                  "one chunk holds " + std::to_string(chunkRows_) + " rows (" +
                      std::to_string(chunkBytes_) +
                      " bytes decoded), over the chunk_bytes limit "
                      "of " +
                      std::to_string(limit),
                  raiseHint(limits::kChunkBytes));
    for (int i = 0; i < creation.getNfilters(); ++i) {
      unsigned flags = 0, config = 0;
      std::size_t values = 0;
      char name[64];
      const int id = creation.getFilter(i, flags, values, nullptr, sizeof name, name, config);
      if (id != H5Z_FILTER_DEFLATE && id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_FLETCHER32)
        throw Error(where_,
                    "is compressed with the HDF5 filter '" + filterName(id) +
                        "', which imuwb does not read",
                    "re-save the dataset with gzip compression (h5py: compression='gzip', "
                    "shuffle=True)");
      filters_.push_back(id);
    }
  }
  // What the file really stores for this dataset, against what its shape claims.
  const std::uint64_t stored = H5Dget_storage_size(dataset_.getId());
  if (stored > fileSize_)
    throw Error(where_,
                "claims " + std::to_string(stored) + " stored bytes but the file has only " +
                    std::to_string(fileSize_),
                kCorruptFix);
  const bool filtered = !filters_.empty();
  std::uint64_t capacity = 0;
  if (__builtin_mul_overflow(stored, filtered ? kMaxDeflateRatio : 1, &capacity))
    capacity = UINT64_MAX;
  if (declaredBytes > capacity)
    throw Error(where_,
                "declares " + std::to_string(dims_.empty() ? 0 : dims_[0]) + " rows (" +
                    std::to_string(declaredBytes) + " bytes) but stores only " +
                    std::to_string(stored) + " bytes, which cannot hold them" +
                    (filtered ? " even at deflate's best ratio" : ""),
                kCorruptFix);
}

std::vector<unsigned char> DatasetGuard::readStoredChunk(std::uint64_t index,
                                                         std::uint32_t& mask) const {
  const hsize_t offset[2] = {index * chunkRows_, 0};
  hsize_t bytes = 0;
  if (H5Dget_chunk_storage_size(dataset_.getId(), offset, &bytes) < 0)
    throw Error(where_, "cannot locate the chunk at row " + std::to_string(offset[0]), kCorruptFix);
  if (bytes == 0) return {};
  // Incompressible data grows a little under deflate; much more than the chunk is a lie.
  if (bytes > fileSize_ || bytes > 2 * chunkBytes_ + 4096)
    throw Error(where_,
                "the chunk at row " + std::to_string(offset[0]) + " claims " +
                    std::to_string(bytes) + " stored bytes for " + std::to_string(chunkBytes_) +
                    " bytes of data (file size " + std::to_string(fileSize_) + ")",
                kCorruptFix);
  std::vector<unsigned char> raw(bytes);
  mask = 0;
  if (H5Dread_chunk(dataset_.getId(), H5P_DEFAULT, offset, &mask, raw.data()) < 0)
    throw Error(where_, "cannot read the chunk at row " + std::to_string(offset[0]), kCorruptFix);
  return raw;
}

void DatasetGuard::verifyChunk(std::uint64_t index) {
  std::uint32_t mask = 0;
  std::vector<unsigned char> data = readStoredChunk(index, mask);
  if (data.empty()) return;  // not stored: HDF5 supplies the fill value, nothing to decode
  const std::string chunkWhere = "the chunk at row " + std::to_string(index * chunkRows_) + " (" +
                                 std::to_string(data.size()) + " bytes stored)";
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> inflater(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  // Undo the filters in reverse order of application, as HDF5 would, skipping masked ones.
  for (std::size_t i = filters_.size(); i-- > 0;) {
    if (mask & (1u << i)) continue;
    if (filters_[i] == H5Z_FILTER_FLETCHER32) {
      if (data.size() < 4)
        throw Error(where_, chunkWhere + " is too short for its checksum", kCorruptFix);
      data.resize(data.size() - 4);
    } else if (filters_[i] == H5Z_FILTER_SHUFFLE) {
      data = unshuffle(data, elementBytes_);
    } else {
      std::vector<unsigned char> inflated(chunkBytes_);
      std::size_t produced = 0;
      const auto result = libdeflate_zlib_decompress(inflater.get(), data.data(), data.size(),
                                                     inflated.data(), inflated.size(), &produced);
      if (result == LIBDEFLATE_INSUFFICIENT_SPACE)
        throw Error(where_,
                    chunkWhere + " inflates to more than the " + std::to_string(chunkBytes_) +
                        " bytes a chunk holds",
                    kCorruptFix);
      if (!inflater || result != LIBDEFLATE_SUCCESS)
        throw Error(where_, chunkWhere + " is not a valid zlib stream", kCorruptFix);
      inflated.resize(produced);
      data = std::move(inflated);
    }
  }
  if (data.size() != chunkBytes_)
    throw Error(where_,
                chunkWhere + " decodes to " + std::to_string(data.size()) +
                    " bytes, but a chunk "
                    "holds " +
                    std::to_string(chunkBytes_),
                kCorruptFix);
}

void DatasetGuard::verifyRows(std::uint64_t first, std::uint64_t count) {
  if (chunkRows_ == 0 || filters_.empty() || count == 0) return;
  const std::uint64_t k0 = first / chunkRows_, k1 = (first + count - 1) / chunkRows_;
  for (std::uint64_t k = k0; k <= k1; ++k) {
    {
      std::lock_guard lock(mutex_);
      if (verified_.count(k)) continue;
    }
    verifyChunk(k);
    std::lock_guard lock(mutex_);
    verified_.insert(k);
  }
}

void DatasetGuard::markVerified(std::uint64_t index) {
  std::lock_guard lock(mutex_);
  verified_.insert(index);
}

}  // namespace imuwb
