#pragma once
// Limits on what a file may claim before imuwb reserves memory or starts a loop for it.
// One place, so docs/reliability.md can list them and a user who hits one knows what to change.
// Each limit can be raised for one run with the environment variable named beside it
// (IMUWB_LIMIT_<NAME>, a whole number); a malformed value is an error, never ignored.
#include <cstdint>
#include <string_view>

namespace imuwb::limits {

struct Limit {
  std::string_view name;  // "json_depth"; the variable is IMUWB_LIMIT_JSON_DEPTH
  std::uint64_t defaultValue;
};

inline constexpr Limit kJsonDepth{"json_depth", 64};
inline constexpr Limit kJsonBytes{"json_bytes", 64ull << 20};          // manifests, configs, bodies
inline constexpr Limit kTextLineBytes{"text_line_bytes", 1ull << 20};  // one CSV line
inline constexpr Limit kTensorElements{"tensor_elements", 1ull << 31};  // one tensor (8 GiB f32)
inline constexpr Limit kModelBytes{"model_bytes", 2ull << 30};          // protobuf's own ceiling
inline constexpr Limit kSessionRows{"session_rows", 2ull << 30};        // rows per device
inline constexpr Limit kChunkBytes{"chunk_bytes", 64ull << 20};         // one HDF5 chunk, decoded
inline constexpr Limit kStringBytes{"string_bytes", 64ull << 20};       // vlen strings of one read
inline constexpr Limit kLabelIntervals{"label_intervals", 10'000'000};
inline constexpr Limit kThreads{"threads", 256};

// The value in force: the environment override if set, else the default.
std::uint64_t value(const Limit& limit);

}  // namespace imuwb::limits
