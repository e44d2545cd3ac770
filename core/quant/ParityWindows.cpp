#include "quant/ParityWindows.hpp"

#include <algorithm>
#include <cstdint>

#include "pipeline/ResampledSource.hpp"
#include "quant/CalibrationSet.hpp"

namespace imuwb::quant {

ParityWindows::ParityWindows(const ModelBundle& bundle, const ParitySide& a, const ParitySide& b,
                             const ParityOptions& options, std::vector<std::string>& inputs)
    : manifest_(bundle.manifest), options_(options) {
  const bool needInputs = a.backend || b.backend;
  if (needInputs && !options.sessions.empty()) {
    for (const auto& path : options.sessions) inputs.push_back(path.string());
    sources_ = openSessionFiles(options.sessions);
    if (options.resample)
      sources_ = resampledTo(std::move(sources_), bundle.manifest.input.sampleRateHz);
    WindowFeedOptions feedOptions;
    feedOptions.stride = options.stride;
    feedOptions.devices = options.devices;
    feedOptions.shareDevice = options.shareDevice;
    feedOptions.maxWindows = options.maxWindows;
    feedOptions.batchWindows = options.blockWindows;
    feed_ = std::make_unique<WindowFeed>(bundle, sourcePointers(sources_), feedOptions);
  } else if (needInputs) {
    inputs.push_back(options.inputsNpy.string());
    npy_ = loadWindowsForModel(options.inputsNpy, manifest_);
    useNpy_ = true;
    totalEstimate_ = static_cast<std::size_t>(npy_.dim(0));
  } else {
    recordedA_ = a.recorded;
    recordedB_ = b.recorded;
    totalEstimate_ = std::min(a.recorded->windows, b.recorded->windows);
  }
}

bool ParityWindows::next(Batch& batch, std::vector<double>& times, std::size_t done) {
  times.clear();
  startRows_.clear();
  if (options_.maxWindows && done >= options_.maxWindows) return false;
  const std::size_t cap = options_.maxWindows ? options_.maxWindows - done : SIZE_MAX;
  if (feed_) {
    if (!feed_->next(fed_)) return false;
    std::swap(batch, fed_.batch);
    for (const auto& w : fed_.windows) {
      times.push_back(w.startTime_s + fed_.sourceOffset_s);  // sessions joined end to end
      startRows_.push_back(static_cast<std::int64_t>(w.startRow));
    }
    return true;
  }
  if (useNpy_) {
    const auto n = static_cast<std::size_t>(npy_.dim(0));
    if (next_ >= n) return false;
    const std::size_t count = std::min({options_.blockWindows, n - next_, cap});
    const auto slice =
        npy_.sliceLeading(static_cast<std::int64_t>(next_), static_cast<std::int64_t>(count));
    batch.inputName = manifest_.input.name;
    batch.shape = slice.shape();
    batch.values.assign(slice.floats().begin(), slice.floats().end());
    for (std::size_t i = 0; i < count; ++i)
      times.push_back(static_cast<double>(next_ + i));  // no clock: the window index
    next_ += count;
    return true;
  }
  // Both sides recorded: the first recording's times, else the window index.
  const std::size_t n = std::min(recordedA_->windows, recordedB_->windows);
  if (next_ >= n) return false;
  const std::size_t count = std::min({options_.blockWindows, n - next_, cap});
  batch.shape = {static_cast<std::int64_t>(count)};
  batch.values.clear();
  for (std::size_t i = 0; i < count; ++i)
    times.push_back(recordedA_->startTime_s.size() > next_ + i ? recordedA_->startTime_s[next_ + i]
                                                               : static_cast<double>(next_ + i));
  next_ += count;
  return true;
}

double ParityWindows::progress(std::size_t done) const {
  if (totalEstimate_)
    return std::min(1.0, static_cast<double>(done) / static_cast<double>(totalEstimate_));
  return feed_ ? feed_->progress() : 0.0;
}

std::vector<Finding> ParityWindows::findings() const {
  return feed_ ? feed_->findings() : std::vector<Finding>{};
}

}  // namespace imuwb::quant
