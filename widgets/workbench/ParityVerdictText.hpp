#pragma once
// Why an output passed or failed parity, in one line: every check its tolerance makes, with the
// value and the threshold, and, when a window dips below the gate of an output that passes, that
// the gate is on the mean (the cosine chart shows the dip; this says why it still passes).
#include <QString>

#include "analysis/ParityMetrics.hpp"

namespace imuwb::widgets {

QString parityVerdictReason(const analysis::OutputParity& output);

}  // namespace imuwb::widgets
