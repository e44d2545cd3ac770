#pragma once
// The two label sets the kill-during-save writer alternates between: same size, different
// content (times, classes and notes), so a reader can tell which one it got.
#include <string>

#include "labels/LabelInterval.hpp"

namespace imuwb::test {

inline LabelSet killTestLabels(int intervals, int which) {
  LabelSet set{{"rest", "walk", "trot", "graze"}, {}};
  double t = 0;
  for (int i = 0; i < intervals; ++i) {
    const double length = 0.5 + 0.01 * ((i * 7 + which * 3) % 50);
    set.intervals.push_back({t, t + length, set.classes[static_cast<std::size_t>((i + which) % 4)],
                             which ? "version B, interval " + std::to_string(i) : ""});
    t += length;
  }
  return set;
}

}  // namespace imuwb::test
