#include "pipeline/ResampledSource.hpp"

#include <cmath>

#include "common/Error.hpp"
#include "session/resample/SessionResampling.hpp"

namespace imuwb {
namespace {

// The rows' timestamps within 1% of a period of first + row / rate (as SessionResampling).
void requireUniformTime(const SampleSource& source) {
  const double period = 1.0 / source.sampleRateHz();
  const std::size_t rows = source.rowCount(), block = 65536;
  std::vector<double> time(block);
  double first = 0;
  for (std::size_t at = 0; at < rows; at += block) {
    const std::size_t count = std::min(block, rows - at);
    source.readTime(at, count, time.data());
    if (at == 0) first = time[0];
    for (std::size_t i = 0; i < count; ++i)
      if (std::abs(time[i] - first - static_cast<double>(at + i) * period) > 0.01 * period)
        throw Error(source.describe() + " row " + std::to_string(at + i),
                    "irregular timestamps cannot be resampled on the fly",
                    "resample the session first: imuwb resample SESSION --rate HZ --out OUT.h5");
  }
}

}  // namespace

ResampledSource::ResampledSource(std::unique_ptr<SampleSource> inner, double targetRateHz)
    : inner_(std::move(inner)),
      targetRateHz_(targetRateHz),
      ratio_(exactResampleRatio(inner_->sampleRateHz(), targetRateHz)),
      range_(ratio_, kChannelCount, inner_->rowCount()) {
  requireUniformTime(*inner_);
  if (inner_->rowCount() > 0) inner_->readTime(0, 1, &firstTime_s_);
  labels_ = labelsWithin(inner_->labels(),
                         firstTime_s_ + static_cast<double>(rowCount()) / targetRateHz_);
}

void ResampledSource::readRows(std::size_t device, std::size_t first, std::size_t count,
                               float* out) const {
  if (first + count > rowCount())
    throw Error(describe(), "rows " + std::to_string(first) + "+" + std::to_string(count) +
                                " past the resampled end (" + std::to_string(rowCount()) + ")");
  const PolyphaseRange::Span span = range_.inputSpan(first, count);
  std::vector<float> input(span.count * kChannelCount);
  if (span.count > 0) inner_->readRows(device, span.first, span.count, input.data());
  range_.compute(input.data(), span, first, count, out);
}

void ResampledSource::readTime(std::size_t first, std::size_t count, double* out) const {
  for (std::size_t i = 0; i < count; ++i)
    out[i] = firstTime_s_ + static_cast<double>(first + i) / targetRateHz_;
}

std::vector<std::unique_ptr<SampleSource>> resampledTo(
    std::vector<std::unique_ptr<SampleSource>> sources, double rateHz) {
  for (auto& source : sources)
    if (std::abs(source->sampleRateHz() - rateHz) > 1e-6 * std::max(1.0, rateHz))
      source = std::make_unique<ResampledSource>(std::move(source), rateHz);
  return sources;
}

}  // namespace imuwb
