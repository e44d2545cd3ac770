#pragma once
// The int8 emulation's settings as a user chooses them (parity, drift, run --backend int8), in
// their text spellings so both shells hand over exactly what the user picked. The defaults here
// are the only int8 defaults of every job.
#include <filesystem>
#include <string>
#include <vector>

#include "quant/QuantParams.hpp"

namespace imuwb::jobs {

struct Int8Choices {
  std::filesystem::path calibration;    // calibration set .npy (model layout or NHWC)
  std::filesystem::path quantParams;    // saved parameters .json instead of calibrating
  std::string inputRange;               // "LO,HI": force the input grid (a compiled HEF's)
  std::string range = "minmax";         // "minmax" | "percentile[:P]"
  std::string weights = "per_channel";  // "per_channel" | "per_tensor"
  int bits = 8;                         // activation and weight bits (drift's what-if)
  std::vector<std::string> a16;         // what-if: nodes set to a16_w16
  std::vector<std::string> clip;        // what-if: "NODE=LO,HI" clipping overrides

  bool operator==(const Int8Choices&) const = default;
};

// The quantization config the choices spell. Throws imuwb::Error naming the bad setting.
quant::QuantConfig quantConfigFor(const Int8Choices& choices);

}  // namespace imuwb::jobs
