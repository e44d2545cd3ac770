#pragma once
// Small ONNX models for tests, written in ONNX's textual syntax (onnx/defs/parser.h) with
// deterministic weights added as initializers, saved to a file for loadOnnxModel.
#include <gtest/gtest.h>
#include <onnx/defs/parser.h>
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace imuwb::test {

struct Weight {
  std::string name;
  std::vector<std::int64_t> shape;
};

inline std::filesystem::path writeOnnxModel(const std::filesystem::path& path,
                                            const std::string& text,
                                            const std::vector<Weight>& weights = {}) {
  onnx::ModelProto model;
  const auto status = onnx::OnnxParser::Parse(model, text.c_str());
  EXPECT_TRUE(status.IsOK()) << status.ErrorMessage() << "\n" << text;
  for (const auto& weight : weights) {
    auto* tensor = model.mutable_graph()->add_initializer();
    tensor->set_name(weight.name);
    tensor->set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (auto dim : weight.shape) {
      tensor->add_dims(dim);
      count *= dim;
    }
    for (std::int64_t i = 0; i < count; ++i)
      tensor->add_float_data(0.01f * static_cast<float>(i % 7 - 3));
  }
  std::ofstream stream(path, std::ios::binary);
  model.SerializeToOstream(&stream);
  return path;
}

// A Hailo-friendly device-axis model: NCHW [1,9,2,100] -> Conv (1,3) 16 ch -> Relu ->
// GlobalAveragePool -> Flatten -> Gemm -> [1,64] "latent".
inline std::string goodConv2dModelText(const std::string& inputName = "imu_window",
                                       int channels = 9) {
  return R"(<ir_version: 7, opset_import: ["" : 11]>
good (float[1,)" +
         std::to_string(channels) + R"(,2,100] )" + inputName + R"() => (float[1,64] latent) {
  c = Conv <kernel_shape = [1,3], pads = [0,1,0,1]> ()" +
         inputName + R"(, W, B)
  r = Relu (c)
  p = GlobalAveragePool (r)
  f = Flatten (p)
  latent = Gemm <transB = 1> (f, G, GB)
})";
}
inline std::vector<Weight> goodConv2dWeights(int channels = 9) {
  return {{"W", {16, channels, 1, 3}}, {"B", {16}}, {"G", {64, 16}}, {"GB", {64}}};
}

}  // namespace imuwb::test
