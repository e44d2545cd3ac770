#pragma once
// Internal to the manifest readers (Manifest.cpp, LegacyModelConfig.cpp): typed field reads that
// name the file and the field in every error, and the sections both formats share.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/Error.hpp"
#include "model/Manifest.hpp"

namespace imuwb::manifest_parsing {

inline constexpr const char* kManifestDocs = "see docs/manifest.md";

// The file being read; every error names it and the field.
struct Context {
  std::string file;
  Error fail(const std::string& field, const std::string& problem,
             const std::string& fix = kManifestDocs) const {
    return Error(file + ": " + field, problem, fix);
  }
};

// nlohmann's message without its "[json.exception.out_of_range.406] " tag.
std::string plainJsonMessage(const nlohmann::json::exception& error);
std::string numberText(double value);  // "%g"
std::string typeName(const nlohmann::json& value);

// Field reads: `path` is where `object` sits ("" for the root, "input", "outputs[2]").
const nlohmann::json& require(const Context& context, const nlohmann::json& object,
                              const std::string& key, const std::string& path);
std::string requireString(const Context& context, const nlohmann::json& object,
                          const std::string& key, const std::string& path);
std::string optionalString(const Context& context, const nlohmann::json& object,
                           const std::string& key, const std::string& path,
                           std::string fallback = {});
double numberAt(const Context& context, const nlohmann::json& value, const std::string& path);
double optionalNumber(const Context& context, const nlohmann::json& object, const std::string& key,
                      const std::string& path, double fallback);
// expectedSize 0 accepts any length.
std::vector<double> numberArray(const Context& context, const nlohmann::json& value,
                                const std::string& path, std::size_t expectedSize);
std::vector<std::string> stringArray(const Context& context, const nlohmann::json& value,
                                     const std::string& path);
// A static shape: positive integer dimensions whose product stays under tensor_elements.
std::vector<std::int64_t> shapeArray(const Context& context, const nlohmann::json& value,
                                     const std::string& path);

// Sections both formats share.
// A permutation of the first `channels` contract names (9: ax..mz; 6: ax..gz).
std::vector<std::string> channelOrderFrom(const Context& context, const nlohmann::json& value,
                                          const std::string& path, int channels);
// Checks the declared input shape against the layout; fills windowLength. Returns the channel
// axis's size: 9, or 6 for a model that takes no magnetometer.
int checkInputShape(const Context& context, InputSpec& input, int deviceCount);
NormalizationSpec parseNormalization(const Context& context, const nlohmann::json& node,
                                     std::vector<std::string>* orderOut, NormalizationBy defaultBy);

// The pipeline's model_config.json (model_specs + normalization), mapped onto a Manifest.
Manifest parseLegacyModelConfig(const Context& context, const nlohmann::json& document);

}  // namespace imuwb::manifest_parsing
