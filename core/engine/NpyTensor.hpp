#pragma once
// .npy files as engine tensors (io/Npy.hpp does the format; this converts).
#include <filesystem>

#include "engine/Tensor.hpp"

namespace imuwb::engine {

Tensor readNpyTensor(const std::filesystem::path& path);
// float32 whatever the file holds (float64 and integers are converted).
Tensor readNpyAsFloat32(const std::filesystem::path& path);
// Writes float32, float64, int64, int32, int8, uint8 or bool tensors atomically.
void writeNpyTensor(const std::filesystem::path& path, const Tensor& tensor);

}  // namespace imuwb::engine
