#pragma once
// SHA-256 of files and buffers (OpenSSL), for provenance in outputs, reports and calibration sets.
#include <cstddef>
#include <filesystem>
#include <string>

namespace imuwb {

std::string sha256Hex(const void* data, std::size_t size);
// Streams the file; throws imuwb::Error naming the file when it cannot be read.
std::string sha256File(const std::filesystem::path& path);

}  // namespace imuwb
