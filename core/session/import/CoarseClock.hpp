#pragma once
// Rows sharing one timestamp of a coarse clock (a 1-second clock with 28 rows per second) are
// spread evenly over their tick: k rows of a full tick are 1/k apart. The first and last ticks
// are usually partial, so they take their neighbour's spacing, the first ending where the next
// tick starts. Streams: only three ticks' starts and row counts are held at a time.
#include "common/Finding.hpp"
#include "session/import/RowLines.hpp"
#include "session/import/TimeSpool.hpp"

namespace imuwb {

// t: times in seconds (non-decreasing). Writes the spread times to out; returns the
// time_coarse_clock warning describing the ticks.
Finding spreadCoarseClock(const TimeSpool& t, TimeSpool& out, const RowLines& lines, double tick);

}  // namespace imuwb
