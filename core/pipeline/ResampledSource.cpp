#include "pipeline/ResampledSource.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

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
      ratio_(exactResampleRatio(inner_->sampleRateHz(), targetRateHz)) {
  for (std::size_t d = 0; d < inner_->deviceNames().size(); ++d)
    ranges_.emplace_back(ratio_, static_cast<std::size_t>(inner_->channelCount(d)),
                         inner_->rowCount());
  rowCount_ = PolyphaseRange(ratio_, 1, inner_->rowCount()).outputFrames();
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
  const PolyphaseRange& range = ranges_.at(device);
  const PolyphaseRange::Span span = range.inputSpan(first, count);
  std::vector<float> input(span.count * static_cast<std::size_t>(inner_->channelCount(device)));
  if (span.count > 0) inner_->readRows(device, span.first, span.count, input.data());
  range.compute(input.data(), span, first, count, out);
}

std::string ResampledSource::provenanceJson() const {
  return nlohmann::json{{"source_rate_hz", inner_->sampleRateHz()},
                        {"target_rate_hz", targetRateHz_},
                        {"up", ratio_.up},
                        {"down", ratio_.down},
                        {"filter", ratio_.filterText()},
                        {"method", "polyphase FIR, as scipy.signal.resample_poly(x, up, down)"},
                        {"on_the_fly", true},
                        {"source_rows", inner_->rowCount()}}
      .dump();
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
