#pragma once
// Session label intervals as the plotting base's time bands.
#include <vector>

#include "TimeBand.hpp"
#include "session/Session.hpp"

namespace imuwb::widgets {

inline std::vector<TimeBand> toTimeBands(const std::vector<LabelInterval>& intervals) {
  std::vector<TimeBand> bands;
  bands.reserve(intervals.size());
  for (const auto& interval : intervals)
    bands.push_back({interval.start_s, interval.end_s, interval.label});
  return bands;
}

}  // namespace imuwb::widgets
