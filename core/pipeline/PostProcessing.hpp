#pragma once
// Host-side post-processing from the deployment contract: softmax with temperature for logits,
// the FSQ host half (bound, round, normalized codes, code index, classifier head) and output
// range checks (latent within [-4, 4], motif scores within [0, 1]).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/Finding.hpp"
#include "model/Manifest.hpp"

namespace imuwb {

namespace engine {
class OnnxModel;
}

// out[i] = exp(l_i / T - max) / sum_j exp(l_j / T - max), per row of `classes` values.
void softmaxWithTemperature(const float* logits, std::size_t rows, std::size_t classes,
                            double temperature, float* out);

// FSQ, exactly as contract.md gives it, per dimension with L levels:
//   half_l = (L - 1)(1 + 1e-3) / 2, offset = 0.5 for even L else 0,
//   bound(z) = tanh(z + atanh(offset / half_l)) * half_l - offset,
//   rounded = round(bound(z)) (half to even, as torch.round), code = rounded / (L // 2),
//   index = sum_d (rounded_d + L_d // 2) * basis_d, basis = exclusive cumprod of levels.
double fsqHalfWidth(int levels);
double fsqOffset(int levels);
double fsqBound(double z, int levels);

class FsqQuantizer {
 public:
  explicit FsqQuantizer(std::vector<int> levels);
  const std::vector<int>& levels() const { return levels_; }
  const std::vector<std::int64_t>& basis() const { return basis_; }  // [1, L0, L0*L1, ...]
  std::int64_t codebookSize() const;                                 // product of levels
  // projection: [rows, D] device output (already bounded when boundOnDevice, else raw z).
  // Writes normalized codes [rows, D] and code indices [rows].
  void quantize(const float* projection, std::size_t rows, bool alreadyBounded, float* codes,
                std::int64_t* indices) const;

 private:
  std::vector<int> levels_;
  std::vector<std::int64_t> basis_;
};

// The host-side classifier head (a second ONNX) that maps normalized codes to logits.
class FsqHead {
 public:
  FsqHead(const engine::OnnxModel& model, const FsqSpec& spec);
  ~FsqHead();
  // codes [rows, D] -> logits [rows, classes]
  std::vector<float> logits(const std::vector<float>& codes, std::size_t rows);
  std::size_t classCount() const { return classes_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::size_t classes_ = 0;
};

// Accumulates value ranges per output over a run and reports what breaks the contract.
class OutputRangeCheck {
 public:
  explicit OutputRangeCheck(const Manifest& manifest);
  // values: [rows, spec.size] for the output with that name (unknown names are ignored).
  void add(const std::string& outputName, const float* values, std::size_t rows);
  // One finding per output: info when fine, warning/error when out of range or non-finite.
  std::vector<Finding> findings() const;

  struct Stats {
    std::string name;
    OutputRole role = OutputRole::Latent;
    int size = 0;
    double lo = 0, hi = 0;  // expected range (lo > hi: none)
    std::size_t values = 0, outOfRange = 0, nonFinite = 0;
    double min = 0, max = 0;
  };
  const std::vector<Stats>& stats() const { return stats_; }

 private:
  std::vector<Stats> stats_;
};

}  // namespace imuwb
