#pragma once
// The model manifest: everything the host must know to feed a model and read its outputs
// (docs/manifest.md). JSON beside the ONNX. The pipeline's legacy export record
// (model_config.json: model_specs + normalization) is accepted as-is and mapped onto this.
#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Channels.hpp"
#include "common/OutputRole.hpp"

namespace imuwb {

inline constexpr const char* kManifestFormatName = "imuwb-manifest";

// Numeric sanity bounds a manifest is held to at load (docs/manifest.md). Outside them the
// host would compute nonsense: a temperature of 1e-320 turns every probability into NaN, a
// std of 1e-300 is 0 in float32 and z-scores to inf, and FSQ levels whose product passes
// kMaxFsqCodebook overflow the code index.
inline constexpr double kMinTemperature = 1e-6;
inline constexpr double kMaxTemperature = 1e6;
inline constexpr double kMinNormalizationStd = 1e-9;
inline constexpr double kMaxNormalizationMagnitude = 1e9;    // |mean| and std
inline constexpr std::int64_t kMaxFsqCodebook = 2147483647;  // code indices fit int32
inline constexpr std::int64_t kMaxWindowLength = 1000000;    // samples per window
inline constexpr std::int64_t kMaxOutputSize = 16777216;     // values per window per output
inline constexpr int kManifestFormatVersion = 1;

// How one window is laid out in the model's input tensor.
enum class InputLayout {
  NTC,               // [1, T=100, C=9]: time-major, one device (TCN encoder)
  NCHW_devices,      // [1, C=9, H=devices, W=100]: H indexes devices (input.devices)
  NCHW_time_folded,  // [1, C=9, H=2, W=50]: one device, time folded row-major (t = h*W + w)
  NHWC_devices,      // [1, H=devices, W=100, C=9]: Hailo's host-side layout of NCHW_devices
};
std::string_view layoutName(InputLayout layout);  // "NTC", "NCHW_devices", ...
std::optional<InputLayout> parseLayout(std::string_view name);

enum class NormalizationBy { Host, Model };

// The first `channels` contract names in contract order: ax..mz (9) or ax..gz (6).
inline std::vector<std::string> contractChannelOrder(int channels) {
  return std::vector<std::string>(kChannelNames.begin(), kChannelNames.begin() + channels);
}

struct InputSpec {
  std::string name;  // graph input name
  InputLayout layout = InputLayout::NTC;
  std::vector<std::int64_t> shape;  // full shape with batch, e.g. [1,100,9]
  // H index -> session device name. NTC / time-folded: one entry, or empty = first device.
  std::vector<std::string> devices;
  // Model channel index -> contract channel name: a permutation of all nine contract channels,
  // or of the first six (ax..gz) for a model that takes no magnetometer.
  std::vector<std::string> channelOrder = contractChannelOrder(kChannelCount);
  int windowLength = kContractWindowLength;  // samples per window
  double sampleRateHz = kContractSampleRateHz;

  int channelCount() const { return static_cast<int>(channelOrder.size()); }  // 9 or 6
  bool needsMagnetometer() const { return channelCount() == kChannelCount; }
};

struct NormalizationSpec {
  bool present = false;  // false: the manifest has no normalization contract
  std::string method = "z_score_per_channel";
  NormalizationBy appliedBy = NormalizationBy::Host;
  // Indexed like InputSpec::channelOrder (model channel order); empty without a contract.
  std::vector<float> mean;
  std::vector<float> std;
};

struct OutputSpec {
  std::string name;  // graph output name
  OutputRole role = OutputRole::Latent;
  int size = 0;                    // values per window (D)
  std::vector<std::string> names;  // class names (logits) or motif names (motif_scores)
};

struct FsqSpec {
  std::vector<int> levels;         // e.g. [8,6,5,5,4]; size == projection output size
  bool boundOnDevice = true;       // true: device outputs tanh-bounded values (contract default)
  std::filesystem::path headOnnx;  // host-side classifier head, resolved against the bundle
  std::string headInput;           // head input name (empty = the head's only input)
  std::string headOutput;          // head output name (empty = the head's only output)
  std::vector<std::string> classNames;  // of the head's logits
};

struct ParityThresholds {
  double fp32Cosine = 0.99;    // PyTorch/ONNX FP32 vs another FP32 runner
  double int8Cosine = 0.95;    // FP32 vs INT8 (Hailo), per output
  double top1Agreement = 0.0;  // minimum class-decision agreement; 0 = report only
};

struct Manifest {
  int formatVersion = kManifestFormatVersion;
  bool legacyModelConfig = false;  // loaded from the pipeline's model_config.json
  std::string name;
  std::string version;
  std::string onnxFile;  // relative to the manifest's folder; may be empty
  InputSpec input;
  NormalizationSpec normalization;
  std::vector<OutputSpec> outputs;
  double temperature = 1.0;  // logits are divided by this before softmax
  std::optional<FsqSpec> fsq;
  ParityThresholds parity;
  // The device's input quantization range in normalized units, when known ([lo, hi]).
  std::optional<std::array<double, 2>> inputRange;
  nlohmann::json training = nlohmann::json::object();  // free-form: accuracy, data, seed...
  std::filesystem::path sourcePath;  // the JSON file it came from; empty when built in memory

  const OutputSpec* findOutput(std::string_view outputName) const;
  const OutputSpec* findRole(OutputRole role) const;  // first output with that role
  int deviceCount() const;                            // H for device layouts, 1 otherwise
};

// Parses a manifest (or a legacy model_config.json). source names the file in errors.
// Throws imuwb::Error naming the field and what is wrong (missing, wrong length, NaN or zero
// std, unknown layout/role, channel order not a permutation, FSQ levels vs output size...).
Manifest parseManifest(const nlohmann::json& document, const std::filesystem::path& source);
Manifest loadManifest(const std::filesystem::path& path);
// Serializes in the current format (legacy documents come out in the new format).
nlohmann::json manifestToJson(const Manifest& manifest);

// Index of each model channel in the contract order: contractIndex[modelChannel]. Its size is
// the model's channel count; with 6 channels every index is below 6.
std::vector<int> contractIndexOfModelChannels(const Manifest& manifest);

}  // namespace imuwb
