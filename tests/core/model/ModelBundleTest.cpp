// Bundles on disk (folder, .onnx + .json, manifest .json) and manifest-vs-graph mismatches.
#include <gtest/gtest.h>

#include <fstream>

#include "OnnxTestModels.hpp"
#include "common/Error.hpp"
#include "model/ModelBundle.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

nlohmann::json manifestFor(const std::string& inputName = "imu_window", int channels = 9) {
  return {{"format", "imuwb-manifest"},
          {"format_version", 1},
          {"name", "good"},
          {"onnx", "model.onnx"},
          {"input",
           {{"name", inputName},
            {"layout", "NCHW_devices"},
            {"shape", {1, channels, 2, 100}},
            {"devices", {"collar", "harness"}}}},
          {"normalization",
           {{"mean", {0, 0, 9.8, 0, 0, 0, 20, 0, 40}}, {"std", {1, 1, 1, 1, 1, 1, 10, 10, 10}}}},
          {"outputs", {{{"name", "latent"}, {"role", "latent"}, {"size", 64}}}}};
}

void writeJson(const std::filesystem::path& path, const nlohmann::json& document) {
  std::ofstream(path) << document.dump(2);
}

std::string loadError(const std::filesystem::path& path, BundleLoadOptions options = {}) {
  try {
    loadModelBundle(path, options);
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(ModelBundle, LoadsAFolderAnOnnxWithJsonBesideItAndTheManifestItself) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "model.onnx", test::goodConv2dModelText(), test::goodConv2dWeights());
  writeJson(dir / "manifest.json", manifestFor());
  for (const auto& path : {dir.path(), dir / "model.onnx", dir / "manifest.json"}) {
    const auto bundle = loadModelBundle(path);
    EXPECT_EQ(bundle.onnxPath.filename(), "model.onnx") << path;
    EXPECT_EQ(bundle.manifest.name, "good");
    EXPECT_FALSE(bundle.manifestInferred);
    EXPECT_EQ(bundle.sha256().size(), 64u);
  }
}

TEST(ModelBundle, FindsTheStemJsonBesideAnOnnx) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "enc.onnx", test::goodConv2dModelText(), test::goodConv2dWeights());
  auto manifest = manifestFor();
  manifest["onnx"] = "enc.onnx";
  writeJson(dir / "enc.json", manifest);
  EXPECT_EQ(findManifestFor(dir / "enc.onnx"), dir / "enc.json");
  EXPECT_EQ(loadModelBundle(dir / "enc.onnx").manifestPath, dir / "enc.json");
}

TEST(ModelBundle, LoadsThePipelineEncoderWithItsModelConfig) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto bundle =
      loadModelBundle(test::pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx");
  EXPECT_EQ(bundle.manifestPath.filename(), "model_config.json");
  EXPECT_EQ(bundle.manifest.input.name, "imu_window");  // resolved from the graph's only input
  EXPECT_EQ(bundle.manifest.outputs.at(0).name, "latent_embeddings");
}

TEST(ModelBundle, ABareOnnxNeedsAManifestUnlessAllowed) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "bare.onnx", test::goodConv2dModelText(), test::goodConv2dWeights());
  EXPECT_NE(loadError(dir / "bare.onnx").find("no manifest beside the model"), std::string::npos);
  BundleLoadOptions options;
  options.allowMissingManifest = true;
  const auto bundle = loadModelBundle(dir / "bare.onnx", options);
  EXPECT_TRUE(bundle.manifestInferred);
  EXPECT_FALSE(bundle.manifest.normalization.present);
  EXPECT_EQ(bundle.manifest.input.layout, InputLayout::NCHW_devices);
}

TEST(ModelBundle, MismatchedInputNameIsNamed) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "model.onnx", test::goodConv2dModelText("x"),
                       test::goodConv2dWeights());
  writeJson(dir / "manifest.json", manifestFor("imu_window"));
  const auto text = loadError(dir.path());
  EXPECT_NE(text.find("input 'imu_window' is not a graph input (graph has 'x')"), std::string::npos)
      << text;
}

TEST(ModelBundle, MismatchedChannelCountIsNamed) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "model.onnx", test::goodConv2dModelText("imu_window", 8),
                       test::goodConv2dWeights(8));
  writeJson(dir / "manifest.json", manifestFor());
  const auto text = loadError(dir.path());
  EXPECT_NE(text.find("channel count (dim 1) is 8 in the graph"), std::string::npos) << text;
  EXPECT_NE(text.find("manifest says 9"), std::string::npos) << text;
}

TEST(ModelBundle, MismatchedOutputsAreNamed) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "model.onnx", test::goodConv2dModelText(), test::goodConv2dWeights());
  auto manifest = manifestFor();
  manifest["outputs"] = {{{"name", "latent"}, {"role", "latent"}, {"size", 32}},
                         {{"name", "logits"}, {"role", "logits"}, {"size", 10}}};
  writeJson(dir / "manifest.json", manifest);
  const auto text = loadError(dir.path());
  EXPECT_NE(
      text.find(
          "output 'latent' has 64 values per window in the graph [1,64], manifest says size 32"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("output 'logits' is not a graph output (graph has 'latent')"),
            std::string::npos)
      << text;
}

TEST(ModelBundle, MissingOnnxAndBadPathsAreErrors) {
  test::TempDir dir;
  writeJson(dir / "manifest.json", manifestFor());
  EXPECT_NE(loadError(dir.path()).find("does not exist"), std::string::npos);
  EXPECT_NE(loadError(dir / "nothing").find("no such file"), std::string::npos);
  std::ofstream(dir / "model.txt") << "x";
  EXPECT_NE(loadError(dir / "model.txt").find("not a bundle"), std::string::npos);
  std::ofstream(dir / "model.onnx") << "not protobuf";
  EXPECT_NE(loadError(dir.path()), "(no error)");
}

}  // namespace
}  // namespace imuwb
