// Hostile manifests and model_config.json files: deep nesting (once a stack overflow in
// info/check/run), empty output shapes (a segfault), numbers beyond double (a raw
// "[json.exception.out_of_range.406]"), and values that make the host compute nonsense
// (temperature 1e-320, std 1e-300, FSQ codebooks that overflow the code index). Each is an
// imuwb::Error naming the file and the JSON field.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "common/Error.hpp"
#include "model/Manifest.hpp"
#include "model/ModelBundle.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace fs = std::filesystem;

namespace imuwb {
namespace {

using test::TempDir;

const char* kGoodManifest = R"({
  "format": "imuwb-manifest", "format_version": 1, "name": "m", "onnx": "model.onnx",
  "input": {"name": "x", "layout": "NTC", "shape": [1, 100, 9]},
  "normalization": {"mean": [0,0,0,0,0,0,0,0,0], "std": [1,1,1,1,1,1,1,1,1]},
  "outputs": [{"name": "logits", "role": "logits", "size": 3}],
  "temperature": 1.5
})";

const char* kGoodModelConfig = R"({
  "model_specs": {"input_shape": [1, 100, 9], "output_shape": [1, 64],
                  "output_format": "latent_embeddings"},
  "normalization": {"method": "z_score_per_channel", "mean": [0,0,0,0,0,0,0,0,0],
                    "std": [1,1,1,1,1,1,1,1,1],
                    "channel_order": ["ax","ay","az","gx","gy","gz","mx","my","mz"]},
  "files": {"onnx_model": "model.onnx"}
})";

std::string deep(int depth) {
  return std::string(depth, '[') + "1" + std::string(depth, ']');
}

using test::errorText;
using test::expectContains;

fs::path writeText(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// kGoodManifest with one field replaced by raw JSON text.
std::string withField(const char* base, const std::string& field, const std::string& raw) {
  auto document = nlohmann::json::parse(base);
  document[field] = nullptr;
  std::string text = document.dump();
  const std::string placeholder = "\"" + field + "\":null";
  text.replace(text.find(placeholder), placeholder.size(), "\"" + field + "\":" + raw);
  return text;
}

TEST(ManifestLimits, DeepNestingIsRefusedWithoutRecursion) {
  TempDir dir;
  // 100000 levels: a recursive parser or destructor overflows the stack long before.
  const auto manifest =
      writeText(dir / "deep.json", withField(kGoodManifest, "training", deep(100000)));
  expectContains(errorText([&] { loadManifest(manifest); }),
                 {"deep.json", "nested deeper than 64"});
  for (const char* field : {"training", "legacy_export_info", "export_info"}) {
    const auto config =
        writeText(dir / "model_config.json", withField(kGoodModelConfig, field, deep(5000)));
    expectContains(errorText([&] { loadManifest(config); }),
                   {"model_config.json", "nested deeper than 64"});
  }
}

TEST(ManifestLimits, ABundleBesideADeepModelConfigIsAnErrorNotACrash) {
  TempDir dir;
  writeText(dir / "model_config.json", withField(kGoodModelConfig, "training", deep(100000)));
  writeText(dir / "model.onnx", "not really onnx");
  // findManifestFor parses model_config.json to see which .onnx it names.
  EXPECT_EQ(findManifestFor(dir / "model.onnx"), dir / "model_config.json");
  expectContains(errorText([&] { loadModelBundle(dir / "model.onnx"); }),
                 {"model_config.json", "nested deeper than 64"});
}

TEST(ManifestLimits, EmptyOutputShapesAreRefused) {
  auto config = nlohmann::json::parse(kGoodModelConfig);
  config["model_specs"]["output_shape"] = nlohmann::json::array();
  expectContains(errorText([&] { parseManifest(config, "model_config.json"); }),
                 {"model_config.json: model_specs.output_shape", "the shape is empty"});
  auto manifest = nlohmann::json::parse(kGoodManifest);
  manifest["input"]["shape"] = nlohmann::json::array();
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: input.shape", "the shape is empty"});
}

TEST(ManifestLimits, HugeShapesAndSizesAreRefusedWithoutUndefinedCasts) {
  auto config = nlohmann::json::parse(kGoodModelConfig);
  config["model_specs"]["output_shape"] = {1, 1e30};
  expectContains(errorText([&] { parseManifest(config, "model_config.json"); }),
                 {"model_specs.output_shape", "tensor_elements limit"});
  config["model_specs"]["output_shape"] = {1, 100000000};
  expectContains(errorText([&] { parseManifest(config, "model_config.json"); }),
                 {"model_specs.output_shape", "values per window"});
  auto manifest = nlohmann::json::parse(kGoodManifest);
  manifest["outputs"][0]["size"] = 1e20;
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: outputs[0].size", "over the limit"});
  manifest = nlohmann::json::parse(kGoodManifest);
  manifest["input"]["shape"] = {1, 4294967296LL, 9};
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: input.shape", "tensor_elements limit"});
  manifest["input"]["shape"] = {1, 10000000, 9};
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: input.shape", "over the limit of 1000000"});
}

TEST(ManifestLimits, NumbersBeyondDoubleNameTheFile) {
  TempDir dir;
  const auto path = writeText(dir / "inf.json", withField(kGoodManifest, "temperature", "1e999"));
  const auto text = errorText([&] { loadManifest(path); });
  expectContains(text, {"inf.json", "out of range", "1e999"});
}

TEST(ManifestLimits, TinyTemperaturesAreRefusedAtLoad) {
  for (const double temperature : {1e-320, 1e-9, 1e7}) {
    auto manifest = nlohmann::json::parse(kGoodManifest);
    manifest["temperature"] = temperature;
    expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                   {"m.json: temperature", "must be in [1e-06, 1e+06]", "NaN"});
  }
  auto manifest = nlohmann::json::parse(kGoodManifest);
  manifest["temperature"] = 0.25;
  EXPECT_DOUBLE_EQ(parseManifest(manifest, "m.json").temperature, 0.25);
}

TEST(ManifestLimits, StdThatIsZeroInFloat32IsRefused) {
  auto manifest = nlohmann::json::parse(kGoodManifest);
  manifest["normalization"]["std"][4] = 1e-300;  // 0 in float32: every z-score inf
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: normalization.std[4]", "1e-300", "outside the usable range"});
  manifest["normalization"]["std"][4] = 1.0;
  manifest["normalization"]["mean"][2] = 1e200;  // inf in float32
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: normalization.mean[2]", "1e+200"});
  auto config = nlohmann::json::parse(kGoodModelConfig);
  config["normalization"]["std"][0] = 1e-300;
  expectContains(errorText([&] { parseManifest(config, "model_config.json"); }),
                 {"model_config.json: normalization.std[0]"});
}

TEST(ManifestLimits, FsqLevelsThatOverflowTheCodeIndexAreRefused) {
  auto manifest = nlohmann::json::parse(kGoodManifest);
  manifest["outputs"] = {{{"name", "proj"}, {"role", "fsq_projection"}, {"size", 8}}};
  manifest["fsq"] = {{"levels", {65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536}}};
  expectContains(errorText([&] { parseManifest(manifest, "m.json"); }),
                 {"m.json: fsq.levels", "code indices would overflow"});
  manifest["outputs"][0]["size"] = 5;
  manifest["fsq"]["levels"] = {8, 6, 5, 5, 4};
  EXPECT_EQ(parseManifest(manifest, "m.json").fsq->levels.size(), 5u);
}

TEST(ManifestLimits, WrongJsonTypesNameTheFieldNotTheLibrary) {
  auto manifest = nlohmann::json::parse(kGoodManifest);
  manifest["fsq"] = {{"levels", {8}}, {"bound_on_device", "yes"}};
  manifest["outputs"] = {{{"name", "proj"}, {"role", "fsq_projection"}, {"size", 1}}};
  const auto text = errorText([&] { parseManifest(manifest, "m.json"); });
  expectContains(text, {"m.json: fsq.bound_on_device"});
  EXPECT_EQ(text.find("[json.exception"), std::string::npos) << text;
}

TEST(ManifestLimits, APipeIsNotReadAsAManifest) {
  TempDir dir;
  const auto fifo = dir / "manifest.json";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expectContains(errorText([&] { loadManifest(fifo); }), {"manifest.json", "not a regular file"});
}

}  // namespace
}  // namespace imuwb
