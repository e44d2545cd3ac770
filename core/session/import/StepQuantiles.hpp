#pragma once
// Order statistics of a spooled time series' positive steps (t[i] - t[i-1] > 0), exact and in
// bounded memory: a radix selection on the steps' bit patterns, 16 bits a pass over the spool.
// The same figures session_stats::upperMedian and floorQuantile give on the vector of steps.
#include <cstddef>
#include <vector>

#include "session/import/TimeSpool.hpp"

namespace imuwb {

std::size_t countPositiveSteps(const TimeSpool& t);

// The value at each 0-based rank of the sorted positive steps (count of them: positive).
std::vector<double> positiveStepsAtRanks(const TimeSpool& t, const std::vector<std::size_t>& ranks);

// upperMedian, then floorQuantile of each q, of the positive steps; NaN when there are none.
struct StepQuantiles {
  std::size_t count = 0;
  double median = 0;
  std::vector<double> quantiles;
};
StepQuantiles positiveStepQuantiles(const TimeSpool& t, const std::vector<double>& qs = {});

}  // namespace imuwb
