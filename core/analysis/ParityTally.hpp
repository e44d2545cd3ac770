#pragma once
// The sufficient statistics of a parity comparison, so comparisons of disjoint recordings merge
// into exactly the metrics one comparison over all of them gives (`imuwb report merge`, docs/
// scale.md): per output the window count, every window's cosine (the percentiles need them all:
// a percentile of percentiles is not the percentile), sum a^2, sum (a-b)^2, the value count, the
// maxima, the top-1 agreements and the motif crossings. Not kept: per-window series, worst
// windows, the scatter sample and the flips listed (they are per recording, in its result).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/ParityResult.hpp"

namespace imuwb::analysis {

struct OutputTally {
  std::string output;
  OutputRole role = OutputRole::Other;
  std::size_t dim = 0, windows = 0, values = 0;
  std::vector<float> cosines;  // per window, in window order
  double sumA2 = 0, sumErr2 = 0, maxAbs = 0, maxRel = 0;
  std::size_t top1Agreements = 0, crossingsGained = 0, crossingsLost = 0;
  Tolerance tolerance;
};

struct ParityTally {
  std::size_t windows = 0;
  std::vector<OutputTally> outputs;
};

ParityTally tallyOf(const ParityResult& result);
// Appends `from` (the next recording, in order) to `into`; an empty `into` takes from's outputs.
// Throws imuwb::Error when the outputs differ (another model).
void mergeTally(ParityTally& into, const ParityTally& from);
// The metrics of OutputParity from the sums (cosine mean, min, p5, SNR, MSE, maxima, top-1,
// crossings), with the tolerance applied; the per-window lists stay empty.
std::vector<OutputParity> finishTally(const ParityTally& tally);

nlohmann::json tallyToJson(const ParityTally& tally);
ParityTally tallyFromJson(const nlohmann::json& json);  // throws imuwb::Error when malformed

}  // namespace imuwb::analysis
