#pragma once
// Quantization parameters as data: what the emulator uses, what users inspect, and what can be
// saved to JSON, edited (what-if precision, clipping overrides) and loaded back.
// Schema: docs/parity.md, "Quantization parameters JSON" (format "imuwb-quant-params", v1).
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "quant/AffineQuantizer.hpp"
#include "quant/CalibrationStats.hpp"

namespace imuwb::quant {

inline constexpr int kQuantParamsFormatVersion = 1;

// Per-layer precision, as Hailo's model script names it.
enum class Precision { A8W8, A16W16 };
std::string precisionName(Precision precision);  // "a8_w8" / "a16_w16"
std::optional<Precision> parsePrecision(const std::string& text);

// A per-layer change requested by the user: the what-if knobs.
struct LayerOverride {
  std::string node;  // ONNX node name (or tensor name) it applies to
  std::optional<Precision> precision;
  std::optional<double> clipMin;  // replaces the calibrated range
  std::optional<double> clipMax;
};

// How calibration turns statistics into grids.
struct QuantConfig {
  int activationBits = 8;
  int weightBits = 8;
  bool weightsPerChannel = true;
  RangePolicy range;  // min/max or percentile
  // A forced input range (what the compiled model's input stream uses), e.g. the [0,1] incident.
  std::optional<double> inputMin;
  std::optional<double> inputMax;
  std::vector<LayerOverride> overrides;

  const LayerOverride* overrideFor(const std::string& node_or_tensor) const;
};

// One quantized activation tensor (a graph input or a planned step's output).
struct ActivationParams {
  std::string tensor;  // ONNX value name
  std::string node;    // producing node (empty for graph inputs)
  bool isGraphInput = false;
  int bits = 8;
  double scale = 1.0;
  std::int64_t zeroPoint = 0;
  std::int64_t qMin = 0;
  std::int64_t qMax = 255;
  double rangeMin = 0.0;  // the grid's representable range [(q_min-zp)s, (q_max-zp)s]
  double rangeMax = 0.0;
  double calibMin = 0.0;  // what calibration saw
  double calibMax = 0.0;
  double clipFraction = 0.0;  // fraction of calibration values outside the range
  // (calib_max - calib_min) / (p99.99 - p0.01) of the calibration values: well above 1 when a
  // few outliers set a min/max range and waste the grid's steps. Optional in JSON (default 1).
  double outlierRatio = 1.0;
  std::string rangeSource;  // "minmax", "percentile", "override", "input_range"

  AffineGrid grid() const { return {scale, zeroPoint, qMin, qMax}; }
};

// One quantized weight tensor (a constant feeding Conv/Gemm/MatMul).
struct WeightParams {
  std::string tensor;
  std::string node;
  int bits = 8;
  bool perChannel = true;
  int channelAxis = 0;         // axis of the output channel in the stored weight
  std::vector<double> scales;  // one per channel, or one
  double maxAbs = 0.0;
};

struct QuantParams {
  int formatVersion = kQuantParamsFormatVersion;
  std::string modelSha256;
  std::uint64_t calibrationWindows = 0;
  QuantConfig config;
  std::vector<ActivationParams> activations;  // execution order
  std::vector<WeightParams> weights;

  const ActivationParams* activation(const std::string& tensor) const;
  ActivationParams* activation(const std::string& tensor);
  const WeightParams* weight(const std::string& tensor) const;
};

nlohmann::json toJson(const QuantParams& params);
nlohmann::json toJson(const QuantConfig& config);
// Throws imuwb::Error naming `where` and the offending field.
QuantParams quantParamsFromJson(const nlohmann::json& document, const std::string& where);
QuantConfig quantConfigFromJson(const nlohmann::json& document, const std::string& where);

void saveQuantParams(const QuantParams& params, const std::filesystem::path& path);
QuantParams loadQuantParams(const std::filesystem::path& path);

}  // namespace imuwb::quant
