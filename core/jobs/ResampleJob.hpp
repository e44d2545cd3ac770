#pragma once
// `resample`: a session file written again at another sample rate (core/session/resample:
// polyphase FIR as scipy.signal.resample_poly, irregular timestamps put on a grid first, labels
// kept in seconds), with the resampling's provenance in its metadata. Never writes over its
// input, nor over an existing file without force.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/JobControl.hpp"

namespace imuwb::jobs {

struct ResampleJobOptions {
  std::filesystem::path input;   // the session file to resample (.h5)
  std::filesystem::path output;  // the session file to write (.h5)
  double targetRateHz = 100;     // the contract's rate, what models expect
  bool force = false;            // replace an existing output
};

struct ResampleJobResult {
  std::filesystem::path output;
  double sourceRateHz = 0, targetRateHz = 0;
  std::int64_t up = 1, down = 1;
  std::string filter;                         // "kaiser beta 5, half_len N"
  bool irregular = false;                     // timestamps were interpolated onto a grid first
  double gridRateHz = 0;                      // the grid's rate (the source rate when regular)
  std::size_t inputRows = 0, outputRows = 0;  // per device
  std::size_t devices = 0;
  double seconds = 0;  // wall time spent
};

// Throws imuwb::Error (bad rate or absurd factor, output refused by the output-path policy,
// unreadable input, write failures) or Cancelled (nothing is left at output then).
ResampleJobResult runResampleJob(const ResampleJobOptions& options, const JobControl& control = {});

}  // namespace imuwb::jobs
