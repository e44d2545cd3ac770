#pragma once
// Reading files that come from users without trusting them: only regular files (a FIFO or
// /dev/zero would block or never end), only up to a size limit, and JSON only to a nesting
// depth limit (deep nesting overflows recursive consumers). Every refusal is an imuwb::Error
// that names the file, the claimed size or depth, the limit and how to raise it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/InputLimits.hpp"

namespace imuwb {

// Throws unless path names an existing regular file (symlinks are followed). what: "model",
// "manifest", "session" — used in the message.
void requireRegularFile(const std::filesystem::path& path, std::string_view what);

// The whole file, after requireRegularFile and a size check against limit.
std::string readFileBounded(const std::filesystem::path& path, std::string_view what,
                            const limits::Limit& limit = limits::kJsonBytes);

// Parses text as JSON, refusing nesting deeper than the json_depth limit and text longer than
// json_bytes. where names the source ("manifest.json", "s.h5:/ attribute metadata").
nlohmann::json parseJsonBounded(std::string_view text, const std::string& where);

// readFileBounded + parseJsonBounded.
nlohmann::json loadJsonFile(const std::filesystem::path& path, std::string_view what);

// a * b, or an Error naming where/field when the product overflows 64 bits or exceeds limit.
std::uint64_t checkedProduct(std::uint64_t a, std::uint64_t b, const std::string& where,
                             std::string_view field, std::uint64_t limit = UINT64_MAX);

}  // namespace imuwb
