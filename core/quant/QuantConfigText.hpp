#pragma once
// Command-line spellings of quantization settings, shared by `imuwb parity` and `imuwb drift`
// (and usable by the GUI's what-if panel). Each parser throws imuwb::Error naming the flag.
#include <string>
#include <vector>

#include "quant/QuantParams.hpp"

namespace imuwb::quant {

// "LO,HI" -> config.input_min/max.
void applyInputRange(QuantConfig& config, const std::string& text);
// "minmax" | "percentile" | "percentile:99.9"
void applyRangeMethod(QuantConfig& config, const std::string& text);
// "per_channel" | "per_tensor"
void applyWeightGranularity(QuantConfig& config, const std::string& text);
// What-if: a list of nodes set to a16_w16.
void addSixteenBitLayers(QuantConfig& config, const std::vector<std::string>& nodes);
// What-if: "NODE=LO,HI" clipping overrides.
void addClipOverrides(QuantConfig& config, const std::vector<std::string>& specs);

}  // namespace imuwb::quant
