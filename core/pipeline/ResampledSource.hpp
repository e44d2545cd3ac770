#pragma once
// A session source resampled on the fly (--resample on run): windows read rows at the target
// rate, computed from the wrapped source's rows as they are asked for (session/resample's
// polyphase filter, the same values `imuwb resample` writes, bit for bit). Labels are in seconds
// and pass through. Uniform sources only: irregular timestamps need `imuwb resample` first.
#include <memory>
#include <string>
#include <vector>

#include "pipeline/SampleSource.hpp"
#include "session/resample/PolyphaseResampler.hpp"

namespace imuwb {

class ResampledSource final : public SampleSource {
 public:
  // Throws imuwb::Error for rates without a small exact fraction and for irregular timestamps.
  ResampledSource(std::unique_ptr<SampleSource> inner, double targetRateHz);
  std::string describe() const override { return inner_->describe(); }  // the file, for hashing
  double sampleRateHz() const override { return targetRateHz_; }
  std::size_t rowCount() const override { return rowCount_; }
  const std::vector<std::string>& deviceNames() const override { return inner_->deviceNames(); }
  const std::vector<std::string>& classes() const override { return inner_->classes(); }
  const std::vector<LabelInterval>& labels() const override { return labels_; }
  int channelCount(std::size_t device) const override { return inner_->channelCount(device); }
  void readRows(std::size_t device, std::size_t first, std::size_t count,
                float* out) const override;
  void readTime(std::size_t first, std::size_t count, double* out) const override;

  const SampleSource& inner() const { return *inner_; }
  const ResampleRatio& ratio() const { return ratio_; }
  // What was done, for the outputs file: rates, up/down, filter, method (as `imuwb resample`
  // records in a session's metadata), as JSON text.
  std::string provenanceJson() const;

 private:
  std::unique_ptr<SampleSource> inner_;
  double targetRateHz_;
  ResampleRatio ratio_;
  std::vector<PolyphaseRange> ranges_;  // per device: its channel count (6 or 9)
  std::size_t rowCount_ = 0;
  double firstTime_s_ = 0;
  std::vector<LabelInterval> labels_;
};

// Wraps each source whose rate is not rateHz in a ResampledSource; the others stay as they are.
std::vector<std::unique_ptr<SampleSource>> resampledTo(
    std::vector<std::unique_ptr<SampleSource>> sources, double rateHz);

}  // namespace imuwb
