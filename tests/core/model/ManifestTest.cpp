// Manifest parsing: the current format, the pipeline's legacy model_config.json, and every
// kind of bad manifest rejected with an error naming the field.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "common/Error.hpp"
#include "model/Manifest.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

nlohmann::json goodManifest() {
  return nlohmann::json::parse(R"({
    "format": "imuwb-manifest", "format_version": 1, "name": "m", "version": "1",
    "onnx": "model.onnx",
    "input": {"name": "imu_window", "layout": "NCHW_devices", "shape": [1, 9, 2, 100],
              "devices": ["collar", "harness"],
              "channel_order": ["ax","ay","az","gx","gy","gz","mx","my","mz"]},
    "normalization": {"method": "z_score_per_channel", "applied_by": "host",
                      "mean": [0,0,9.8,0,0,0,20,0,40], "std": [1,1,1,1,1,1,10,10,10],
                      "channel_order": ["ax","ay","az","gx","gy","gz","mx","my","mz"]},
    "outputs": [{"name": "latent", "role": "latent", "size": 64},
                {"name": "motif_scores", "role": "motif_scores", "size": 12},
                {"name": "behavior_logits", "role": "logits", "size": 3, "names": ["a","b","c"]}],
    "temperature": 1.5,
    "parity": {"fp32_cosine": 0.99, "int8_cosine": 0.95}
  })");
}

// Expects parseManifest to throw an Error whose text contains every fragment.
void expectRejected(const nlohmann::json& document, std::vector<std::string> fragments) {
  try {
    parseManifest(document, "bad.json");
    FAIL() << "accepted: " << document.dump();
  } catch (const Error& error) {
    const std::string text = error.what();
    EXPECT_NE(text.find("bad.json"), std::string::npos) << text;
    for (const auto& fragment : fragments)
      EXPECT_NE(text.find(fragment), std::string::npos) << text;
  }
}

TEST(Manifest, ParsesTheCurrentFormat) {
  const auto manifest = parseManifest(goodManifest(), "m.json");
  EXPECT_EQ(manifest.input.layout, InputLayout::NCHW_devices);
  EXPECT_EQ(manifest.deviceCount(), 2);
  EXPECT_EQ(manifest.input.windowLength, 100);
  EXPECT_EQ(manifest.input.devices[1], "harness");
  EXPECT_TRUE(manifest.normalization.present);
  EXPECT_EQ(manifest.normalization.appliedBy, NormalizationBy::Host);
  EXPECT_FLOAT_EQ(manifest.normalization.mean[2], 9.8f);
  ASSERT_EQ(manifest.outputs.size(), 3u);
  EXPECT_EQ(manifest.outputs[2].role, OutputRole::Logits);
  EXPECT_EQ(manifest.outputs[2].names[1], "b");
  EXPECT_DOUBLE_EQ(manifest.temperature, 1.5);
  EXPECT_EQ(manifest.findRole(OutputRole::MotifScores)->name, "motif_scores");
}

TEST(Manifest, RoundTripsThroughJson) {
  const auto manifest = parseManifest(goodManifest(), "m.json");
  const auto again = parseManifest(manifestToJson(manifest), "again.json");
  EXPECT_EQ(manifestToJson(again), manifestToJson(manifest));
}

TEST(Manifest, ChannelOrderMapsModelChannelsToContractChannels) {
  auto document = goodManifest();
  document["input"]["channel_order"] = {"gx", "gy", "gz", "ax", "ay", "az", "mx", "my", "mz"};
  document["normalization"]["channel_order"] = document["input"]["channel_order"];
  const auto index = contractIndexOfModelChannels(parseManifest(document, "m.json"));
  EXPECT_EQ(index[0], 3);
  EXPECT_EQ(index[3], 0);
  EXPECT_EQ(index[8], 8);
}

TEST(Manifest, LoadsThePipelinesModelConfigAsIs) {
  IMUWB_REQUIRE_PIPELINE_FIXTURES();
  const auto manifest = loadManifest(test::pipelineFixturesDir() / "model_config.json");
  EXPECT_TRUE(manifest.legacyModelConfig);
  EXPECT_EQ(manifest.input.layout, InputLayout::NTC);
  EXPECT_EQ(manifest.input.shape, (std::vector<std::int64_t>{1, 100, 9}));
  EXPECT_TRUE(manifest.normalization.present);
  EXPECT_EQ(manifest.normalization.appliedBy, NormalizationBy::Host);
  // Values straight from the file (read independently here).
  std::ifstream stream(test::pipelineFixturesDir() / "model_config.json");
  const auto raw = nlohmann::json::parse(stream);
  for (int c = 0; c < 9; ++c) {
    EXPECT_FLOAT_EQ(manifest.normalization.mean[c], raw["normalization"]["mean"][c].get<float>());
    EXPECT_FLOAT_EQ(manifest.normalization.std[c], raw["normalization"]["std"][c].get<float>());
  }
  ASSERT_EQ(manifest.outputs.size(), 1u);
  EXPECT_EQ(manifest.outputs[0].name, "latent_embeddings");
  EXPECT_EQ(manifest.outputs[0].role, OutputRole::Latent);
  EXPECT_EQ(manifest.outputs[0].size, 64);
  EXPECT_EQ(manifest.onnxFile, "tcn_encoder_for_edgeinfer.onnx");
}

TEST(Manifest, RejectsMissingFields) {
  for (const char* field : {"input", "outputs", "name"}) {
    auto document = goodManifest();
    document.erase(field);
    expectRejected(document, {field, "missing"});
  }
  auto document = goodManifest();
  document["input"].erase("layout");
  expectRejected(document, {"input.layout", "missing"});
  document = goodManifest();
  document["normalization"].erase("std");
  expectRejected(document, {"normalization.std", "missing"});
}

TEST(Manifest, RejectsWrongLengths) {
  auto document = goodManifest();
  document["normalization"]["mean"] = {0, 0, 0, 0, 0, 0, 0, 0};
  expectRejected(document, {"normalization.mean", "8 values, expected 9"});
  document = goodManifest();
  document["outputs"][2]["names"] = {"a", "b"};
  expectRejected(document, {"outputs[2].names", "2 names for 3 values"});
  document = goodManifest();
  document["input"]["devices"] = {"collar"};
  expectRejected(document, {"input.devices", "1 devices"});
  document = goodManifest();
  document["input"]["shape"] = {1, 9, 100};
  expectRejected(document, {"input.shape", "4 dimensions"});
  document = goodManifest();
  document["input"]["shape"] = {1, 8, 2, 100};
  expectRejected(document, {"input.shape", "[1,8,2,100]"});
}

TEST(Manifest, RejectsNaNAndZeroStd) {
  auto document = goodManifest();
  document["normalization"]["std"][4] = "NaN";
  expectRejected(document, {"normalization.std[4]", "NaN"});
  document = goodManifest();
  document["normalization"]["std"][4] = nullptr;
  expectRejected(document, {"normalization.std[4]"});
  document = goodManifest();
  document["normalization"]["std"][5] = 0.0;
  expectRejected(document, {"normalization.std[5]", "must be > 0"});
  document = goodManifest();
  document["normalization"]["mean"][0] = "nan";
  expectRejected(document, {"normalization.mean[0]", "NaN"});
}

TEST(Manifest, RejectsUnknownLayoutRoleAndVersion) {
  auto document = goodManifest();
  document["input"]["layout"] = "NCWH";
  expectRejected(document, {"input.layout", "unknown layout 'NCWH'", "NTC"});
  document = goodManifest();
  document["outputs"][0]["role"] = "embedding";
  expectRejected(document, {"outputs[0].role", "unknown role 'embedding'"});
  document = goodManifest();
  document["format_version"] = 2;
  expectRejected(document, {"format_version", "not supported"});
  document = goodManifest();
  document["normalization"]["applied_by"] = "both";
  expectRejected(document, {"normalization.applied_by", "never both"});
}

TEST(Manifest, RejectsBadChannelOrders) {
  auto document = goodManifest();
  document["input"]["channel_order"] = {"ax", "ax", "az", "gx", "gy", "gz", "mx", "my", "mz"};
  expectRejected(document, {"channel_order", "'ax' appears twice"});
  document = goodManifest();
  document["input"]["channel_order"] = {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "temp"};
  expectRejected(document, {"channel_order[8]", "channel 'temp' is not one of"});
  document = goodManifest();
  document["normalization"]["channel_order"] = {"gx", "gy", "gz", "ax", "ay",
                                                "az", "mx", "my", "mz"};
  expectRejected(document, {"normalization.channel_order", "differs from input.channel_order"});
}

TEST(Manifest, ChecksFsqAgainstItsProjectionOutput) {
  auto document = goodManifest();
  document["outputs"].push_back({{"name", "z"}, {"role", "fsq_projection"}, {"size", 5}});
  expectRejected(document, {"fsq", "levels is missing"});
  document["fsq"] = {{"levels", {8, 6, 5, 5}}};
  expectRejected(document, {"fsq.levels", "4 levels", "5 values"});
  document["fsq"] = {{"levels", {8, 6, 5, 5, 4}}};
  const auto manifest = parseManifest(document, "m.json");
  ASSERT_TRUE(manifest.fsq);
  EXPECT_TRUE(manifest.fsq->boundOnDevice);
  document["fsq"] = {{"levels", {8, 6, 1, 5, 4}}};
  expectRejected(document, {"fsq.levels", ">= 2"});
}

TEST(Manifest, RejectsBadTemperatureAndJsonSyntax) {
  auto document = goodManifest();
  document["temperature"] = 0;
  expectRejected(document, {"temperature", "must be in [1e-06, 1e+06]"});
  test::TempDir dir;
  std::ofstream(dir / "broken.json") << "{\"format\": \"imuwb-manifest\", ";
  EXPECT_THROW(
      {
        try {
          loadManifest(dir / "broken.json");
        } catch (const Error& error) {
          EXPECT_NE(std::string(error.what()).find("not valid JSON"), std::string::npos);
          throw;
        }
      },
      Error);
  EXPECT_THROW(loadManifest(dir / "absent.json"), Error);
}

}  // namespace
}  // namespace imuwb
