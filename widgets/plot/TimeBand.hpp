#pragma once
// A labelled stretch of time drawn as a coloured band: a label, a prediction. The plotting
// base's own type, so it knows nothing of sessions; the workbench converts (LabelBands.hpp).
#include <string>

namespace imuwb::widgets {

struct TimeBand {
  double start_s = 0;  // seconds from the start of the time axis, inclusive
  double end_s = 0;    // exclusive
  std::string label;   // the class name, coloured by ClassPalette
};

}  // namespace imuwb::widgets
