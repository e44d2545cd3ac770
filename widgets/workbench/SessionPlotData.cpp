#include "SessionPlotData.hpp"

#include <future>

namespace imuwb::widgets {

SessionPlotData::SessionPlotData(std::shared_ptr<const Session> session)
    : session_(std::move(session)) {
  // One pass over each device's rows builds all its channels (9, or 6 without a magnetometer);
  // devices build in parallel.
  std::vector<std::future<std::vector<analysis::MinMaxPyramid>>> builds;
  for (const auto& device : session_->devices)
    builds.push_back(std::async(std::launch::async, [&device] {
      return analysis::MinMaxPyramid::buildInterleaved(device.samples.data(), device.sampleCount(),
                                                       static_cast<std::size_t>(device.channels));
    }));
  for (auto& build : builds) pyramids_.push_back(build.get());
}

std::size_t SessionPlotData::indexAt(double t_s) const {
  if (session_->time_s.empty())  // Session::timeAt(row) = row / rate
    return analysis::uniformIndexAt(t_s, session_->sampleRateHz, session_->sampleCount());
  return analysis::indexAt(t_s, session_->time_s);
}

DecimatedTrace SessionPlotData::trace(std::size_t device, int channel, double t0_s, double t1_s,
                                      int columns) const {
  if (device >= pyramids_.size() || channel < 0 ||
      channel >= static_cast<int>(pyramids_[device].size()))
    return {};  // a 6-axis device has no magnetometer trace
  const auto& pyramid = pyramids_[device][static_cast<std::size_t>(channel)];
  const auto& samples = session_->devices[device].samples;
  const auto stride = static_cast<std::size_t>(session_->devices[device].channels);
  TraceSource source{analysis::StridedChannel{samples.data() + channel, pyramid.size(), stride},
                     &pyramid, [this](std::size_t i) { return session_->timeAt(i); },
                     [this](double t) { return indexAt(t); }};
  return decimateTrace(source, t0_s, t1_s, columns);
}

}  // namespace imuwb::widgets
