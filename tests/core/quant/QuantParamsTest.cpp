#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "quant/QuantParams.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

QuantParams sample() {
  QuantParams p;
  p.modelSha256 = "abc123";
  p.calibrationWindows = 1024;
  p.config.range = {RangeMethod::Percentile, 99.9};
  p.config.inputMin = 0.0;
  p.config.inputMax = 1.0;
  p.config.overrides.push_back({"conv3", Precision::A16W16, -2.0, 2.0});
  ActivationParams a;
  a.tensor = "input";
  a.isGraphInput = true;
  a.scale = 1.0 / 255;
  a.rangeMax = 1.0;
  a.calibMin = -3.5;
  a.calibMax = 4.0;
  a.clipFraction = 0.48;
  a.rangeSource = "input_range";
  p.activations.push_back(a);
  WeightParams w;
  w.tensor = "conv1.weight";
  w.node = "conv1";
  w.scales = {0.01, 0.02};
  w.maxAbs = 2.54;
  p.weights.push_back(w);
  return p;
}

nlohmann::json mutate(const std::function<void(nlohmann::json&)>& change) {
  auto document = toJson(sample());
  change(document);
  return document;
}

TEST(QuantParams, RoundTripsThroughJsonFile) {
  test::TempDir dir;
  const auto original = sample();
  saveQuantParams(original, dir / "q.json");
  const auto loaded = loadQuantParams(dir / "q.json");
  EXPECT_EQ(toJson(loaded), toJson(original));
  ASSERT_NE(loaded.activation("input"), nullptr);
  EXPECT_DOUBLE_EQ(loaded.activation("input")->clipFraction, 0.48);
  ASSERT_NE(loaded.config.overrideFor("conv3"), nullptr);
  EXPECT_EQ(loaded.config.overrideFor("conv3")->precision, Precision::A16W16);
}

TEST(QuantParams, RejectsBadFilesWithPlaceAndFix) {
  test::TempDir dir;
  std::ofstream(dir / "bad.json") << "{not json";
  EXPECT_THROW(loadQuantParams(dir / "bad.json"), Error);
  EXPECT_THROW(loadQuantParams(dir / "missing.json"), Error);
  std::ofstream(dir / "truncated.json") << toJson(sample()).dump().substr(0, 80);
  EXPECT_THROW(loadQuantParams(dir / "truncated.json"), Error);

  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> change;
  };
  const std::vector<Case> cases = {
      {"wrong format", [](auto& d) { d["format"] = "something-else"; }},
      {"unknown version", [](auto& d) { d["format_version"] = 99; }},
      {"negative scale", [](auto& d) { d["activations"][0]["scale"] = -1.0; }},
      {"zero point outside grid", [](auto& d) { d["activations"][0]["zero_point"] = 300; }},
      {"bits out of range", [](auto& d) { d["config"]["activation_bits"] = 32; }},
      {"unknown range method", [](auto& d) { d["config"]["range_method"] = "kl"; }},
      {"unknown precision", [](auto& d) { d["config"]["overrides"][0]["precision"] = "a4"; }},
      {"half input range", [](auto& d) { d["config"]["input_max"] = nullptr; }},
      {"inverted clip", [](auto& d) { d["config"]["overrides"][0]["clip_min"] = 5.0; }},
      {"empty scales", [](auto& d) { d["weights"][0]["scales"] = nlohmann::json::array(); }},
      {"string scale", [](auto& d) { d["activations"][0]["scale"] = "0.1"; }},
      {"missing field", [](auto& d) { d["activations"][0].erase("tensor"); }},
  };
  for (const auto& c : cases) {
    const auto path = dir / "case.json";
    std::ofstream(path) << mutate(c.change).dump();
    try {
      loadQuantParams(path);
      ADD_FAILURE() << c.what << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(e.where().find("case.json"), std::string::npos) << c.what;
    }
  }
}

TEST(QuantParams, PrecisionNames) {
  EXPECT_EQ(precisionName(Precision::A16W16), "a16_w16");
  EXPECT_EQ(parsePrecision("a8_w8"), Precision::A8W8);
  EXPECT_FALSE(parsePrecision("int4").has_value());
}

}  // namespace
}  // namespace imuwb::quant
