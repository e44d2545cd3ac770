#pragma once
// One recording's FitData (eval/FittedCalibration) as a compact binary side file,
// OUT_DIR/<key>.evaluate.fit, beside its batch result. JSON would be several times larger and
// slower to read for the 10,000s of them `imuwb report merge` reads. Little-endian:
//   "IMUWBFIT" | u32 version (1) | u32 classes | u32 sides | u32 0 | u64 calibration rows |
//   u64 test rows | per side: u32 name bytes, the name, u8 logit width, u8 probability width
//   (4 or 8), u16 0 | i32 labels, calibration then test | per side: calibration logits,
//   calibration probabilities, test logits, test probabilities (row-major, in their width) |
//   64 hex characters: SHA-256 of everything before them.
// A table is stored as float32 when every value is exactly a float (probabilities from a float
// model are), else as float64, so reading it back gives the same doubles bit for bit. The
// reader checks the magic, the version, the size the header implies against the file's and the
// checksum, so a truncated or damaged file is an error that says which, never wrong figures.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "eval/FittedCalibration.hpp"

namespace imuwb::eval {

inline constexpr std::uint32_t kFitDataVersion = 1;

struct FitDataDigest {
  std::size_t bytes = 0;
  std::string sha256;  // of the content (the file's trailer)
};

// Written atomically (temp + rename). Throws imuwb::Error when it cannot be written.
FitDataDigest writeFitData(const FitData& data, const std::filesystem::path& path);

// Throws imuwb::Error naming the file and the problem (missing, truncated, not a fit file,
// another version, a checksum mismatch).
FitData readFitData(const std::filesystem::path& path, FitDataDigest* digest = nullptr);

// The encoding itself (decoding does all the reader's checks); where names the source in errors.
std::string encodeFitData(const FitData& data);
FitData decodeFitData(const std::string& bytes, const std::string& where);

}  // namespace imuwb::eval
