#include "session/import/StepQuantiles.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace imuwb {

namespace {

constexpr int kBits = 16;
constexpr std::size_t kBuckets = std::size_t{1} << kBits;

std::uint64_t bitsOf(double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;  // positive doubles sort as their bit patterns do
}

// Calls f(step) for every positive step of t, in order.
template <class F>
void forEachPositiveStep(const TimeSpool& t, F&& f) {
  TimeSpool::Reader reader(t);
  double previous = 0, value = 0;
  if (!reader.next(previous)) return;
  while (reader.next(value)) {
    if (value > previous) f(value - previous);
    previous = value;
  }
}

}  // namespace

std::size_t countPositiveSteps(const TimeSpool& t) {
  std::size_t count = 0;
  forEachPositiveStep(t, [&](double) { ++count; });
  return count;
}

std::vector<double> positiveStepsAtRanks(const TimeSpool& t,
                                         const std::vector<std::size_t>& ranks) {
  const std::size_t targets = ranks.size();
  std::vector<std::uint64_t> prefix(targets, 0);
  std::vector<std::size_t> rank = ranks;  // rank among the values sharing the prefix
  std::vector<std::vector<std::size_t>> histogram(targets, std::vector<std::size_t>(kBuckets));
  for (int shift = 64 - kBits; shift >= 0; shift -= kBits) {
    for (auto& h : histogram) std::fill(h.begin(), h.end(), 0);
    const int high = shift + kBits;  // bits above this pass's digit are fixed by the prefix
    forEachPositiveStep(t, [&](double step) {
      const std::uint64_t bits = bitsOf(step);
      const std::uint64_t above = high >= 64 ? 0 : bits >> high;
      const std::size_t digit = (bits >> shift) & (kBuckets - 1);
      for (std::size_t j = 0; j < targets; ++j)
        if (above == prefix[j]) ++histogram[j][digit];
    });
    for (std::size_t j = 0; j < targets; ++j) {
      std::size_t digit = 0;
      while (digit + 1 < kBuckets && rank[j] >= histogram[j][digit])
        rank[j] -= histogram[j][digit++];
      prefix[j] = (prefix[j] << kBits) | digit;
    }
  }
  std::vector<double> values(targets);
  for (std::size_t j = 0; j < targets; ++j) std::memcpy(&values[j], &prefix[j], sizeof(double));
  return values;
}

StepQuantiles positiveStepQuantiles(const TimeSpool& t, const std::vector<double>& qs) {
  StepQuantiles result;
  result.count = countPositiveSteps(t);
  if (result.count == 0) {
    result.median = std::nan("");
    result.quantiles.assign(qs.size(), std::nan(""));
    return result;
  }
  std::vector<std::size_t> ranks = {result.count / 2};
  for (double q : qs)
    ranks.push_back(static_cast<std::size_t>(q * static_cast<double>(result.count - 1)));
  const std::vector<double> values = positiveStepsAtRanks(t, ranks);
  result.median = values[0];
  result.quantiles.assign(values.begin() + 1, values.end());
  return result;
}

}  // namespace imuwb
