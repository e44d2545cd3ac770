#pragma once
// Seeded test data and the small conv -> relu -> flatten -> gemm model the whole-model INT8
// tests (emulation, per-layer noise) run on.
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/quant/TinyOnnx.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::test {

// n normally distributed values, reproducible from seed.
inline std::vector<float> randomValues(std::size_t n, unsigned seed, float sigma = 1.f,
                                       float mean = 0.f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(mean, sigma);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

// x [1,9,1,20] -> conv1 (8 filters, kernel 1x3, same padding) -> relu1 -> flatten -> fc -> y
// [1,6]. The four initializers are drawn from seeds firstSeed..firstSeed+3; saved as path.
inline engine::OnnxModel convReluGemmModel(const std::filesystem::path& path, unsigned firstSeed) {
  TinyOnnx b;
  b.input("x", {1, 9, 1, 20});
  b.output("y", {1, 6});
  b.initializer("W1", {8, 9, 1, 3}, randomValues(8 * 9 * 3, firstSeed, 0.3f));
  b.initializer("B1", {8}, randomValues(8, firstSeed + 1, 0.1f));
  b.initializer("W2", {6, 160}, randomValues(6 * 160, firstSeed + 2, 0.1f));
  b.initializer("B2", {6}, randomValues(6, firstSeed + 3, 0.1f));
  auto* conv = b.node("Conv", "conv1", {"x", "W1", "B1"}, {"c1"});
  TinyOnnx::ints(conv, "kernel_shape", {1, 3});
  TinyOnnx::ints(conv, "pads", {0, 1, 0, 1});
  b.node("Relu", "relu1", {"c1"}, {"r1"});
  auto* flat = b.node("Flatten", "flatten", {"r1"}, {"f1"});
  TinyOnnx::intAttr(flat, "axis", 1);
  auto* gemm = b.node("Gemm", "fc", {"f1", "W2", "B2"}, {"y"});
  TinyOnnx::intAttr(gemm, "transB", 1);
  return b.save(path);
}

// n windows [n,9,1,20] of standard-normal values for that model, reproducible from seed.
inline engine::Tensor randomWindows(std::int64_t n, unsigned seed) {
  return engine::Tensor::fromFloats({n, 9, 1, 20},
                                    randomValues(static_cast<std::size_t>(n) * 180, seed));
}

// The small model (weights from modelSeed) saved in a scratch folder, and windows to calibrate
// and run it on. Tests take it apart: const auto& [dir, model, x] = SmallModelCase(...).
struct SmallModelCase {
  SmallModelCase(unsigned modelSeed, std::int64_t windows, unsigned windowSeed)
      : model(convReluGemmModel(dir / "model.onnx", modelSeed)),
        x(randomWindows(windows, windowSeed)) {}
  TempDir dir;
  engine::OnnxModel model;
  engine::Tensor x;
};

}  // namespace imuwb::test
