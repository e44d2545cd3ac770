#pragma once
// Records what a job reports through JobControl::onProgress: the last fraction, and whether
// the fractions never went backwards.
#include <string_view>

#include "common/JobControl.hpp"

namespace imuwb::test {

struct ProgressRecorder {
  double last = -1;
  bool monotonic = true;

  void attach(JobControl& control) {
    control.onProgress = [this](double fraction, std::string_view) {
      monotonic = monotonic && fraction >= last;
      last = fraction;
    };
  }
};

}  // namespace imuwb::test
