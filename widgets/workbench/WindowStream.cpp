#include "WindowStream.hpp"

#include <algorithm>

#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

WindowStream::WindowStream(std::shared_ptr<const Session> session,
                           std::shared_ptr<const ModelBundle> bundle, Backend& backend,
                           std::size_t strideSamples, std::size_t firstRow)
    : session_(std::move(session)),
      bundle_(std::move(bundle)),
      backend_(backend),
      source_(*session_) {
  WindowFeedOptions options;
  options.stride = static_cast<int>(strideSamples);
  options.fallbackToSessionOrder = true;
  options.firstRow = firstRow;  // exploring: show something, and say which devices
  feed_ = std::make_unique<WindowFeed>(*bundle_, source_, options);
}

bool WindowStream::next(std::size_t maxWindows, OutputSet& outputs,
                        std::vector<double>& windowStart_s) {
  const std::size_t limit = backend_.maxBatchWindows();
  if (limit > 0) maxWindows = std::min(maxWindows, limit);
  if (!feed_->next(fed_, std::max<std::size_t>(1, maxWindows))) return false;
  outputs = backend_.run(fed_.batch);
  windowStart_s.resize(fed_.size());
  for (std::size_t i = 0; i < fed_.size(); ++i) windowStart_s[i] = fed_.windows[i].startTime_s;
  return true;
}

}  // namespace imuwb::widgets
