#include "quant/QuantParams.hpp"

#include <cmath>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/SafeRead.hpp"

namespace imuwb::quant {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* key, const std::string& where) {
  if (!object.is_object() || !object.contains(key))
    throw Error(where, std::string("missing field '") + key + "'",
                "save the parameters again with imuwb, or add the field (docs/parity.md)");
  return object.at(key);
}

double number(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_number())
    throw Error(where + "." + key, "expected a number, found " + std::string(value.type_name()),
                "write a finite number");
  const double x = value.get<double>();
  if (!std::isfinite(x))
    throw Error(where + "." + key, "value is not finite", "write a finite number");
  return x;
}

std::int64_t integer(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_number_integer())
    throw Error(where + "." + key, "expected an integer", "write an integer");
  return value.get<std::int64_t>();
}

std::string text(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_string()) throw Error(where + "." + key, "expected a string", "write a string");
  return value.get<std::string>();
}

// nlohmann's message without its "[json.exception...] " tag (the file and field are ours).
std::string plainJsonMessage(const json::exception& error) {
  std::string text = error.what();
  if (!text.empty() && text.front() == '[') {
    const auto end = text.find("] ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  return text;
}

bool boolean(const json& object, const char* key, const std::string& where) {
  const json& value = field(object, key, where);
  if (!value.is_boolean())
    throw Error(where + "." + key,
                "expected true or false, found " + std::string(value.type_name()),
                "write a boolean");
  return value.get<bool>();
}

// Scales outside this range are corrupt: x / 1e-320 is inf and the grid degenerates.
constexpr double kMinScale = 1e-30;
constexpr double kMaxScale = 1e30;

double scaleValue(double scale, const std::string& where) {
  if (!(scale >= kMinScale && scale <= kMaxScale))
    throw Error(where,
                "scale " + std::to_string(scale) + " is not a finite number in [1e-30, 1e30]",
                "recalibrate; a scale is the step of the quantization grid and must be > 0");
  return scale;
}

int bitsField(const json& object, const char* key, const std::string& where) {
  const auto bits = integer(object, key, where);
  if (bits < 2 || bits > 16)
    throw Error(where + "." + key, "bit width " + std::to_string(bits) + " is outside 2..16",
                "use 8 (a8_w8) or 16 (a16_w16)");
  return static_cast<int>(bits);
}

std::optional<double> optionalNumber(const json& object, const char* key,
                                     const std::string& where) {
  if (!object.contains(key) || object.at(key).is_null()) return std::nullopt;
  return number(object, key, where);
}

}  // namespace

std::string precisionName(Precision precision) {
  return precision == Precision::A16W16 ? "a16_w16" : "a8_w8";
}

std::optional<Precision> parsePrecision(const std::string& value) {
  if (value == "a8_w8") return Precision::A8W8;
  if (value == "a16_w16") return Precision::A16W16;
  return std::nullopt;
}

const LayerOverride* QuantConfig::overrideFor(const std::string& node_or_tensor) const {
  for (const auto& o : overrides)
    if (o.node == node_or_tensor) return &o;
  return nullptr;
}

const ActivationParams* QuantParams::activation(const std::string& tensor) const {
  for (const auto& a : activations)
    if (a.tensor == tensor) return &a;
  return nullptr;
}
ActivationParams* QuantParams::activation(const std::string& tensor) {
  for (auto& a : activations)
    if (a.tensor == tensor) return &a;
  return nullptr;
}
const WeightParams* QuantParams::weight(const std::string& tensor) const {
  for (const auto& w : weights)
    if (w.tensor == tensor) return &w;
  return nullptr;
}

json toJson(const QuantConfig& config) {
  json overrides = json::array();
  for (const auto& o : config.overrides) {
    json item = {{"node", o.node}};
    if (o.precision) item["precision"] = precisionName(*o.precision);
    if (o.clipMin) item["clip_min"] = *o.clipMin;
    if (o.clipMax) item["clip_max"] = *o.clipMax;
    overrides.push_back(item);
  }
  json out = {
      {"activation_bits", config.activationBits},
      {"weight_bits", config.weightBits},
      {"weights_per_channel", config.weightsPerChannel},
      {"range_method", config.range.method == RangeMethod::Percentile ? "percentile" : "minmax"},
      {"percentile", config.range.percentile},
      {"overrides", overrides}};
  out["input_min"] = config.inputMin ? json(*config.inputMin) : json(nullptr);
  out["input_max"] = config.inputMax ? json(*config.inputMax) : json(nullptr);
  return out;
}

json toJson(const QuantParams& params) {
  json activations = json::array();
  for (const auto& a : params.activations)
    activations.push_back({{"tensor", a.tensor},
                           {"node", a.node},
                           {"is_graph_input", a.isGraphInput},
                           {"bits", a.bits},
                           {"scale", a.scale},
                           {"zero_point", a.zeroPoint},
                           {"q_min", a.qMin},
                           {"q_max", a.qMax},
                           {"range_min", a.rangeMin},
                           {"range_max", a.rangeMax},
                           {"calib_min", a.calibMin},
                           {"calib_max", a.calibMax},
                           {"clip_fraction", a.clipFraction},
                           {"outlier_ratio", a.outlierRatio},
                           {"range_source", a.rangeSource}});
  json weights = json::array();
  for (const auto& w : params.weights)
    weights.push_back({{"tensor", w.tensor},
                       {"node", w.node},
                       {"bits", w.bits},
                       {"per_channel", w.perChannel},
                       {"channel_axis", w.channelAxis},
                       {"scales", w.scales},
                       {"max_abs", w.maxAbs}});
  return {{"format", "imuwb-quant-params"},
          {"format_version", params.formatVersion},
          {"model_sha256", params.modelSha256},
          {"calibration_windows", params.calibrationWindows},
          {"config", toJson(params.config)},
          {"activations", activations},
          {"weights", weights}};
}

QuantConfig quantConfigFromJson(const json& document, const std::string& where) {
  if (!document.is_object()) throw Error(where, "expected an object", "see docs/parity.md");
  QuantConfig config;
  config.activationBits = bitsField(document, "activation_bits", where);
  config.weightBits = bitsField(document, "weight_bits", where);
  const json& per_channel = field(document, "weights_per_channel", where);
  if (!per_channel.is_boolean())
    throw Error(where + ".weights_per_channel", "expected true or false", "write a boolean");
  config.weightsPerChannel = per_channel.get<bool>();
  const std::string method = text(document, "range_method", where);
  if (method == "minmax") {
    config.range.method = RangeMethod::MinMax;
  } else if (method == "percentile") {
    config.range.method = RangeMethod::Percentile;
  } else {
    throw Error(where + ".range_method", "unknown range method '" + method + "'",
                "use \"minmax\" or \"percentile\"");
  }
  config.range.percentile = number(document, "percentile", where);
  if (config.range.percentile <= 50.0 || config.range.percentile > 100.0)
    throw Error(where + ".percentile", "percentile must be in (50, 100]", "e.g. 99.99");
  config.inputMin = optionalNumber(document, "input_min", where);
  config.inputMax = optionalNumber(document, "input_max", where);
  if (config.inputMin.has_value() != config.inputMax.has_value() ||
      (config.inputMin && *config.inputMin >= *config.inputMax))
    throw Error(where + ".input_min/input_max", "the input range must give both ends, min < max",
                "set both, e.g. -4 and 4, or neither");
  if (document.contains("overrides")) {
    const json& list = document.at("overrides");
    if (!list.is_array()) throw Error(where + ".overrides", "expected an array", "");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string place = where + ".overrides[" + std::to_string(i) + "]";
      LayerOverride o;
      o.node = text(list[i], "node", place);
      if (list[i].contains("precision")) {
        const auto p = parsePrecision(text(list[i], "precision", place));
        if (!p) throw Error(place + ".precision", "unknown precision", "use a8_w8 or a16_w16");
        o.precision = p;
      }
      o.clipMin = optionalNumber(list[i], "clip_min", place);
      o.clipMax = optionalNumber(list[i], "clip_max", place);
      if (o.clipMin.has_value() != o.clipMax.has_value() || (o.clipMin && *o.clipMin >= *o.clipMax))
        throw Error(place, "a clipping override needs clip_min < clip_max", "set both ends");
      config.overrides.push_back(o);
    }
  }
  return config;
}

QuantParams quantParamsFromJson(const json& document, const std::string& where) {
  if (!document.is_object()) throw Error(where, "not a JSON object", "see docs/parity.md");
  if (!document.contains("format") || document.at("format") != "imuwb-quant-params")
    throw Error(where, "not an imuwb quantization parameter file (format field missing or wrong)",
                "pass a file written by imuwb (format \"imuwb-quant-params\")");
  QuantParams params;
  params.formatVersion = static_cast<int>(integer(document, "format_version", where));
  if (params.formatVersion != kQuantParamsFormatVersion)
    throw Error(where + ".format_version",
                "unsupported version " + std::to_string(params.formatVersion),
                "this imuwb reads version " + std::to_string(kQuantParamsFormatVersion));
  params.modelSha256 = text(document, "model_sha256", where);
  const auto windows = integer(document, "calibration_windows", where);
  if (windows < 0)
    throw Error(where + ".calibration_windows", "is negative", "save the parameters again");
  params.calibrationWindows = static_cast<std::uint64_t>(windows);
  params.config = quantConfigFromJson(field(document, "config", where), where + ".config");
  const json& activations = field(document, "activations", where);
  if (!activations.is_array()) throw Error(where + ".activations", "expected an array", "");
  for (std::size_t i = 0; i < activations.size(); ++i) {
    const std::string place = where + ".activations[" + std::to_string(i) + "]";
    const json& item = activations[i];
    ActivationParams a;
    a.tensor = text(item, "tensor", place);
    a.node = text(item, "node", place);
    a.isGraphInput = boolean(item, "is_graph_input", place);
    a.bits = bitsField(item, "bits", place);
    a.scale = scaleValue(number(item, "scale", place), place + ".scale");
    a.zeroPoint = integer(item, "zero_point", place);
    a.qMin = integer(item, "q_min", place);
    a.qMax = integer(item, "q_max", place);
    if (a.qMin >= a.qMax || a.zeroPoint < a.qMin || a.zeroPoint > a.qMax)
      throw Error(place, "need q_min <= zero_point <= q_max and q_min < q_max", "recalibrate");
    // The grid must fit its bit width: signed or unsigned, 2^bits levels at most.
    const std::int64_t levels = std::int64_t{1} << a.bits;
    if (a.qMin < -levels / 2 || a.qMax > levels - 1 || a.qMax - a.qMin > levels - 1)
      throw Error(place,
                  "q_min " + std::to_string(a.qMin) + " .. q_max " + std::to_string(a.qMax) +
                      " does not fit " + std::to_string(a.bits) + " bits",
                  "recalibrate; e.g. 0..255 for 8-bit unsigned, -128..127 signed");
    a.rangeMin = number(item, "range_min", place);
    a.rangeMax = number(item, "range_max", place);
    a.calibMin = number(item, "calib_min", place);
    a.calibMax = number(item, "calib_max", place);
    a.clipFraction = number(item, "clip_fraction", place);
    a.outlierRatio = optionalNumber(item, "outlier_ratio", place).value_or(1.0);
    a.rangeSource = text(item, "range_source", place);
    params.activations.push_back(a);
  }
  const json& weights = field(document, "weights", where);
  if (!weights.is_array()) throw Error(where + ".weights", "expected an array", "");
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const std::string place = where + ".weights[" + std::to_string(i) + "]";
    const json& item = weights[i];
    WeightParams w;
    w.tensor = text(item, "tensor", place);
    w.node = text(item, "node", place);
    w.bits = bitsField(item, "bits", place);
    w.perChannel = boolean(item, "per_channel", place);
    const auto axis = integer(item, "channel_axis", place);
    if (axis < 0 || axis >= 12)
      throw Error(place + ".channel_axis", "axis " + std::to_string(axis) + " is outside 0..11",
                  "recalibrate on this model");
    w.channelAxis = static_cast<int>(axis);
    const json& scales = field(item, "scales", place);
    if (!scales.is_array() || scales.empty())
      throw Error(place + ".scales", "expected a non-empty array of numbers", "");
    for (std::size_t k = 0; k < scales.size(); ++k) {
      if (!scales[k].is_number())
        throw Error(place + ".scales[" + std::to_string(k) + "]", "expected a number",
                    "recalibrate");
      w.scales.push_back(
          scaleValue(scales[k].get<double>(), place + ".scales[" + std::to_string(k) + "]"));
    }
    w.maxAbs = number(item, "max_abs", place);
    if (w.maxAbs < 0) throw Error(place + ".max_abs", "is negative", "recalibrate");
    params.weights.push_back(w);
  }
  return params;
}

void saveQuantParams(const QuantParams& params, const std::filesystem::path& path) {
  writeTextAtomically(
      path, toJson(params).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n',
      "the quantization parameters");
}

QuantParams loadQuantParams(const std::filesystem::path& path) {
  json document;
  try {
    // Regular file, json_bytes and json_depth limits.
    document = loadJsonFile(path, "quantization parameters");
  } catch (const json::exception& e) {
    throw Error(path.string(), "not valid JSON: " + plainJsonMessage(e),
                "pass a file written by imuwb");
  }
  try {
    return quantParamsFromJson(document, path.string());
  } catch (const json::exception& e) {
    throw Error(path.string(), "wrong field type: " + plainJsonMessage(e), "see docs/parity.md");
  }
}

}  // namespace imuwb::quant
