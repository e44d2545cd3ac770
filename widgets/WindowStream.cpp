#include "WindowStream.hpp"

#include <algorithm>

#include "model/ModelBundle.hpp"

namespace imuwb::widgets {

WindowStream::WindowStream(std::shared_ptr<const Session> session,
                           std::shared_ptr<const ModelBundle> bundle, Backend& backend,
                           std::size_t strideSamples)
    : session_(std::move(session)),
      bundle_(std::move(bundle)),
      backend_(backend),
      source_(*session_),
      builder_(bundle_->manifest) {
  WindowerOptions options;
  options.windowLength = bundle_->manifest.input.windowLength;
  options.stride = static_cast<int>(strideSamples);
  options.devices = bundle_->manifest.input.devices;
  const int needed = bundle_->manifest.deviceCount();
  const bool allPresent =
      std::all_of(options.devices.begin(), options.devices.end(),
                  [&](const std::string& name) { return session_->findDevice(name) != nullptr; });
  if (!allPresent) {
    options.devices.clear();
    for (int h = 0; h < needed && h < static_cast<int>(session_->devices.size()); ++h)
      options.devices.push_back(session_->devices[static_cast<std::size_t>(h)].name);
    std::string names;
    for (const auto& name : options.devices) names += (names.empty() ? "" : ", ") + name;
    deviceNote_ = "the model's devices are not in this session; using " + names;
  }
  windower_ = std::make_unique<Windower>(source_, options);
}

bool WindowStream::next(std::size_t maxWindows, OutputSet& outputs,
                        std::vector<double>& windowStart_s) {
  const std::size_t limit = backend_.maxBatchWindows();
  if (limit > 0) maxWindows = std::min(maxWindows, limit);
  while (used_ >= block_.size()) {
    block_.windows.clear();
    used_ = 0;
    if (!windower_->next(block_)) return false;
  }
  const std::size_t count = std::min(maxWindows, block_.size() - used_);
  builder_.build(block_, used_, count, batch_);
  outputs = backend_.run(batch_);
  windowStart_s.resize(count);
  for (std::size_t i = 0; i < count; ++i) windowStart_s[i] = block_.windows[used_ + i].startTime_s;
  used_ += count;
  return true;
}

}  // namespace imuwb::widgets
