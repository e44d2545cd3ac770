#include "pipeline/PostProcessing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "common/Error.hpp"
#include "engine/InferenceSession.hpp"

namespace imuwb {

void softmaxWithTemperature(const float* logits, std::size_t rows, std::size_t classes,
                            double temperature, float* out) {
  if (!(temperature >= kMinTemperature && temperature <= kMaxTemperature))
    throw Error("softmax temperature",
                "is " + std::to_string(temperature) +
                    "; it must be in [1e-06, 1e+06] (a tiny "
                    "one makes every probability NaN)",
                "use the fitted temperature (typically 0.5 to 5), or 1 for none");
  for (std::size_t r = 0; r < rows; ++r) {
    const float* in = logits + r * classes;
    float* to = out + r * classes;
    double peak = -std::numeric_limits<double>::infinity();
    for (std::size_t c = 0; c < classes; ++c) peak = std::max(peak, in[c] / temperature);
    double sum = 0;
    for (std::size_t c = 0; c < classes; ++c) sum += std::exp(in[c] / temperature - peak);
    for (std::size_t c = 0; c < classes; ++c)
      to[c] = static_cast<float>(std::exp(in[c] / temperature - peak) / sum);
  }
}

double fsqHalfWidth(int levels) {
  return (levels - 1) * (1.0 + 1e-3) / 2.0;
}
double fsqOffset(int levels) {
  return levels % 2 == 0 ? 0.5 : 0.0;
}
double fsqBound(double z, int levels) {
  const double half = fsqHalfWidth(levels);
  const double offset = fsqOffset(levels);
  return std::tanh(z + std::atanh(offset / half)) * half - offset;
}

FsqQuantizer::FsqQuantizer(std::vector<int> levels) : levels_(std::move(levels)) {
  if (levels_.empty()) throw Error("fsq.levels", "must not be empty");
  std::int64_t product = 1;
  for (int level : levels_) {
    if (level < 2) throw Error("fsq.levels", "each level must be >= 2");
    basis_.push_back(product);
    if (__builtin_mul_overflow(product, level, &product) || product > kMaxFsqCodebook)
      throw Error("fsq.levels",
                  "the product of the levels is over " + std::to_string(kMaxFsqCodebook) +
                      ", so code indices would overflow",
                  "use fewer or smaller levels (e.g. [8,6,5,5,4] = 4800 codes)");
  }
}

std::int64_t FsqQuantizer::codebookSize() const {
  std::int64_t product = 1;
  for (int level : levels_) product *= level;
  return product;
}

void FsqQuantizer::quantize(const float* projection, std::size_t rows, bool alreadyBounded,
                            float* codes, std::int64_t* indices) const {
  const std::size_t dims = levels_.size();
  for (std::size_t r = 0; r < rows; ++r) {
    std::int64_t index = 0;
    for (std::size_t d = 0; d < dims; ++d) {
      const int levels = levels_[d];
      const int halfWidth = levels / 2;
      double value = projection[r * dims + d];
      if (!alreadyBounded) value = fsqBound(value, levels);
      // Guard against values a hair outside the bound (float noise on device outputs).
      const double lo = -fsqHalfWidth(levels) - fsqOffset(levels);
      const double hi = fsqHalfWidth(levels) - fsqOffset(levels);
      value = std::clamp(value, lo, hi);
      const double rounded = std::nearbyint(value);  // half to even, as torch.round
      codes[r * dims + d] = static_cast<float>(rounded / halfWidth);
      index += (static_cast<std::int64_t>(rounded) + halfWidth) * basis_[d];
    }
    indices[r] = index;
  }
}

struct FsqHead::Impl {
  std::unique_ptr<engine::InferenceSession> session;
  std::string input, output;
  std::int64_t dims = 0;
};

FsqHead::FsqHead(const engine::OnnxModel& model, const FsqSpec& spec)
    : impl_(std::make_unique<Impl>()) {
  impl_->session = std::make_unique<engine::InferenceSession>(model);
  impl_->input = spec.headInput.empty() ? impl_->session->inputNames().front() : spec.headInput;
  impl_->output = spec.headOutput.empty() ? impl_->session->outputNames().front() : spec.headOutput;
  impl_->dims = static_cast<std::int64_t>(spec.levels.size());
  for (const auto& info : impl_->session->outputInfos())
    if (info.name == impl_->output && info.shapeKnown && !info.shape.empty() &&
        info.shape.back().fixed())
      classes_ = static_cast<std::size_t>(info.shape.back().value);
}
FsqHead::~FsqHead() = default;

std::vector<float> FsqHead::logits(const std::vector<float>& codes, std::size_t rows) {
  auto tensor = engine::Tensor::fromFloats({static_cast<std::int64_t>(rows), impl_->dims}, codes);
  auto result = impl_->session->run({{impl_->input, std::move(tensor)}});
  for (const auto& named : result.outputs)
    if (named.name == impl_->output) {
      auto values = named.tensor.floats();
      if (rows) classes_ = values.size() / rows;
      return {values.begin(), values.end()};
    }
  throw Error("fsq head", "output '" + impl_->output + "' not produced");
}

OutputRangeCheck::OutputRangeCheck(const Manifest& manifest) {
  for (const auto& output : manifest.outputs) {
    Stats stats;
    stats.name = output.name;
    stats.role = output.role;
    stats.size = output.size;
    stats.min = std::numeric_limits<double>::infinity();
    stats.max = -std::numeric_limits<double>::infinity();
    switch (output.role) {
      case OutputRole::Latent:
        stats.lo = -4, stats.hi = 4;
        break;
      case OutputRole::MotifScores:
        stats.lo = 0, stats.hi = 1;
        break;
      case OutputRole::Logits:
        stats.lo = 1, stats.hi = 0;
        break;  // any finite value
      case OutputRole::FsqProjection: {
        // Widest bound over the levels; per-dimension checks need the level of each column.
        stats.lo = 0, stats.hi = 0;
        if (manifest.fsq)
          for (int level : manifest.fsq->levels) {
            stats.lo = std::min(stats.lo, -fsqHalfWidth(level) - fsqOffset(level));
            stats.hi = std::max(stats.hi, fsqHalfWidth(level) - fsqOffset(level));
          }
        if (!manifest.fsq || manifest.fsq->boundOnDevice == false) stats.lo = 1, stats.hi = 0;
        break;
      }
      case OutputRole::Other:
        stats.lo = 1, stats.hi = 0;
        break;  // meaning unknown: any finite value
    }
    stats_.push_back(stats);
  }
}

void OutputRangeCheck::add(const std::string& outputName, const float* values, std::size_t rows) {
  for (auto& stats : stats_) {
    if (stats.name != outputName) continue;
    const std::size_t count = rows * static_cast<std::size_t>(stats.size);
    const bool ranged = stats.lo <= stats.hi;
    for (std::size_t i = 0; i < count; ++i) {
      const double value = values[i];
      if (!std::isfinite(value)) {
        ++stats.nonFinite;
        continue;
      }
      stats.min = std::min(stats.min, value);
      stats.max = std::max(stats.max, value);
      if (ranged && (value < stats.lo || value > stats.hi)) ++stats.outOfRange;
    }
    stats.values += count;
    return;
  }
}

std::vector<Finding> OutputRangeCheck::findings() const {
  std::vector<Finding> findings;
  for (const auto& stats : stats_) {
    Finding finding;
    finding.subject = stats.name;
    char text[256];
    if (stats.values == 0) continue;
    const bool ranged = stats.lo <= stats.hi;
    if (stats.nonFinite) {
      finding.severity = Severity::Error;
      finding.code = "output_not_finite";
      std::snprintf(text, sizeof text, "output '%s' has %zu non-finite values of %zu",
                    stats.name.c_str(), stats.nonFinite, stats.values);
      finding.message = text;
      finding.fix = "look for overflow or missing normalization upstream";
    } else if (ranged && stats.outOfRange) {
      const double fraction = static_cast<double>(stats.outOfRange) / stats.values;
      finding.severity = stats.role == OutputRole::MotifScores || fraction > 0.01
                             ? Severity::Error
                             : Severity::Warning;
      finding.code = "output_out_of_range";
      std::snprintf(text, sizeof text,
                    "output '%s' (%s): %.2f%% of values outside [%g, %g] (seen %.4g..%.4g)",
                    stats.name.c_str(), std::string(roleName(stats.role)).c_str(), 100.0 * fraction,
                    stats.lo, stats.hi, stats.min, stats.max);
      finding.message = text;
      finding.fix = stats.role == OutputRole::MotifScores
                        ? "motif scores must end in a sigmoid"
                        : "check the input normalization (raw or doubly normalized inputs push "
                          "outputs out of range)";
    } else {
      finding.severity = Severity::Info;
      finding.code = "output_range_ok";
      std::snprintf(text, sizeof text, "output '%s' (%s): %zu values in %.4g..%.4g%s",
                    stats.name.c_str(), std::string(roleName(stats.role)).c_str(), stats.values,
                    stats.min, stats.max, ranged ? " (within the contract range)" : "");
      finding.message = text;
    }
    findings.push_back(finding);
  }
  return findings;
}

}  // namespace imuwb
