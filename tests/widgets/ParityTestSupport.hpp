#pragma once
// A small synthetic parity result for the widget tests: three outputs with the contract's int8
// gate, one of which (motif_scores) dips well below the gate in a few windows yet passes on its
// mean, the case the parity view must explain. Metrics are computed here by brute force; the
// verdict is core's (applyTolerance), the input of the views under test.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "analysis/ParityMetrics.hpp"
#include "analysis/ParityResult.hpp"

namespace imuwb::testing {

inline std::shared_ptr<analysis::ParityResult> dippingParity(std::size_t windows = 400) {
  auto r = std::make_shared<analysis::ParityResult>();
  r->modelName = "synthetic";
  r->a = {"cpu", "backend", "fp32", ""};
  r->b = {"int8", "backend", "int8", ""};
  r->windows = windows;
  for (std::size_t w = 0; w < windows; ++w) r->windowTime_s.push_back(0.5 * w);
  const char* names[] = {"behavior_logits", "motif_scores", "latent_embeddings"};
  for (int o = 0; o < 3; ++o) {
    analysis::OutputParity out;
    out.output = names[o];
    out.windows = windows;
    out.dim = 8;
    for (std::size_t w = 0; w < windows; ++w)
      out.cosinePerWindow.push_back(0.995f - 0.002f * o + 0.001f * std::sin(0.05f * w));
    if (o == 1)
      for (std::size_t w : {40u, 41u, 200u}) out.cosinePerWindow[w] = 0.78f;
    double sum = 0;
    for (float c : out.cosinePerWindow) sum += c;
    out.cosineMean = sum / static_cast<double>(windows);
    out.cosineMin = *std::min_element(out.cosinePerWindow.begin(), out.cosinePerWindow.end());
    out.cosineP5 = out.cosineMin;
    out.snr_db = 30;
    analysis::Tolerance tolerance;
    tolerance.minCosine = o == 2 ? 0.97 : 0.95;  // one output with a gate of its own
    tolerance.source = "contract-int8";
    analysis::applyTolerance(out, tolerance);
    r->outputs.push_back(std::move(out));
  }
  return r;
}

}  // namespace imuwb::testing
