#pragma once
// An HDF5 dataset from a user's file may lie about its size: 10^9 rows that no stored byte
// backs, chunks of gigabytes, or a chunk whose zlib stream inflates to fewer bytes than the
// chunk holds (HDF5's own filter pipeline then reads past its buffer). DatasetGuard checks
// those claims against the file before anything is allocated, and undoes each chunk's filters
// itself, into a buffer of exactly the chunk's size, before HDF5 is allowed to decode it.
#include <H5Cpp.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

namespace imuwb {

class DatasetGuard {
 public:
  // Checks the layout: a chunk within the chunk_bytes limit, stored bytes within the file's
  // real size, declared elements no more than the stored bytes can hold (deflate cannot
  // compress better than ~1032:1), and only filters this guard can undo (shuffle, deflate,
  // fletcher32). Throws imuwb::Error naming where, the claim and the limit.
  DatasetGuard(const H5::DataSet& dataset, std::string where, std::uintmax_t fileSize);

  // Before HDF5 decodes rows [first, first + count) of the first dimension: every stored chunk
  // they touch must undo to exactly one chunk of bytes, or it is an Error. Each chunk is
  // checked once per guard.
  void verifyRows(std::uint64_t first, std::uint64_t count);
  // Records that chunk `index` was decoded and checked elsewhere (the parallel decoder).
  void markVerified(std::uint64_t index);

  const std::string& where() const { return where_; }
  std::uint64_t chunkRows() const { return chunkRows_; }  // 0 when not chunked
  std::uint64_t chunkBytes() const { return chunkBytes_; }
  // Raw bytes of chunk `index` as stored (still filtered), with HDF5's filter mask; empty when
  // the chunk is not stored. Sizes are checked before the buffer is allocated.
  std::vector<unsigned char> readStoredChunk(std::uint64_t index, std::uint32_t& mask) const;

 private:
  void verifyChunk(std::uint64_t index);

  H5::DataSet dataset_;
  std::string where_;
  std::uintmax_t fileSize_ = 0;
  std::vector<std::uint64_t> dims_;
  std::uint64_t chunkRows_ = 0;
  std::uint64_t chunkBytes_ = 0;
  std::size_t elementBytes_ = 0;
  std::vector<int> filters_;  // H5Z filter ids in the order they were applied when writing
  std::mutex mutex_;
  std::unordered_set<std::uint64_t> verified_;
};

}  // namespace imuwb
