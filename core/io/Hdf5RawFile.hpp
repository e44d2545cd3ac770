#pragma once
// Bounded reads of the raw bytes of the HDF5 file an object lives in, for the guards that check
// file structures libhdf5 1.10 reads unchecked (io/Hdf5VlenGuard, io/Hdf5AttributeGuard). The
// file is reopened read-only by name; every read is refused, not clamped, when any byte of it
// lies outside the file.
#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace imuwb::hdf5 {

class RawFile {
 public:
  // object: any open HDF5 object of the file. what: the structure being checked, for the
  // error when the file cannot be reopened ("variable-length strings").
  RawFile(hid_t object, const std::string& where, const std::string& what);
  ~RawFile();
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;

  std::size_t sizeofSize() const { return sizeofSize_; }
  std::size_t sizeofAddr() const { return sizeofAddr_; }
  // The bytes at HDF5 address `address`, or false when any of them lies outside the file.
  bool read(std::uint64_t address, std::size_t length, unsigned char* out) const;

 private:
  hid_t file_ = -1;
  int fd_ = -1;
  std::uint64_t base_ = 0;
  std::uint64_t size_ = 0;
  std::size_t sizeofSize_ = 8;
  std::size_t sizeofAddr_ = 8;
};

// Little-endian unsigned integer of `size` bytes (at most 8), as HDF5 stores them.
std::uint64_t decodeLE(const unsigned char* bytes, std::size_t size);

}  // namespace imuwb::hdf5
