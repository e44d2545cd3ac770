#include "SessionPlotData.hpp"

namespace imuwb::widgets {

SessionPlotData::SessionPlotData(std::shared_ptr<const Session> session)
    : session_(std::move(session)) {
  for (const auto& device : session_->devices) {
    std::vector<analysis::MinMaxPyramid> channels;
    for (int c = 0; c < kChannelCount; ++c)
      channels.emplace_back(
          analysis::StridedChannel{device.samples.data() + c, device.sampleCount(), kChannelCount});
    pyramids_.push_back(std::move(channels));
  }
}

std::size_t SessionPlotData::indexAt(double t_s) const {
  if (session_->time_s.empty())  // Session::timeAt(row) = row / rate
    return analysis::uniformIndexAt(t_s, session_->sampleRateHz, session_->sampleCount());
  return analysis::indexAt(t_s, session_->time_s);
}

DecimatedTrace SessionPlotData::trace(std::size_t device, int channel, double t0_s, double t1_s,
                                      int columns) const {
  if (device >= pyramids_.size() || channel < 0 || channel >= kChannelCount) return {};
  const auto& pyramid = pyramids_[device][static_cast<std::size_t>(channel)];
  const auto& samples = session_->devices[device].samples;
  TraceSource source{
      analysis::StridedChannel{samples.data() + channel, pyramid.size(), kChannelCount}, &pyramid,
      [this](std::size_t i) { return session_->timeAt(i); },
      [this](double t) { return indexAt(t); }};
  return decimateTrace(source, t0_s, t1_s, columns);
}

}  // namespace imuwb::widgets
