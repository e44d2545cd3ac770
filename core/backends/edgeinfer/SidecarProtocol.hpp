#pragma once
// The hailo-inference sidecar's wire format (the deployment contract's sidecar section), shared
// by the edgeinfer backend (the client) and `imuwb serve` (the server), so both sides read and
// write the same JSON and apply the same validation:
//   POST /infer   {"x": [[9 floats] x 100]}          -> {"<output name>": [...], ...}
//   POST /encode  {"imu_window": [[9 floats] x 100]} -> {"latent_embedding": [...]}
// Windows are raw (contract units, contract channel order ax..mz); the sidecar normalizes.
// A model with H devices takes H x 100 rows, device by device.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/Manifest.hpp"

namespace imuwb::sidecar {

// The contract's physical bounds, per component: |acc| m/s^2, |gyro| rad/s, |mag| uT.
inline constexpr float kMaxAcc = 500.0f;
inline constexpr float kMaxGyro = 35.0f;
inline constexpr float kMaxMag = 2000.0f;
// At most this many validation entries are listed in one 422 detail.
inline constexpr std::size_t kMaxDetailEntries = 10;

// A parsed request body: rows x 9 raw values, or the 422 detail (FastAPI style objects with
// loc, msg and type) saying why not.
struct ParsedWindow {
  std::vector<float> rows;
  nlohmann::json detail = nlohmann::json::array();
  bool ok() const { return detail.empty(); }
};

// Parses body (depth- and size-limited, SafeRead) and checks that `key` holds expectedRows
// rows of 9 finite numbers within the contract's bounds.
ParsedWindow parseWindowBody(std::string_view body, const std::string& key,
                             std::size_t expectedRows);

// The validation alone, on rows x 9 raw values (appends to detail).
void validateWindow(const float* rows, std::size_t count, const std::string& key,
                    nlohmann::json& detail);

// The request body {"KEY":[[9 values] x count]} for rows x 9 raw values, written directly (a JSON
// tree of 900 values costs more than the request). A non-finite value is written as null, which
// a sidecar refuses with a 422 (JSON has no NaN).
std::string windowBody(const float* rows, std::size_t count, std::string_view key);

// The response key a manifest output is also known by in the contract ("latent",
// "motif_scores", "logits"), or empty.
std::string contractKey(const OutputSpec& output);

// Reads one output of a response: by its manifest name, else by its contract key, else (legacy
// /encode) "latent_embedding" for a latent. Flattens nested arrays. Throws imuwb::Error naming
// where when it is missing, not numeric or not `size` values.
std::vector<float> readOutput(const nlohmann::json& response, const OutputSpec& output,
                              const std::string& where);

}  // namespace imuwb::sidecar
