#pragma once
// A realistic ParityResult built through the real accumulators, for the report tests.
#include <cmath>
#include <random>

#include "analysis/ParityResult.hpp"

namespace imuwb::test {

inline analysis::ParityResult sampleParityResult(std::size_t windows = 300) {
  using namespace analysis;
  ParityResult r;
  r.modelName = "sample <model> & co";
  r.modelSha256 = "0123456789abcdef0123456789abcdef";
  r.inputs = {"session.h5"};
  r.a = {"cpu", "backend", "fp32", "imuwb-engine 0.1.0"};
  r.b = {"int8", "backend", "int8", "emulated"};
  std::mt19937 rng(5);
  std::normal_distribution<float> n(0.f, 1.f);
  struct Spec {
    const char* name;
    OutputRole role;
    std::size_t dim;
    float noise;
  };
  const Spec specs[] = {{"latent_embeddings", OutputRole::Latent, 64, 0.05f},
                        {"motif_scores", OutputRole::MotifScores, 12, 0.3f},
                        {"behavior_logits", OutputRole::Logits, 10, 1.5f}};
  for (std::size_t w = 0; w < windows; ++w) r.windowTime_s.push_back(0.5 * static_cast<double>(w));
  r.windows = windows;
  for (const auto& s : specs) {
    std::vector<float> a, b;
    for (std::size_t i = 0; i < windows * s.dim; ++i) {
      float x = n(rng), y = x + s.noise * n(rng);
      if (s.role == OutputRole::MotifScores) {
        x = 1.f / (1.f + std::exp(-x));
        y = 1.f / (1.f + std::exp(-y));
      }
      a.push_back(x);
      b.push_back(y);
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < s.dim && s.role != OutputRole::Latent; ++i)
      names.push_back("class_" + std::to_string(i));
    OutputParityAccumulator acc(s.name, s.role, s.dim, names);
    acc.add(a.data(), b.data(), windows, r.windowTime_s.data());
    r.outputs.push_back(acc.finish(contractDefaultTolerance(true)));
  }
  LayerNoiseReport layers;
  layers.windows = 64;
  layers.onlyThisLayerComputed = true;
  LayerNoise input{"input", "input", "input", 4.2,    {{"latent_embeddings", 3.9}}, 3.9, 0.65, 1.0,
                   "a8_w8", 1,       true,    "widen"};
  LayerNoise conv{"/conv1/Conv",
                  "/conv1/Conv_output_0",
                  "Conv+Relu",
                  std::numeric_limits<double>::infinity(),
                  {{"latent_embeddings", 35.0}},
                  35.0,
                  0.0,
                  1.0,
                  "a8_w8",
                  2,
                  false,
                  ""};
  layers.layers = {input, conv};
  r.layers = layers;
  r.inputClipping = InputClipping{"input", 0.0, 1.0, -3.2, 4.1, 0.65};
  r.findings.push_back({Severity::Error, "input_clipping", "65 % of input values clip",
                        "recompile with the normalized range", "", "input"});
  r.seconds = 1.25;
  return r;
}

}  // namespace imuwb::test
