// Models that take no magnetometer: a 6-channel input (ax..gz in any order) in every layout,
// normalization with six means and stds, bare ONNX files whose channel axis is 6, and the
// errors for channel lists that do not fit the input.
#include <gtest/gtest.h>

#include <fstream>

#include "OnnxTestModels.hpp"
#include "model/Manifest.hpp"
#include "model/ModelBundle.hpp"
#include "support/ErrorText.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

nlohmann::json sixChannelManifest(const std::string& layout, std::vector<std::int64_t> shape) {
  nlohmann::json document = {
      {"format", "imuwb-manifest"},
      {"format_version", 1},
      {"name", "six"},
      {"input", {{"name", "imu_window"}, {"layout", layout}, {"shape", shape}}},
      {"normalization",
       {{"mean", {0.1, 0, 9.8, 0, 0, 0}},
        {"std", {1, 1, 1, 0.5, 0.5, 0.5}},
        {"channel_order", {"gz", "gy", "gx", "az", "ay", "ax"}}}},
      {"outputs", {{{"name", "latent"}, {"role", "latent"}, {"size", 64}}}}};
  if (layout == "NCHW_devices" || layout == "NHWC_devices")
    document["input"]["devices"] = {"collar", "harness"};
  return document;
}

std::string parseError(const nlohmann::json& document) {
  return test::errorText([&] { parseManifest(document, "six.json"); });
}

TEST(SixChannelModel, EveryLayoutTakesSixChannelsInAnyOrder) {
  const std::vector<std::pair<std::string, std::vector<std::int64_t>>> layouts = {
      {"NTC", {1, 100, 6}},
      {"NCHW_devices", {1, 6, 2, 100}},
      {"NHWC_devices", {1, 2, 100, 6}},
      {"NCHW_time_folded", {1, 6, 2, 50}}};
  for (const auto& [layout, shape] : layouts) {
    const Manifest manifest = parseManifest(sixChannelManifest(layout, shape), "six.json");
    EXPECT_EQ(manifest.input.channelCount(), 6) << layout;
    EXPECT_FALSE(manifest.input.needsMagnetometer()) << layout;
    EXPECT_EQ(manifest.input.windowLength, 100) << layout;
    EXPECT_EQ(manifest.input.channelOrder,
              (std::vector<std::string>{"gz", "gy", "gx", "az", "ay", "ax"}));
    EXPECT_EQ(contractIndexOfModelChannels(manifest), (std::vector<int>{5, 4, 3, 2, 1, 0}));
    ASSERT_EQ(manifest.normalization.std.size(), 6u);
    EXPECT_FLOAT_EQ(manifest.normalization.mean[2], 9.8f);
    // Written back in the current format and parsed again, nothing changes.
    const Manifest again = parseManifest(manifestToJson(manifest), "again.json");
    EXPECT_EQ(again.input.channelOrder, manifest.input.channelOrder);
    EXPECT_EQ(again.normalization.std, manifest.normalization.std);
  }
}

TEST(SixChannelModel, WithoutAChannelOrderTheFirstSixContractChannelsAreTaken) {
  auto document = sixChannelManifest("NTC", {1, 100, 6});
  document["normalization"].erase("channel_order");
  const Manifest manifest = parseManifest(document, "six.json");
  EXPECT_EQ(manifest.input.channelOrder,
            (std::vector<std::string>{"ax", "ay", "az", "gx", "gy", "gz"}));
}

TEST(SixChannelModel, ChannelListsThatDoNotFitTheInputAreNamed) {
  auto withMag = sixChannelManifest("NTC", {1, 100, 6});
  withMag["normalization"]["channel_order"] = {"ax", "ay", "az", "gx", "gy", "mx"};
  const auto mag = parseError(withMag);
  EXPECT_NE(mag.find("six.json"), std::string::npos) << mag;
  EXPECT_NE(mag.find("normalization.channel_order[5]"), std::string::npos) << mag;
  EXPECT_NE(mag.find("'mx' is not one of ax ay az gx gy gz"), std::string::npos) << mag;

  auto nineNames = sixChannelManifest("NTC", {1, 100, 6});
  nineNames["input"]["channel_order"] = {"ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"};
  const auto nine = parseError(nineNames);
  EXPECT_NE(nine.find("input.channel_order"), std::string::npos) << nine;
  EXPECT_NE(nine.find("has 9 names, but the input shape has 6 channels"), std::string::npos)
      << nine;

  auto nineMeans = sixChannelManifest("NTC", {1, 100, 6});
  nineMeans["normalization"]["mean"] = {0, 0, 9.8, 0, 0, 0, 20, 0, 40};
  const auto means = parseError(nineMeans);
  EXPECT_NE(means.find("normalization.mean"), std::string::npos) << means;
  EXPECT_NE(means.find("9 values, expected 6"), std::string::npos) << means;

  const auto seven = parseError(sixChannelManifest("NTC", {1, 100, 7}));
  EXPECT_NE(seven.find("input.shape"), std::string::npos) << seven;
  EXPECT_NE(seven.find("[1,T,9] or [1,T,6]"), std::string::npos) << seven;
}

TEST(SixChannelModel, ABareOnnxWithSixChannelsIsInferredAsSuch) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "six.onnx", test::goodConv2dModelText("imu_window", 6),
                       test::goodConv2dWeights(6));
  BundleLoadOptions options;
  options.allowMissingManifest = true;
  const auto bundle = loadModelBundle(dir / "six.onnx", options);
  EXPECT_TRUE(bundle.manifestInferred);
  EXPECT_EQ(bundle.manifest.input.layout, InputLayout::NCHW_devices);
  EXPECT_EQ(bundle.manifest.input.channelCount(), 6);
  EXPECT_EQ(bundle.manifest.input.channelOrder,
            (std::vector<std::string>{"ax", "ay", "az", "gx", "gy", "gz"}));
  EXPECT_EQ(bundle.manifest.deviceCount(), 2);
}

TEST(SixChannelModel, AManifestSayingSixForANineChannelGraphIsNamed) {
  test::TempDir dir;
  test::writeOnnxModel(dir / "model.onnx", test::goodConv2dModelText("imu_window", 9),
                       test::goodConv2dWeights(9));
  auto manifest = sixChannelManifest("NCHW_devices", {1, 6, 2, 100});
  manifest["onnx"] = "model.onnx";
  std::ofstream(dir / "manifest.json") << manifest.dump();
  const auto text = test::errorText([&] { loadModelBundle(dir.path()); });
  EXPECT_NE(text.find("channel count (dim 1) is 9 in the graph"), std::string::npos) << text;
  EXPECT_NE(text.find("manifest says 6"), std::string::npos) << text;
}

}  // namespace
}  // namespace imuwb
