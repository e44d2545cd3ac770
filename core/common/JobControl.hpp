#pragma once
// What every long-running job takes besides its options: a progress sink and a stop token.
// The CLI renders progress as a bar on a TTY; the GUI forwards it to a progress widget.
#include <functional>
#include <stop_token>
#include <string_view>

#include "common/Error.hpp"

namespace imuwb {

struct JobControl {
  // fraction in [0,1]; stage is a short human label ("reading collar", "window 1200/17000").
  std::function<void(double fraction, std::string_view stage)> onProgress;
  std::stop_token stop;

  void report(double fraction, std::string_view stage) const {
    if (onProgress) onProgress(fraction, stage);
  }
  // Call between units of work; throws Cancelled when the user asked to stop.
  void throwIfCancelled() const {
    if (stop.stop_requested()) throw Cancelled();
  }
};

}  // namespace imuwb
