#include "WindowTraceSource.hpp"

#include <algorithm>

#include "TracePoints.hpp"

namespace imuwb::widgets {

void WindowTraceSource::reset(std::vector<double> centres_s) {
  clear();
  centres_s_ = std::move(centres_s);
}

std::size_t WindowTraceSource::addChannel(analysis::StridedChannel values) {
  values.count = std::min(values.count, centres_s_.size());
  channels_.push_back(values);
  pyramids_.emplace_back(values);
  return pyramids_.size() - 1;
}

void WindowTraceSource::clear() {
  centres_s_.clear();
  pyramids_.clear();
  channels_.clear();
}

TraceSource WindowTraceSource::source(std::size_t channel) const {
  return TraceSource{channels_[channel], &pyramids_[channel],
                     [this](std::size_t i) { return centres_s_[i]; },
                     [this](double t) { return analysis::indexAt(t, centres_s_); }};
}

QList<QPointF> WindowTraceSource::points(std::size_t channel, double t0_s, double t1_s,
                                         int columns) const {
  return tracePoints(decimateTrace(source(channel), t0_s, t1_s, columns));
}

}  // namespace imuwb::widgets
