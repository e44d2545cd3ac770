#include "analysis/ParityMetrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace imuwb::analysis {

Tolerance contractDefaultTolerance(bool either_side_quantized) {
  Tolerance t;
  t.minCosine = either_side_quantized ? 0.95 : 0.99;
  t.source = either_side_quantized ? "contract-int8" : "contract-fp32";
  return t;
}

double percentile(std::vector<float> values, double p) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = std::min(lo + 1, values.size() - 1);
  return static_cast<double>(values[lo]) +
         (rank - static_cast<double>(lo)) *
             (static_cast<double>(values[hi]) - static_cast<double>(values[lo]));
}

OutputParityAccumulator::OutputParityAccumulator(
    std::string output, OutputRole role, std::size_t dim, std::vector<std::string> class_names,
    double motif_threshold, std::size_t scatter_capacity, std::size_t worst_count)
    : motifThreshold_(motif_threshold),
      scatter_capacity_(scatter_capacity),
      worst_count_(worst_count) {
  partial_.output = std::move(output);
  partial_.role = role;
  partial_.dim = dim;
  partial_.classNames = std::move(class_names);
}

namespace {
int argmaxRow(const float* row, std::size_t dim) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < dim; ++j)
    if (row[j] > row[best]) best = j;
  return static_cast<int>(best);
}
}  // namespace

void OutputParityAccumulator::add(const float* a, const float* b, std::size_t windows,
                                  const double* time_s) {
  const std::size_t dim = partial_.dim;
  auto& p = partial_;
  for (std::size_t w = 0; w < windows; ++w) {
    const float* ra = a + w * dim;
    const float* rb = b + w * dim;
    const std::size_t index = p.windows + w;
    const double t = time_s ? time_s[w] : static_cast<double>(index);
    double dot = 0.0, na = 0.0, nb = 0.0, err2 = 0.0;
    for (std::size_t j = 0; j < dim; ++j) {
      const double x = ra[j], y = rb[j], e = x - y;
      dot += x * y;
      na += x * x;
      nb += y * y;
      err2 += e * e;
      p.maxAbs = std::max(p.maxAbs, std::fabs(e));
      p.maxRel = std::max(p.maxRel, std::fabs(e) / std::max(std::fabs(x), 1e-6));
    }
    double cosine;
    if (na == 0.0 && nb == 0.0) {
      cosine = 1.0;
    } else if (na == 0.0 || nb == 0.0) {
      cosine = 0.0;
    } else {
      cosine = dot / (std::sqrt(na) * std::sqrt(nb));
    }
    sumA2_ += na;
    sum_err2_ += err2;
    values_ += dim;
    p.cosinePerWindow.push_back(static_cast<float>(cosine));
    p.msePerWindow.push_back(static_cast<float>(dim ? err2 / static_cast<double>(dim) : 0.0));
    times_.push_back(t);

    if (p.role == OutputRole::Logits && dim > 0) {
      const int ca = argmaxRow(ra, dim), cb = argmaxRow(rb, dim);
      if (ca == cb) {
        ++agree_;
      } else {
        p.flips.push_back({index, t, ca, cb});
      }
    }
    if (p.role == OutputRole::MotifScores) {
      for (std::size_t j = 0; j < dim; ++j) {
        const bool above_a = ra[j] >= motifThreshold_;
        const bool above_b = rb[j] >= motifThreshold_;
        if (above_a != above_b) {
          p.crossings.push_back({index, t, static_cast<int>(j), ra[j], rb[j], above_b});
          (above_b ? p.crossingsGained : p.crossingsLost)++;
        }
      }
    }
    // Scatter: reservoir sample (Algorithm R) of (a, b) pairs with a fixed xorshift stream.
    for (std::size_t j = 0; j < dim; ++j) {
      ++scatter_seen_;
      if (p.scatter.size() < scatter_capacity_) {
        p.scatter.emplace_back(ra[j], rb[j]);
      } else {
        scatterState_ ^= scatterState_ << 13;
        scatterState_ ^= scatterState_ >> 7;
        scatterState_ ^= scatterState_ << 17;
        const std::size_t slot = scatterState_ % scatter_seen_;
        if (slot < scatter_capacity_) p.scatter[slot] = {ra[j], rb[j]};
      }
    }
  }
  p.windows += windows;
}

OutputParity OutputParityAccumulator::finish(const Tolerance& tolerance) const {
  OutputParity p = partial_;
  p.sumA2 = sumA2_;
  p.sumErr2 = sum_err2_;
  p.values = values_;
  p.top1Agreements = agree_;
  if (p.windows == 0) {
    p.cosineMean = p.cosineMin = p.cosineP5 = std::numeric_limits<double>::quiet_NaN();
    p.snr_db = p.mse = std::numeric_limits<double>::quiet_NaN();
  } else {
    p.cosineMean = std::accumulate(p.cosinePerWindow.begin(), p.cosinePerWindow.end(), 0.0) /
                   static_cast<double>(p.windows);
    p.cosineMin = *std::min_element(p.cosinePerWindow.begin(), p.cosinePerWindow.end());
    p.cosineP5 = percentile(p.cosinePerWindow, 5.0);
    p.mse = values_ ? sum_err2_ / static_cast<double>(values_) : 0.0;
    if (sum_err2_ == 0.0) {
      p.snr_db = std::numeric_limits<double>::infinity();
    } else if (sumA2_ == 0.0) {
      p.snr_db = -std::numeric_limits<double>::infinity();
    } else {
      p.snr_db = 10.0 * std::log10(sumA2_ / sum_err2_);
    }
    if (p.role == OutputRole::Logits)
      p.top1Agreement = static_cast<double>(agree_) / static_cast<double>(p.windows);
    // Worst windows: lowest cosine, ties broken by larger MSE, then by index.
    std::vector<std::size_t> order(p.windows);
    std::iota(order.begin(), order.end(), 0);
    const std::size_t keep = std::min(worst_count_, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                      [&](std::size_t x, std::size_t y) {
                        if (p.cosinePerWindow[x] != p.cosinePerWindow[y])
                          return p.cosinePerWindow[x] < p.cosinePerWindow[y];
                        if (p.msePerWindow[x] != p.msePerWindow[y])
                          return p.msePerWindow[x] > p.msePerWindow[y];
                        return x < y;
                      });
    for (std::size_t i = 0; i < keep; ++i) {
      const std::size_t w = order[i];
      p.worst.push_back({w, times_[w], p.cosinePerWindow[w], p.msePerWindow[w]});
    }
  }
  applyTolerance(p, tolerance);
  return p;
}

void applyTolerance(OutputParity& parity, const Tolerance& tolerance) {
  parity.tolerance = tolerance;
  parity.checks.clear();
  auto check = [&](const std::string& metric, double value, double threshold) {
    // NaN (no windows) fails: an empty comparison proves nothing.
    parity.checks.push_back(
        {parity.output + "." + metric, metric, ">=", value, threshold, value >= threshold});
  };
  check("cosine_mean", parity.cosineMean, tolerance.minCosine);
  if (tolerance.minCosineP5) check("cosine_p5", parity.cosineP5, *tolerance.minCosineP5);
  if (tolerance.minSnr_db) check("snr_db", parity.snr_db, *tolerance.minSnr_db);
  if (tolerance.minTop1Agreement && parity.top1Agreement)
    check("top1_agreement", *parity.top1Agreement, *tolerance.minTop1Agreement);
  parity.passed = std::all_of(parity.checks.begin(), parity.checks.end(),
                              [](const ParityCheck& c) { return c.passed; });
}

}  // namespace imuwb::analysis
