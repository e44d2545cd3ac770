#pragma once
// NumPy .npy files (format versions 1.0, 2.0 and 3.0): float32, float64, int64 (also int32,
// int8, uint8, bool), C order, little endian. The reader rejects Fortran order, unknown dtypes,
// bad headers and truncated data with an imuwb::Error naming the file.
// io knows nothing of the engine: engine/NpyTensor.hpp converts to and from engine::Tensor.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace imuwb::io {

enum class NpyDType : std::uint8_t { Float32, Float64, Int64, Int32, Int8, Uint8, Bool };

std::size_t npyItemSize(NpyDType dtype);
const char* npyDescr(NpyDType dtype);  // "<f4", "<f8", "<i8", ...

struct NpyArray {
  NpyDType dtype = NpyDType::Float32;
  std::vector<std::int64_t> shape;  // empty = a 0-d scalar
  std::vector<std::byte> bytes;     // C order, little endian

  std::int64_t elementCount() const;
};

// The element count of a shape, refusing negative dimensions and any shape whose extent
// (zero dimensions counted as 1) exceeds the tensor_elements limit; where names the file.
std::int64_t npyElementCount(const std::vector<std::int64_t>& shape, const std::string& where);

// Reads a regular file only (FIFOs and devices are refused). The shape is validated against
// the tensor_elements limit and the file's real size before anything is allocated.
NpyArray readNpy(const std::filesystem::path& path);
// Writes atomically (temp file + rename). Uses a version 1.0 header when it fits, else 2.0.
// bytes.size() must equal elementCount() * itemsize.
void writeNpy(const std::filesystem::path& path, const NpyArray& array);
void writeNpy(const std::filesystem::path& path, NpyDType dtype,
              const std::vector<std::int64_t>& shape, const void* data);

}  // namespace imuwb::io
