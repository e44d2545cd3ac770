#include "quant/QuantConfigText.hpp"

#include <stdexcept>

#include "common/Error.hpp"

namespace imuwb::quant {
namespace {

double parseNumber(const std::string& flag, const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  throw Error(flag, "'" + text + "' is not a number", "write a decimal number");
}

std::pair<double, double> parsePair(const std::string& flag, const std::string& text) {
  const auto comma = text.find(',');
  if (comma == std::string::npos) throw Error(flag + " " + text, "expected LO,HI", "e.g. -4,4");
  const double lo = parseNumber(flag, text.substr(0, comma));
  const double hi = parseNumber(flag, text.substr(comma + 1));
  if (!(lo < hi)) throw Error(flag + " " + text, "LO must be below HI", "e.g. -4,4");
  return {lo, hi};
}

LayerOverride& overrideFor(QuantConfig& config, const std::string& node) {
  for (auto& o : config.overrides)
    if (o.node == node) return o;
  config.overrides.push_back({node, std::nullopt, std::nullopt, std::nullopt});
  return config.overrides.back();
}

}  // namespace

void applyInputRange(QuantConfig& config, const std::string& text) {
  const auto [lo, hi] = parsePair("--input-range", text);
  config.inputMin = lo;
  config.inputMax = hi;
}

void applyRangeMethod(QuantConfig& config, const std::string& text) {
  if (text == "minmax") {
    config.range.method = RangeMethod::MinMax;
    return;
  }
  if (text.rfind("percentile", 0) == 0) {
    config.range.method = RangeMethod::Percentile;
    if (text.size() > 10) {
      if (text[10] != ':')
        throw Error("--range " + text, "unknown range method", "use minmax or percentile[:P]");
      config.range.percentile = parseNumber("--range", text.substr(11));
    }
    if (config.range.percentile <= 50.0 || config.range.percentile > 100.0)
      throw Error("--range " + text, "the percentile must be in (50, 100]",
                  "e.g. percentile:99.99");
    return;
  }
  throw Error("--range " + text, "unknown range method", "use minmax or percentile[:P]");
}

void applyWeightGranularity(QuantConfig& config, const std::string& text) {
  if (text == "per_channel") {
    config.weightsPerChannel = true;
  } else if (text == "per_tensor") {
    config.weightsPerChannel = false;
  } else {
    throw Error("--weights " + text, "unknown weight granularity", "use per_channel or per_tensor");
  }
}

void addSixteenBitLayers(QuantConfig& config, const std::vector<std::string>& nodes) {
  for (const auto& node : nodes) overrideFor(config, node).precision = Precision::A16W16;
}

void addClipOverrides(QuantConfig& config, const std::vector<std::string>& specs) {
  for (const auto& spec : specs) {
    const auto eq = spec.rfind('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("--clip " + spec, "expected NODE=LO,HI", "e.g. --clip /conv3/Conv=-6,6");
    const auto [lo, hi] = parsePair("--clip", spec.substr(eq + 1));
    auto& o = overrideFor(config, spec.substr(0, eq));
    o.clipMin = lo;
    o.clipMax = hi;
  }
}

}  // namespace imuwb::quant
