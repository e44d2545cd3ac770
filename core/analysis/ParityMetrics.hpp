#pragma once
// Parity metrics between two sources of the same model outputs (A = reference, B = candidate),
// one output at a time, streamed window batch by window batch so a 24 h session never has to be
// held in memory. Plain structs, no Qt: the CLI, the reports and the GUI parity view all read
// these. Definitions (docs/parity.md, "Metrics"):
//   cosine_w   = a.b / (|a| |b|) per window; 1 when both are all-zero, 0 when exactly one is
//   snr_db     = 10 log10( sum a^2 / sum (a-b)^2 ) over all windows and dims (+inf if equal)
//   mse        = mean (a-b)^2;  max_abs = max |a-b|;  max_rel = max |a-b| / max(|a|, 1e-6)
//   top-1      = argmax per window (first maximum wins, as numpy.argmax), for logits
//   crossings  = motif score >= threshold in one source but not the other (gained = only B)
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/OutputRole.hpp"

namespace imuwb::analysis {

// What "pass" means for one output. Contract defaults: cosine >= 0.95 when one side is INT8,
// >= 0.99 between FP32 peers. Optional checks are only run when set.
struct Tolerance {
  double minCosine = 0.95;            // gate on the mean cosine over windows
  std::optional<double> minCosineP5;  // optionally also the 5th percentile
  std::optional<double> minSnr_db;
  std::optional<double> minTop1Agreement;  // logits only, fraction in [0,1]
  double motifThreshold = 0.5;             // score threshold for gained/lost crossings (give the
                                           // same value to the accumulator that streams the data)
  std::string source;                      // "contract-int8", "contract-fp32", "manifest", "flag"
};
Tolerance contractDefaultTolerance(bool either_side_quantized);

struct ParityCheck {
  std::string name;        // "<output>.cosine_mean", ... (JUnit test case name)
  std::string metric;      // "cosine_mean"
  std::string comparison;  // ">="
  double value = 0.0;
  double threshold = 0.0;
  bool passed = false;
};

struct TopFlip {
  std::size_t window = 0;
  double time_s = 0.0;
  int classA = 0;
  int classB = 0;
};

struct ThresholdCrossing {
  std::size_t window = 0;
  double time_s = 0.0;
  int motif = 0;
  float scoreA = 0.f;
  float scoreB = 0.f;
  bool gained = false;  // true: only B crosses; false: only A crosses (lost in B)
};

struct WorstWindow {
  std::size_t window = 0;
  double time_s = 0.0;
  double cosine = 0.0;
  double mse = 0.0;
};

struct OutputParity {
  std::string output;
  OutputRole role = OutputRole::Other;
  std::size_t windows = 0;
  std::size_t dim = 0;
  std::vector<std::string> classNames;  // logits classes or motif names, may be empty

  double cosineMean = 0.0;
  double cosineMin = 0.0;
  double cosineP5 = 0.0;
  double snr_db = 0.0;
  double mse = 0.0;
  double maxAbs = 0.0;
  double maxRel = 0.0;

  // Per window, in window order (aligned with ParitySeries::window_time_s).
  std::vector<float> cosinePerWindow;
  std::vector<float> msePerWindow;

  std::optional<double> top1Agreement;  // logits only
  std::vector<TopFlip> flips;           // every window whose top-1 differs
  std::size_t crossingsGained = 0;      // motif scores only
  std::size_t crossingsLost = 0;
  std::vector<ThresholdCrossing> crossings;

  std::vector<WorstWindow> worst;  // lowest cosine first
  // A deterministic subsample of (a, b) value pairs for an A-vs-B scatter plot.
  std::vector<std::pair<float, float>> scatter;

  Tolerance tolerance;
  std::vector<ParityCheck> checks;
  bool passed = false;

  // The sums the metrics above are read from, so results over disjoint windows can be merged
  // exactly (analysis/ParityTally): sum a^2 and sum (a-b)^2 over every value, the number of
  // values, and the windows whose top-1 agrees (logits only).
  double sumA2 = 0.0, sumErr2 = 0.0;
  std::size_t values = 0, top1Agreements = 0;
};

// Streams one output's windows and produces OutputParity.
class OutputParityAccumulator {
 public:
  OutputParityAccumulator(std::string output, OutputRole role, std::size_t dim,
                          std::vector<std::string> classNames = {}, double motif_threshold = 0.5,
                          std::size_t scatter_capacity = 4000, std::size_t worst_count = 20);

  // `windows` rows of `dim` values each, row-major; time_s gives each window's start time.
  void add(const float* a, const float* b, std::size_t windows, const double* time_s);
  OutputParity finish(const Tolerance& tolerance) const;

 private:
  OutputParity partial_;
  std::vector<double> times_;
  double sumA2_ = 0.0, sum_err2_ = 0.0;
  std::size_t values_ = 0, agree_ = 0;
  double motifThreshold_;
  std::size_t scatter_capacity_, worst_count_, scatter_seen_ = 0;
  std::uint64_t scatterState_ = 0x9e3779b97f4a7c15ull;
};

// Applies the tolerance to finished metrics: fills checks and passed.
void applyTolerance(OutputParity& parity, const Tolerance& tolerance);

// The 5th percentile (numpy linear interpolation) of a series.
double percentile(std::vector<float> values, double p);

}  // namespace imuwb::analysis
