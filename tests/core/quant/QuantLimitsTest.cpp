// Hostile quantization inputs: parameter files whose scales are 0 in practice (1e-320), whose
// integer grid does not fit its bit width, whose fields have the wrong JSON type or nest
// deeper than the JSON limit; and a calibration that must stop when the user asks, however
// large the set. Each parameter problem is an imuwb::Error naming the file and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <stop_token>

#include "TinyOnnx.hpp"
#include "common/Error.hpp"
#include "quant/Calibration.hpp"
#include "quant/QuantParams.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::quant {
namespace {

nlohmann::json goodParams() {
  QuantParams p;
  p.modelSha256 = "abc";
  p.calibrationWindows = 16;
  ActivationParams a;
  a.tensor = "x";
  a.isGraphInput = true;
  a.scale = 0.02;
  a.zeroPoint = 128;
  a.rangeSource = "minmax";
  p.activations.push_back(a);
  WeightParams w;
  w.tensor = "W";
  w.node = "gemm";
  w.scales = {0.01, 0.02};
  w.maxAbs = 1.0;
  p.weights.push_back(w);
  return toJson(p);
}

std::string loadError(const test::TempDir& dir, const nlohmann::json& document) {
  const auto path = dir / "q.json";
  std::ofstream(path) << document.dump();
  try {
    loadQuantParams(path);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

void expectContains(const std::string& text, const std::vector<std::string>& fragments) {
  for (const auto& fragment : fragments)
    EXPECT_NE(text.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << text;
}

TEST(QuantLimits, TheGoodParametersLoad) {
  test::TempDir dir;
  EXPECT_EQ(loadError(dir, goodParams()), "no error");
}

TEST(QuantLimits, ScalesMustBeFinitePositiveAndUsable) {
  test::TempDir dir;
  auto document = goodParams();
  document["activations"][0]["scale"] = 1e-320;
  expectContains(loadError(dir, document), {"q.json.activations[0].scale", "[1e-30, 1e30]"});
  document = goodParams();
  document["weights"][0]["scales"][1] = 0.0;
  expectContains(loadError(dir, document), {"q.json.weights[0].scales[1]", "must be > 0"});
  document = goodParams();
  document["weights"][0]["scales"][0] = "0.1";
  expectContains(loadError(dir, document), {"q.json.weights[0].scales[0]", "expected a number"});
}

TEST(QuantLimits, TheGridMustFitItsBitWidth) {
  test::TempDir dir;
  auto document = goodParams();
  document["activations"][0]["q_max"] = 100000;
  expectContains(loadError(dir, document), {"q.json.activations[0]", "does not fit 8 bits"});
  document = goodParams();
  document["activations"][0]["q_min"] = -1000;
  expectContains(loadError(dir, document), {"q.json.activations[0]", "does not fit 8 bits"});
  document = goodParams();
  document["activations"][0]["zero_point"] = -1;
  expectContains(loadError(dir, document), {"q.json.activations[0]", "q_min <= zero_point"});
}

TEST(QuantLimits, WrongTypesAndRangesNameTheField) {
  test::TempDir dir;
  auto document = goodParams();
  document["activations"][0]["is_graph_input"] = "yes";
  auto text = loadError(dir, document);
  expectContains(text, {"q.json.activations[0].is_graph_input", "expected true or false"});
  EXPECT_EQ(text.find("[json.exception"), std::string::npos) << text;
  document = goodParams();
  document["weights"][0]["per_channel"] = 1;
  expectContains(loadError(dir, document), {"q.json.weights[0].per_channel"});
  document = goodParams();
  document["weights"][0]["channel_axis"] = 1000000;
  expectContains(loadError(dir, document), {"q.json.weights[0].channel_axis", "outside 0..11"});
  document = goodParams();
  document["calibration_windows"] = -5;
  expectContains(loadError(dir, document), {"q.json.calibration_windows", "negative"});
}

TEST(QuantLimits, DeepOrHugeFilesAreRefused) {
  test::TempDir dir;
  const auto path = dir / "deep.json";
  std::ofstream(path) << std::string(200000, '[') << std::string(200000, ']');
  try {
    loadQuantParams(path);
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    expectContains(error.what(), {"deep.json", "nested deeper than 64"});
  }
}

TEST(QuantLimits, CalibrationStopsWhenCancelled) {
  test::TempDir dir;
  test::TinyOnnx tiny;
  tiny.input("x", {1, 4});
  tiny.output("y", {1, 4});
  tiny.node("Relu", "relu", {"x"}, {"y"});
  const auto model = tiny.save(dir / "relu.onnx");
  engine::Tensor windows(engine::DType::Float32, {4096, 4});
  std::stop_source source;
  JobControl control;
  control.stop = source.get_token();
  int progress = 0;
  control.onProgress = [&](double, std::string_view) {
    if (++progress == 3) source.request_stop();
  };
  EXPECT_THROW(calibrate(model, windows, control, 16), Cancelled);
  EXPECT_EQ(progress, 3);  // stopped at the next chunk, not after all 256
  source = std::stop_source();
  control.stop = source.get_token();
  source.request_stop();
  EXPECT_THROW(calibrate(model, windows, control, 16), Cancelled);  // before any work
}

}  // namespace
}  // namespace imuwb::quant
