// The pipeline's legacy export record, model_config.json, read as a Manifest: it predates the
// imuwb manifest and is still what the training pipeline writes beside the ONNX.
#include <filesystem>

#include "model/ManifestParsing.hpp"

namespace imuwb::manifest_parsing {

Manifest parseLegacyModelConfig(const Context& context, const nlohmann::json& document) {
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
  manifest.input.channelOrder = contractChannelOrder(checkInputShape(context, manifest.input, 0));
  if (document.contains("normalization"))
    manifest.normalization = parseNormalization(
        context, document["normalization"], &manifest.input.channelOrder, NormalizationBy::Host);
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

}  // namespace imuwb::manifest_parsing
