#include "session/ShuffledChunkDecoding.hpp"

#include <libdeflate.h>

#include <bit>
#include <cstdint>
#include <memory>

#include "common/Channels.hpp"

namespace imuwb {

std::size_t parallelDecodeChunkRows(const H5::DataSet& dataset) {
  if (std::endian::native != std::endian::little) return 0;
  const H5::DataType type = dataset.getDataType();
  if (type.getClass() != H5T_FLOAT || type.getSize() != 4 ||
      H5Tget_order(type.getId()) != H5T_ORDER_LE)
    return 0;
  const H5::DSetCreatPropList creation = dataset.getCreatePlist();
  if (creation.getLayout() != H5D_CHUNKED || creation.getNfilters() != 2) return 0;
  hsize_t chunk[2] = {0, 0};
  hsize_t dims[2] = {0, 0};
  if (dataset.getSpace().getSimpleExtentNdims() != 2) return 0;  // dims has room for two
  dataset.getSpace().getSimpleExtentDims(dims);
  // Chunks must span every channel (6 or 9), so a chunk is a block of whole rows.
  if (creation.getChunk(2, chunk) != 2 || chunk[1] != dims[1] || !isDeviceChannelCount(dims[1]))
    return 0;
  unsigned flags = 0;
  std::size_t values = 4;
  unsigned parameters[4] = {0, 0, 0, 0};
  unsigned config = 0;
  char name[64];
  if (creation.getFilter(0, flags, values, parameters, sizeof name, name, config) !=
      H5Z_FILTER_SHUFFLE)
    return 0;
  values = 4;
  if (creation.getFilter(1, flags, values, parameters, sizeof name, name, config) !=
      H5Z_FILTER_DEFLATE)
    return 0;
  return static_cast<std::size_t>(chunk[0]);
}

bool decodeChunk(const std::vector<unsigned char>& raw, std::size_t rows, int channels,
                 float* out) {
  // libdeflate inflates a whole buffer 2-3x faster than zlib's streaming inflate, and checks the
  // zlib stream's Adler-32 just the same. A chunk it rejects is corrupt: it must never go on to
  // HDF5's own pipeline, which reads past its buffer when a chunk inflates short.
  const std::size_t count = rows * static_cast<std::size_t>(channels);
  const std::size_t bytes = count * sizeof(float);
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> inflater(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  std::vector<unsigned char> planes(bytes);
  std::size_t inflated = 0;
  if (!inflater ||
      libdeflate_zlib_decompress(inflater.get(), raw.data(), raw.size(), planes.data(), bytes,
                                 &inflated) != LIBDEFLATE_SUCCESS ||
      inflated != bytes)
    return false;
  // Undo HDF5's shuffle: byte plane b holds byte b of every little-endian float.
  const unsigned char* p0 = planes.data();
  const unsigned char* p1 = p0 + count;
  const unsigned char* p2 = p1 + count;
  const unsigned char* p3 = p2 + count;
  for (std::size_t i = 0; i < count; ++i)
    out[i] = std::bit_cast<float>(
        static_cast<std::uint32_t>(p0[i]) | static_cast<std::uint32_t>(p1[i]) << 8 |
        static_cast<std::uint32_t>(p2[i]) << 16 | static_cast<std::uint32_t>(p3[i]) << 24);
  return true;
}

}  // namespace imuwb
