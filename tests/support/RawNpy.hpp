#pragma once
// Hand-made .npy files for tests of hostile input: numpy would refuse to write most of them.
#include <filesystem>
#include <fstream>
#include <string>

namespace imuwb::test {

// The header dict of a C-order array: {'descr': descr, 'fortran_order': False, 'shape': shape}.
inline std::string npyShapeDict(const std::string& shape, const std::string& descr = "<f4") {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
}

// A version 1.0 .npy with the given header dict and data bytes, written byte by byte.
inline std::filesystem::path writeRawNpy(const std::filesystem::path& path, const std::string& dict,
                                         const std::string& data = {}) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const char length[2] = {static_cast<char>(header.size() & 0xff),
                          static_cast<char>(header.size() >> 8)};
  out.write(length, 2);
  out << header << data;
  return path;
}

}  // namespace imuwb::test
