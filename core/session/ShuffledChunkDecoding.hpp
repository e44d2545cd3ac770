#pragma once
// The fast path of SessionReader::readRows: IMU chunks stored as [c, 9] or [c, 6] little-endian
// float32 through exactly shuffle then deflate (what imuwb and h5py's gzip+shuffle write) are
// decoded here, several at once, instead of through HDF5's filter pipeline, which runs on one
// thread.
#include <H5Cpp.h>

#include <cstddef>
#include <vector>

namespace imuwb {

// Rows per chunk when every chunk of this dataset can take the fast path; else 0.
std::size_t parallelDecodeChunkRows(const H5::DataSet& dataset);

// Inflates one chunk and undoes the shuffle into out ([rows, channels] float32). False when
// the bytes do not decode to exactly one chunk.
bool decodeChunk(const std::vector<unsigned char>& raw, std::size_t rows, int channels, float* out);

}  // namespace imuwb
