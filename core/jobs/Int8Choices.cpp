#include "jobs/Int8Choices.hpp"

#include "common/Error.hpp"
#include "quant/QuantConfigText.hpp"

namespace imuwb::jobs {

quant::QuantConfig quantConfigFor(const Int8Choices& choices) {
  if (choices.bits < 2 || choices.bits > 16)
    throw Error("--bits " + std::to_string(choices.bits), "must be within 2..16", "e.g. 8 or 16");
  quant::QuantConfig config;
  config.activationBits = config.weightBits = choices.bits;
  if (!choices.inputRange.empty()) quant::applyInputRange(config, choices.inputRange);
  quant::applyRangeMethod(config, choices.range);
  quant::applyWeightGranularity(config, choices.weights);
  quant::addSixteenBitLayers(config, choices.a16);
  quant::addClipOverrides(config, choices.clip);
  return config;
}

}  // namespace imuwb::jobs
