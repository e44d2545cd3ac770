#pragma once
// What the timeline plots from one session: the samples (shared, never copied) and one
// min/max pyramid per device channel, built once when the session opens. Qt-free.
#include <memory>
#include <vector>

#include "DecimatedTrace.hpp"
#include "session/Session.hpp"

namespace imuwb::widgets {

class SessionPlotData {
 public:
  explicit SessionPlotData(std::shared_ptr<const Session> session);

  const Session& session() const { return *session_; }
  std::shared_ptr<const Session> sharedSession() const { return session_; }
  std::size_t deviceCount() const { return session_->devices.size(); }

  DecimatedTrace trace(std::size_t device, int channel, double t0_s, double t1_s,
                       int columns) const;
  std::size_t indexAt(double t_s) const;  // first sample at or after t_s

 private:
  std::shared_ptr<const Session> session_;
  std::vector<std::vector<analysis::MinMaxPyramid>> pyramids_;  // [device][channel]
};

}  // namespace imuwb::widgets
