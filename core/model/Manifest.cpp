#include "model/Manifest.hpp"

#include <cmath>
#include <set>

#include "common/Error.hpp"
#include "common/SafeRead.hpp"
#include "model/ManifestParsing.hpp"

namespace imuwb {
namespace {

using namespace manifest_parsing;

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

// Refuses anything but an imuwb-manifest of a version this build reads.
void checkFormat(const Context& context, const nlohmann::json& document) {
  const auto format = optionalString(context, document, "format", "");
  if (format != kManifestFormatName)
    throw context.fail("format",
                       format.empty() ? "missing (not an imuwb manifest)"
                                      : "is '" + format + "', expected 'imuwb-manifest'",
                       "start the file with \"format\": \"imuwb-manifest\", \"format_version\": 1");
}

void checkFormatVersion(const Context& context, const nlohmann::json& document) {
  const double version =
      numberAt(context, require(context, document, "format_version", ""), "format_version");
  if (version != kManifestFormatVersion)
    throw context.fail("format_version",
                       "version " + std::to_string(static_cast<int>(version)) +
                           " is not supported (this imuwb reads version 1)",
                       "upgrade imuwb or re-export the manifest as version 1");
}

// The input section; orderGiven says whether it lists its own channel_order.
InputSpec parseInput(const Context& context, const nlohmann::json& input, bool& orderGiven) {
  InputSpec spec;
  spec.name = requireString(context, input, "name", "input");
  const auto layout = requireString(context, input, "layout", "input");
  auto parsedLayout = parseLayout(layout);
  if (!parsedLayout)
    throw context.fail("input.layout", "unknown layout '" + layout + "'",
                       "use NTC, NCHW_devices, NCHW_time_folded or NHWC_devices");
  spec.layout = *parsedLayout;
  spec.shape = shapeArray(context, require(context, input, "shape", "input"), "input.shape");
  if (input.contains("devices"))
    spec.devices = stringArray(context, input["devices"], "input.devices");
  const bool deviceLayout =
      spec.layout == InputLayout::NCHW_devices || spec.layout == InputLayout::NHWC_devices;
  if (deviceLayout && spec.devices.empty())
    throw context.fail("input.devices", "required for layout " + layout,
                       "list the session device for each H index, e.g. [\"collar\", \"harness\"]");
  if (!deviceLayout && spec.devices.size() > 1)
    throw context.fail("input.devices", "layout " + layout + " takes one device, " +
                                            std::to_string(spec.devices.size()) + " given");
  spec.sampleRateHz = optionalNumber(context, input, "sample_rate_hz", "input", 100.0);
  if (!(spec.sampleRateHz > 0)) throw context.fail("input.sample_rate_hz", "must be > 0");
  const int channels =
      checkInputShape(context, spec, deviceLayout ? static_cast<int>(spec.devices.size()) : 0);
  spec.channelOrder = contractChannelOrder(channels);
  orderGiven = false;
  if (input.contains("channel_order")) {
    spec.channelOrder =
        channelOrderFrom(context, input["channel_order"], "input.channel_order", channels);
    orderGiven = true;
  }
  return spec;
}

// The host's normalization; its channel_order must agree with the input's when both are given.
void parseManifestNormalization(const Context& context, const nlohmann::json& document,
                                bool orderGiven, Manifest& manifest) {
  if (!document.contains("normalization") || document["normalization"].is_null()) return;
  std::vector<std::string> normOrder = manifest.input.channelOrder;
  manifest.normalization =
      parseNormalization(context, document["normalization"], &normOrder, NormalizationBy::Host);
  if (orderGiven && normOrder != manifest.input.channelOrder)
    throw context.fail("normalization.channel_order",
                       "differs from input.channel_order: mean/std would be applied to the wrong "
                       "channels",
                       "make both lists identical");
  manifest.input.channelOrder = normOrder;
}

std::vector<OutputSpec> parseOutputs(const Context& context, const nlohmann::json& document) {
  const auto& outputs = require(context, document, "outputs", "");
  if (!outputs.is_array() || outputs.empty())
    throw context.fail("outputs", "must be a non-empty array of {name, role, size}");
  std::vector<OutputSpec> specs;
  std::set<std::string> names;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    auto output = parseOutput(context, outputs[i], "outputs[" + std::to_string(i) + "]");
    if (!names.insert(output.name).second)
      throw context.fail("outputs[" + std::to_string(i) + "].name",
                         "output '" + output.name + "' is listed twice");
    specs.push_back(std::move(output));
  }
  return specs;
}

double parseTemperature(const Context& context, const nlohmann::json& document) {
  const double temperature = optionalNumber(context, document, "temperature", "", 1.0);
  if (!(temperature >= kMinTemperature && temperature <= kMaxTemperature))
    throw context.fail("temperature",
                       "is " + numberText(temperature) + "; it must be in [" +
                           numberText(kMinTemperature) + ", " + numberText(kMaxTemperature) +
                           "] (logits are divided by it; a tiny one makes every probability NaN)",
                       "write the fitted temperature (typically 0.5 to 5), or 1 for none");
  return temperature;
}

// FSQ levels and head; they must match the output with role fsq_projection, both ways.
std::optional<FsqSpec> parseFsq(const Context& context, const nlohmann::json& document,
                                const Manifest& manifest) {
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
    return fsq;
  }
  if (manifest.findRole(OutputRole::FsqProjection))
    throw context.fail("fsq", "an output has role fsq_projection but fsq.levels is missing",
                       "add \"fsq\": {\"levels\": [...]} so the host can round and index codes");
  return std::nullopt;
}

ParityThresholds parseParity(const Context& context, const nlohmann::json& document) {
  ParityThresholds parity;
  if (document.contains("parity") && document["parity"].is_object()) {
    const auto& node = document["parity"];
    parity.fp32Cosine = optionalNumber(context, node, "fp32_cosine", "parity", 0.99);
    parity.int8Cosine = optionalNumber(context, node, "int8_cosine", "parity", 0.95);
    parity.top1Agreement = optionalNumber(context, node, "top1_agreement", "parity", 0.0);
    for (double value : {parity.fp32Cosine, parity.int8Cosine, parity.top1Agreement})
      if (value < 0 || value > 1)
        throw context.fail("parity", "thresholds are fractions in [0, 1]");
  }
  return parity;
}

Manifest parseManifestDocument(const nlohmann::json& document,
                               const std::filesystem::path& source) {
  const Context context{source.empty() ? std::string("manifest") : source.string()};
  if (!document.is_object())
    throw context.fail("(root)", "expected a JSON object, found " + typeName(document));
  if (!document.contains("format") && document.contains("model_specs")) {
    auto manifest = parseLegacyModelConfig(context, document);
    manifest.sourcePath = source;
    return manifest;
  }
  checkFormat(context, document);
  Manifest manifest;
  manifest.sourcePath = source;
  checkFormatVersion(context, document);
  manifest.name = requireString(context, document, "name", "");
  manifest.version = optionalString(context, document, "version", "");
  manifest.onnxFile = optionalString(context, document, "onnx", "");
  bool orderGiven = false;
  manifest.input = parseInput(context, require(context, document, "input", ""), orderGiven);
  parseManifestNormalization(context, document, orderGiven, manifest);
  manifest.outputs = parseOutputs(context, document);
  manifest.temperature = parseTemperature(context, document);
  manifest.fsq = parseFsq(context, document, manifest);
  manifest.parity = parseParity(context, document);
  if (document.contains("input_range") && !document["input_range"].is_null()) {
    auto range = numberArray(context, document["input_range"], "input_range", 2);
    if (!(range[0] < range[1])) throw context.fail("input_range", "needs lo < hi");
    manifest.inputRange = std::array<double, 2>{range[0], range[1]};
  }
  if (document.contains("training")) manifest.training = document["training"];
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

std::vector<int> contractIndexOfModelChannels(const Manifest& manifest) {
  const int channels = manifest.input.channelCount();
  std::vector<int> index(static_cast<std::size_t>(channels), -1);
  for (int m = 0; m < channels; ++m) {
    for (int c = 0; c < channels; ++c)
      if (kChannelNames[c] == manifest.input.channelOrder[m]) index[m] = c;
    if (index[m] < 0)
      throw Error(manifest.sourcePath.string() + ": input.channel_order",
                  "channel '" + manifest.input.channelOrder[m] + "' is not a contract channel");
  }
  return index;
}

}  // namespace imuwb
