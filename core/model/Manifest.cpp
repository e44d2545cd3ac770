#include "model/Manifest.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "common/Error.hpp"
#include "common/InputLimits.hpp"
#include "common/SafeRead.hpp"

namespace imuwb {
namespace {

constexpr const char* kManifestDocs = "see docs/manifest.md";

struct Context {
  std::string file;
  Error fail(const std::string& field, const std::string& problem,
             const std::string& fix = kManifestDocs) const {
    return Error(file + ": " + field, problem, fix);
  }
};

// nlohmann's message without its "[json.exception.out_of_range.406] " tag: users get the file
// and the field from us, the library's words only as detail.
std::string plainJsonMessage(const nlohmann::json::exception& error) {
  std::string text = error.what();
  if (!text.empty() && text.front() == '[') {
    const auto end = text.find("] ");
    if (end != std::string::npos) text.erase(0, end + 2);
  }
  return text;
}

std::string numberText(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string typeName(const nlohmann::json& value) {
  return value.type_name();
}

const nlohmann::json& require(const Context& context, const nlohmann::json& object,
                              const std::string& key, const std::string& path) {
  if (!object.is_object())
    throw context.fail(path, "expected an object, found " + typeName(object));
  auto found = object.find(key);
  if (found == object.end() || found->is_null())
    throw context.fail(path + "." + key, "required field is missing");
  return *found;
}

std::string requireString(const Context& context, const nlohmann::json& object,
                          const std::string& key, const std::string& path) {
  const auto& value = require(context, object, key, path);
  if (!value.is_string())
    throw context.fail(path + "." + key, "expected a string, found " + typeName(value));
  return value.get<std::string>();
}

std::string optionalString(const Context& context, const nlohmann::json& object,
                           const std::string& key, const std::string& path,
                           std::string fallback = {}) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  throw context.fail(path + "." + key, "expected a string, found " + typeName(*found));
}

double numberAt(const Context& context, const nlohmann::json& value, const std::string& path) {
  if (!value.is_number()) {
    // JSON has no NaN; exporters write "NaN" or null. Name it plainly.
    if (value.is_null() || (value.is_string() && (value == "NaN" || value == "nan")))
      throw context.fail(path, "value is NaN/null", "write the finite value from training");
    throw context.fail(path, "expected a number, found " + typeName(value));
  }
  const double number = value.get<double>();
  if (!std::isfinite(number))
    throw context.fail(path, "value is not finite", "write the finite value from training");
  return number;
}

double optionalNumber(const Context& context, const nlohmann::json& object, const std::string& key,
                      const std::string& path, double fallback) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return fallback;
  return numberAt(context, *found, path + "." + key);
}

std::vector<double> numberArray(const Context& context, const nlohmann::json& value,
                                const std::string& path, std::size_t expectedSize) {
  if (!value.is_array()) throw context.fail(path, "expected an array, found " + typeName(value));
  if (expectedSize && value.size() != expectedSize)
    throw context.fail(path, "has " + std::to_string(value.size()) + " values, expected " +
                                 std::to_string(expectedSize) + " (one per channel)");
  std::vector<double> numbers;
  for (std::size_t i = 0; i < value.size(); ++i)
    numbers.push_back(numberAt(context, value[i], path + "[" + std::to_string(i) + "]"));
  return numbers;
}

std::vector<std::string> stringArray(const Context& context, const nlohmann::json& value,
                                     const std::string& path) {
  if (!value.is_array()) throw context.fail(path, "expected an array, found " + typeName(value));
  std::vector<std::string> strings;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string())
      throw context.fail(path + "[" + std::to_string(i) + "]",
                         "expected a string, found " + typeName(value[i]));
    strings.push_back(value[i].get<std::string>());
  }
  return strings;
}

std::vector<std::int64_t> shapeArray(const Context& context, const nlohmann::json& value,
                                     const std::string& path) {
  std::vector<std::int64_t> shape;
  const auto limit = limits::value(limits::kTensorElements);
  std::uint64_t extent = 1;
  for (double dim : numberArray(context, value, path, 0)) {
    if (dim != std::floor(dim) || dim < 1)
      throw context.fail(path, "dimensions must be positive integers (static shapes)");
    // Compared as doubles first: a cast of 1e30 to an integer is undefined.
    if (dim > static_cast<double>(limit) ||
        __builtin_mul_overflow(extent, static_cast<std::uint64_t>(dim), &extent) || extent > limit)
      throw context.fail(path,
                         "the shape claims more than the tensor_elements limit of " +
                             std::to_string(limit) + " values",
                         "write the model's real (static) shape");
    shape.push_back(static_cast<std::int64_t>(dim));
  }
  if (shape.empty())
    throw context.fail(path, "the shape is empty", "write the full static shape, e.g. [1,64]");
  return shape;
}

std::array<std::string, kChannelCount> channelOrderFrom(const Context& context,
                                                        const nlohmann::json& value,
                                                        const std::string& path) {
  auto names = stringArray(context, value, path);
  if (names.size() != kChannelCount)
    throw context.fail(path, "has " + std::to_string(names.size()) + " names, expected 9",
                       "list all nine channels: ax ay az gx gy gz mx my mz, in model order");
  std::array<std::string, kChannelCount> order;
  std::set<std::string> seen;
  for (int c = 0; c < kChannelCount; ++c) {
    bool known = false;
    for (auto name : kChannelNames) known |= (name == names[c]);
    if (!known)
      throw context.fail(path + "[" + std::to_string(c) + "]", "unknown channel '" + names[c] + "'",
                         "use the contract names ax ay az gx gy gz mx my mz");
    if (!seen.insert(names[c]).second)
      throw context.fail(path, "channel '" + names[c] + "' appears twice",
                         "each of the nine channels must appear exactly once");
    order[c] = names[c];
  }
  return order;
}

std::array<std::string, kChannelCount> contractOrder() {
  std::array<std::string, kChannelCount> order;
  for (int c = 0; c < kChannelCount; ++c) order[c] = std::string(kChannelNames[c]);
  return order;
}

// Checks the declared input shape against the layout; fills windowLength.
void checkInputShape(const Context& context, InputSpec& input, int deviceCount) {
  const auto& shape = input.shape;
  auto describe = [&] {
    std::ostringstream text;
    text << "[";
    for (std::size_t i = 0; i < shape.size(); ++i) text << (i ? "," : "") << shape[i];
    text << "]";
    return text.str();
  };
  auto bad = [&](const std::string& expected) {
    return context.fail("input.shape", "shape " + describe() + " does not fit layout " +
                                           std::string(layoutName(input.layout)) + ": expected " +
                                           expected);
  };
  const std::size_t rank = input.layout == InputLayout::NTC ? 3 : 4;
  if (shape.size() != rank) throw bad(std::to_string(rank) + " dimensions");
  if (shape[0] != 1)
    throw context.fail(
        "input.shape",
        "batch dimension is " + std::to_string(shape[0]) + ", the device runs batch 1",
        "export with a static batch of 1");
  switch (input.layout) {
    case InputLayout::NTC:
      if (shape[2] != kChannelCount) throw bad("[1,T,9]");
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[1], INT32_MAX));
      break;
    case InputLayout::NCHW_devices:
      if (shape[1] != kChannelCount) throw bad("[1,9,devices,T]");
      if (deviceCount && shape[2] != deviceCount)
        throw context.fail("input.devices", "lists " + std::to_string(deviceCount) +
                                                " devices but the H axis of the shape is " +
                                                std::to_string(shape[2]));
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[3], INT32_MAX));
      break;
    case InputLayout::NCHW_time_folded:
      if (shape[1] != kChannelCount) throw bad("[1,9,folds,T/folds]");
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[2] * shape[3], INT32_MAX));
      break;
    case InputLayout::NHWC_devices:
      if (shape[3] != kChannelCount) throw bad("[1,devices,T,9]");
      if (deviceCount && shape[1] != deviceCount)
        throw context.fail("input.devices", "lists " + std::to_string(deviceCount) +
                                                " devices but the H axis of the shape is " +
                                                std::to_string(shape[1]));
      input.windowLength = static_cast<int>(std::min<std::int64_t>(shape[2], INT32_MAX));
      break;
  }
  if (input.windowLength < 2) throw bad("a window of at least 2 samples");
  if (input.windowLength > kMaxWindowLength)
    throw context.fail("input.shape",
                       "a window of " + std::to_string(input.windowLength) +
                           " samples is over the limit of " + std::to_string(kMaxWindowLength),
                       "write the model's real window length (the contract uses 100)");
}

NormalizationSpec parseNormalization(const Context& context, const nlohmann::json& node,
                                     std::array<std::string, kChannelCount>* orderOut,
                                     NormalizationBy defaultBy) {
  NormalizationSpec spec;
  spec.present = true;
  spec.method = optionalString(context, node, "method", "normalization", "z_score_per_channel");
  if (spec.method != "z_score_per_channel")
    throw context.fail("normalization.method", "unknown method '" + spec.method + "'",
                       "only z_score_per_channel ((raw - mean[c]) / std[c]) is defined");
  const auto by = optionalString(context, node, "applied_by", "normalization",
                                 defaultBy == NormalizationBy::Host ? "host" : "model");
  if (by == "host")
    spec.appliedBy = NormalizationBy::Host;
  else if (by == "model")
    spec.appliedBy = NormalizationBy::Model;
  else
    throw context.fail("normalization.applied_by", "unknown value '" + by + "'",
                       "use \"host\" (the host z-scores before inference) or \"model\" (the graph "
                       "does it); never both");
  auto mean = numberArray(context, require(context, node, "mean", "normalization"),
                          "normalization.mean", kChannelCount);
  auto std = numberArray(context, require(context, node, "std", "normalization"),
                         "normalization.std", kChannelCount);
  for (int c = 0; c < kChannelCount; ++c) {
    if (!(std[c] > 0))
      throw context.fail("normalization.std[" + std::to_string(c) + "]",
                         "std is " + std::to_string(std[c]) + "; it must be > 0 (division by it)",
                         "write the per-channel std from the training set");
    // The host divides in float32: 1e-300 is 0 there and every z-score would be inf.
    if (std[c] < kMinNormalizationStd || std[c] > kMaxNormalizationMagnitude)
      throw context.fail("normalization.std[" + std::to_string(c) + "]",
                         "std is " + numberText(std[c]) + ", outside the usable range [" +
                             numberText(kMinNormalizationStd) + ", " +
                             numberText(kMaxNormalizationMagnitude) +
                             "] (float32 z-scores would be inf or 0)",
                         "write the per-channel std from the training set");
    if (std::fabs(mean[c]) > kMaxNormalizationMagnitude)
      throw context.fail("normalization.mean[" + std::to_string(c) + "]",
                         "mean is " + numberText(mean[c]) + ", beyond +-" +
                             numberText(kMaxNormalizationMagnitude) +
                             " (float32 z-scores would be meaningless)",
                         "write the per-channel mean from the training set");
    spec.mean[c] = static_cast<float>(mean[c]);
    spec.std[c] = static_cast<float>(std[c]);
  }
  if (orderOut && node.contains("channel_order"))
    *orderOut = channelOrderFrom(context, node["channel_order"], "normalization.channel_order");
  return spec;
}

OutputSpec parseOutput(const Context& context, const nlohmann::json& node,
                       const std::string& path) {
  OutputSpec output;
  output.name = requireString(context, node, "name", path);
  const auto role = requireString(context, node, "role", path);
  auto parsed = parseRole(role);
  if (!parsed)
    throw context.fail(path + ".role", "unknown role '" + role + "'",
                       "use one of latent, motif_scores, logits, fsq_projection");
  output.role = *parsed;
  const double size = numberAt(context, require(context, node, "size", path), path + ".size");
  if (size < 1 || size != std::floor(size))
    throw context.fail(path + ".size", "size must be a positive integer");
  if (size > static_cast<double>(kMaxOutputSize))
    throw context.fail(path + ".size",
                       "size " + numberText(size) + " is over the limit of " +
                           std::to_string(kMaxOutputSize) + " values per window",
                       "write the output's real size");
  output.size = static_cast<int>(size);
  for (const char* key : {"names", "class_names", "motif_names"}) {
    if (node.contains(key)) {
      output.names = stringArray(context, node[key], path + "." + key);
      if (static_cast<int>(output.names.size()) != output.size)
        throw context.fail(path + "." + key,
                           "has " + std::to_string(output.names.size()) + " names for " +
                               std::to_string(output.size) + " values",
                           "give one name per value, or none");
    }
  }
  return output;
}

Manifest parseLegacy(const Context& context, const nlohmann::json& document) {
  // The pipeline's export record: model_specs {input_shape, output_shape, output_format},
  // normalization {mean, std, channel_order}, files {onnx_model}. The sidecar z-scores on the
  // host, and the graph input is "normalized_imu_window".
  Manifest manifest;
  manifest.legacyModelConfig = true;
  const auto& specs = require(context, document, "model_specs", "");
  manifest.input.shape = shapeArray(context, require(context, specs, "input_shape", "model_specs"),
                                    "model_specs.input_shape");
  const auto& shape = manifest.input.shape;
  if (shape.size() != 3)
    throw context.fail("model_specs.input_shape",
                       "a legacy model_config.json can only describe the NTC [1,T,9] layout",
                       "write an imuwb manifest with input.layout and input.devices "
                       "(see docs/manifest.md)");
  manifest.input.layout = InputLayout::NTC;
  manifest.input.channelOrder = contractOrder();
  if (document.contains("normalization"))
    manifest.normalization = parseNormalization(
        context, document["normalization"], &manifest.input.channelOrder, NormalizationBy::Host);
  checkInputShape(context, manifest.input, 0);
  auto outputShape = shapeArray(context, require(context, specs, "output_shape", "model_specs"),
                                "model_specs.output_shape");
  OutputSpec output;
  output.name = optionalString(context, specs, "output_format", "model_specs", "latent_embeddings");
  output.role = OutputRole::Latent;
  if (outputShape.back() > kMaxOutputSize)
    throw context.fail("model_specs.output_shape",
                       "the last dimension " + std::to_string(outputShape.back()) +
                           " is over the limit of " + std::to_string(kMaxOutputSize) +
                           " values per window",
                       "write the output's real shape, e.g. [1,64]");
  output.size = static_cast<int>(outputShape.back());
  if (specs.contains("latent_dimension")) {
    const double latent =
        numberAt(context, specs["latent_dimension"], "model_specs.latent_dimension");
    if (latent != output.size)
      throw context.fail("model_specs.latent_dimension",
                         "says " + std::to_string(static_cast<int>(latent)) +
                             " but output_shape ends in " + std::to_string(output.size));
  }
  manifest.outputs.push_back(output);
  if (document.contains("files") && document["files"].is_object())
    manifest.onnxFile = optionalString(context, document["files"], "onnx_model", "files");
  manifest.name = manifest.onnxFile.empty()
                      ? "model"
                      : std::filesystem::path(manifest.onnxFile).stem().string();
  if (document.contains("export_info") && document["export_info"].is_object()) {
    manifest.version =
        optionalString(context, document["export_info"], "export_version", "export_info");
    manifest.training = document["export_info"];
  }
  return manifest;
}

}  // namespace

std::string_view layoutName(InputLayout layout) {
  switch (layout) {
    case InputLayout::NTC:
      return "NTC";
    case InputLayout::NCHW_devices:
      return "NCHW_devices";
    case InputLayout::NCHW_time_folded:
      return "NCHW_time_folded";
    case InputLayout::NHWC_devices:
      return "NHWC_devices";
  }
  return "?";
}

std::optional<InputLayout> parseLayout(std::string_view name) {
  for (auto layout : {InputLayout::NTC, InputLayout::NCHW_devices, InputLayout::NCHW_time_folded,
                      InputLayout::NHWC_devices})
    if (layoutName(layout) == name) return layout;
  if (name == "NCHW") return InputLayout::NCHW_devices;
  if (name == "NHWC") return InputLayout::NHWC_devices;
  return std::nullopt;
}

const OutputSpec* Manifest::findOutput(std::string_view outputName) const {
  for (const auto& output : outputs)
    if (output.name == outputName) return &output;
  return nullptr;
}

const OutputSpec* Manifest::findRole(OutputRole role) const {
  for (const auto& output : outputs)
    if (output.role == role) return &output;
  return nullptr;
}

int Manifest::deviceCount() const {
  if (input.layout == InputLayout::NCHW_devices) return static_cast<int>(input.shape.at(2));
  if (input.layout == InputLayout::NHWC_devices) return static_cast<int>(input.shape.at(1));
  return 1;
}

namespace {
Manifest parseManifestDocument(const nlohmann::json& document, const std::filesystem::path& source);
}  // namespace

Manifest parseManifest(const nlohmann::json& document, const std::filesystem::path& source) {
  try {
    return parseManifestDocument(document, source);
  } catch (const nlohmann::json::exception& error) {
    // Every field is type-checked before use; this is the net under that, so no raw
    // "[json.exception...]" ever reaches a user without the file name.
    throw Error(source.empty() ? std::string("manifest") : source.string(),
                "a field has an unexpected JSON type or value: " + plainJsonMessage(error),
                kManifestDocs);
  }
}

namespace {
Manifest parseManifestDocument(const nlohmann::json& document,
                               const std::filesystem::path& source) {
  const Context context{source.empty() ? std::string("manifest") : source.string()};
  if (!document.is_object())
    throw context.fail("(root)", "expected a JSON object, found " + typeName(document));
  if (!document.contains("format") && document.contains("model_specs")) {
    auto manifest = parseLegacy(context, document);
    manifest.sourcePath = source;
    return manifest;
  }
  const auto format = optionalString(context, document, "format", "");
  if (format != kManifestFormatName)
    throw context.fail("format",
                       format.empty() ? "missing (not an imuwb manifest)"
                                      : "is '" + format + "', expected 'imuwb-manifest'",
                       "start the file with \"format\": \"imuwb-manifest\", \"format_version\": 1");
  Manifest manifest;
  manifest.sourcePath = source;
  const double version =
      numberAt(context, require(context, document, "format_version", ""), "format_version");
  if (version != kManifestFormatVersion)
    throw context.fail("format_version",
                       "version " + std::to_string(static_cast<int>(version)) +
                           " is not supported (this imuwb reads version 1)",
                       "upgrade imuwb or re-export the manifest as version 1");
  manifest.name = requireString(context, document, "name", "");
  manifest.version = optionalString(context, document, "version", "");
  manifest.onnxFile = optionalString(context, document, "onnx", "");

  const auto& input = require(context, document, "input", "");
  manifest.input.name = requireString(context, input, "name", "input");
  const auto layout = requireString(context, input, "layout", "input");
  auto parsedLayout = parseLayout(layout);
  if (!parsedLayout)
    throw context.fail("input.layout", "unknown layout '" + layout + "'",
                       "use NTC, NCHW_devices, NCHW_time_folded or NHWC_devices");
  manifest.input.layout = *parsedLayout;
  manifest.input.shape =
      shapeArray(context, require(context, input, "shape", "input"), "input.shape");
  if (input.contains("devices"))
    manifest.input.devices = stringArray(context, input["devices"], "input.devices");
  const bool deviceLayout = manifest.input.layout == InputLayout::NCHW_devices ||
                            manifest.input.layout == InputLayout::NHWC_devices;
  if (deviceLayout && manifest.input.devices.empty())
    throw context.fail("input.devices", "required for layout " + layout,
                       "list the session device for each H index, e.g. [\"collar\", \"harness\"]");
  if (!deviceLayout && manifest.input.devices.size() > 1)
    throw context.fail("input.devices", "layout " + layout + " takes one device, " +
                                            std::to_string(manifest.input.devices.size()) +
                                            " given");
  manifest.input.sampleRateHz = optionalNumber(context, input, "sample_rate_hz", "input", 100.0);
  if (!(manifest.input.sampleRateHz > 0)) throw context.fail("input.sample_rate_hz", "must be > 0");
  checkInputShape(context, manifest.input,
                  deviceLayout ? static_cast<int>(manifest.input.devices.size()) : 0);
  manifest.input.channelOrder = contractOrder();
  bool orderGiven = false;
  if (input.contains("channel_order")) {
    manifest.input.channelOrder =
        channelOrderFrom(context, input["channel_order"], "input.channel_order");
    orderGiven = true;
  }

  if (document.contains("normalization") && !document["normalization"].is_null()) {
    std::array<std::string, kChannelCount> normOrder = manifest.input.channelOrder;
    manifest.normalization =
        parseNormalization(context, document["normalization"], &normOrder, NormalizationBy::Host);
    if (orderGiven && normOrder != manifest.input.channelOrder)
      throw context.fail("normalization.channel_order",
                         "differs from input.channel_order: mean/std would be applied to the wrong "
                         "channels",
                         "make both lists identical");
    manifest.input.channelOrder = normOrder;
  }

  const auto& outputs = require(context, document, "outputs", "");
  if (!outputs.is_array() || outputs.empty())
    throw context.fail("outputs", "must be a non-empty array of {name, role, size}");
  std::set<std::string> names;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    auto output = parseOutput(context, outputs[i], "outputs[" + std::to_string(i) + "]");
    if (!names.insert(output.name).second)
      throw context.fail("outputs[" + std::to_string(i) + "].name",
                         "output '" + output.name + "' is listed twice");
    manifest.outputs.push_back(std::move(output));
  }

  manifest.temperature = optionalNumber(context, document, "temperature", "", 1.0);
  if (!(manifest.temperature >= kMinTemperature && manifest.temperature <= kMaxTemperature))
    throw context.fail("temperature",
                       "is " + numberText(manifest.temperature) + "; it must be in [" +
                           numberText(kMinTemperature) + ", " + numberText(kMaxTemperature) +
                           "] (logits are divided by it; a tiny one makes every probability NaN)",
                       "write the fitted temperature (typically 0.5 to 5), or 1 for none");

  if (document.contains("fsq") && !document["fsq"].is_null()) {
    const auto& node = document["fsq"];
    FsqSpec fsq;
    for (double level :
         numberArray(context, require(context, node, "levels", "fsq"), "fsq.levels", 0)) {
      if (level < 2 || level != std::floor(level) || level > 65536)
        throw context.fail("fsq.levels", "each level must be an integer >= 2");
      fsq.levels.push_back(static_cast<int>(level));
    }
    if (fsq.levels.empty()) throw context.fail("fsq.levels", "must not be empty");
    std::int64_t codebook = 1;
    for (int level : fsq.levels)
      if (__builtin_mul_overflow(codebook, level, &codebook) || codebook > kMaxFsqCodebook)
        throw context.fail("fsq.levels",
                           "the product of the levels (the codebook size) is over " +
                               std::to_string(kMaxFsqCodebook) + ", so code indices would overflow",
                           "use fewer or smaller levels (e.g. [8,6,5,5,4] = 4800 codes)");
    if (node.contains("bound_on_device")) {
      if (!node["bound_on_device"].is_boolean())
        throw context.fail("fsq.bound_on_device", "expected true or false");
      fsq.boundOnDevice = node["bound_on_device"].get<bool>();
    }
    fsq.headOnnx = optionalString(context, node, "head_onnx", "fsq");
    fsq.headInput = optionalString(context, node, "head_input", "fsq");
    fsq.headOutput = optionalString(context, node, "head_output", "fsq");
    if (node.contains("class_names"))
      fsq.classNames = stringArray(context, node["class_names"], "fsq.class_names");
    const auto* projection = manifest.findRole(OutputRole::FsqProjection);
    if (!projection)
      throw context.fail("fsq", "FSQ levels given but no output has role fsq_projection",
                         "mark the device output that carries the bounded projection");
    if (projection->size != static_cast<int>(fsq.levels.size()))
      throw context.fail("fsq.levels", "has " + std::to_string(fsq.levels.size()) +
                                           " levels but output '" + projection->name + "' has " +
                                           std::to_string(projection->size) + " values");
    manifest.fsq = std::move(fsq);
  } else if (manifest.findRole(OutputRole::FsqProjection)) {
    throw context.fail("fsq", "an output has role fsq_projection but fsq.levels is missing",
                       "add \"fsq\": {\"levels\": [...]} so the host can round and index codes");
  }

  if (document.contains("parity") && document["parity"].is_object()) {
    const auto& node = document["parity"];
    manifest.parity.fp32Cosine = optionalNumber(context, node, "fp32_cosine", "parity", 0.99);
    manifest.parity.int8Cosine = optionalNumber(context, node, "int8_cosine", "parity", 0.95);
    manifest.parity.top1Agreement = optionalNumber(context, node, "top1_agreement", "parity", 0.0);
    for (double value :
         {manifest.parity.fp32Cosine, manifest.parity.int8Cosine, manifest.parity.top1Agreement})
      if (value < 0 || value > 1)
        throw context.fail("parity", "thresholds are fractions in [0, 1]");
  }
  if (document.contains("input_range") && !document["input_range"].is_null()) {
    auto range = numberArray(context, document["input_range"], "input_range", 2);
    if (!(range[0] < range[1])) throw context.fail("input_range", "needs lo < hi");
    manifest.inputRange = std::array<double, 2>{range[0], range[1]};
  }
  if (document.contains("training")) manifest.training = document["training"];
  return manifest;
}
}  // namespace

Manifest loadManifest(const std::filesystem::path& path) {
  // Regular file, json_bytes and json_depth limits: deep nesting once overflowed the stack.
  nlohmann::json document;
  try {
    document = loadJsonFile(path, "manifest");
  } catch (const nlohmann::json::exception& error) {
    // Numbers beyond double (1e999) are out_of_range, not parse errors.
    throw Error(path.string(), "not valid JSON: " + plainJsonMessage(error), "fix the JSON syntax");
  }
  return parseManifest(document, path);
}

nlohmann::json manifestToJson(const Manifest& manifest) {
  nlohmann::json input = {{"name", manifest.input.name},
                          {"layout", layoutName(manifest.input.layout)},
                          {"shape", manifest.input.shape},
                          {"channel_order", manifest.input.channelOrder},
                          {"sample_rate_hz", manifest.input.sampleRateHz}};
  if (!manifest.input.devices.empty()) input["devices"] = manifest.input.devices;
  nlohmann::json document = {{"format", kManifestFormatName},
                             {"format_version", kManifestFormatVersion},
                             {"name", manifest.name},
                             {"version", manifest.version},
                             {"input", input}};
  if (!manifest.onnxFile.empty()) document["onnx"] = manifest.onnxFile;
  if (manifest.normalization.present)
    document["normalization"] = {
        {"method", manifest.normalization.method},
        {"applied_by",
         manifest.normalization.appliedBy == NormalizationBy::Host ? "host" : "model"},
        {"mean", manifest.normalization.mean},
        {"std", manifest.normalization.std},
        {"channel_order", manifest.input.channelOrder}};
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& output : manifest.outputs) {
    nlohmann::json node = {
        {"name", output.name}, {"role", roleName(output.role)}, {"size", output.size}};
    if (!output.names.empty()) node["names"] = output.names;
    outputs.push_back(node);
  }
  document["outputs"] = outputs;
  document["temperature"] = manifest.temperature;
  if (manifest.fsq) {
    nlohmann::json fsq = {{"levels", manifest.fsq->levels},
                          {"bound_on_device", manifest.fsq->boundOnDevice}};
    if (!manifest.fsq->headOnnx.empty()) fsq["head_onnx"] = manifest.fsq->headOnnx.string();
    if (!manifest.fsq->headInput.empty()) fsq["head_input"] = manifest.fsq->headInput;
    if (!manifest.fsq->headOutput.empty()) fsq["head_output"] = manifest.fsq->headOutput;
    if (!manifest.fsq->classNames.empty()) fsq["class_names"] = manifest.fsq->classNames;
    document["fsq"] = fsq;
  }
  document["parity"] = {{"fp32_cosine", manifest.parity.fp32Cosine},
                        {"int8_cosine", manifest.parity.int8Cosine},
                        {"top1_agreement", manifest.parity.top1Agreement}};
  if (manifest.inputRange) document["input_range"] = *manifest.inputRange;
  if (!manifest.training.empty()) document["training"] = manifest.training;
  return document;
}

std::array<int, kChannelCount> contractIndexOfModelChannels(const Manifest& manifest) {
  std::array<int, kChannelCount> index{};
  for (int m = 0; m < kChannelCount; ++m) {
    index[m] = -1;
    for (int c = 0; c < kChannelCount; ++c)
      if (kChannelNames[c] == manifest.input.channelOrder[m]) index[m] = c;
    if (index[m] < 0)
      throw Error(manifest.sourcePath.string() + ": input.channel_order",
                  "channel '" + manifest.input.channelOrder[m] + "' is not a contract channel");
  }
  return index;
}

}  // namespace imuwb
