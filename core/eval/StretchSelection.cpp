#include "eval/StretchSelection.hpp"

#include <algorithm>

namespace imuwb::eval {

namespace {
constexpr double kSameTime_s = 1e-6;
}

bool StretchFilter::matches(const Stretch& s) const {
  if (s.agrees() != diagonal()) return false;
  if (truth >= 0 && s.truth != truth) return false;
  if (predicted >= 0 && s.predicted != predicted) return false;
  const bool belowTop =
      maxConfidence >= 1 ? s.meanConfidence <= maxConfidence : s.meanConfidence < maxConfidence;
  return s.meanConfidence >= minConfidence && belowTop;
}

std::vector<std::size_t> selectStretches(const std::vector<Stretch>& stretches,
                                         const StretchFilter& filter) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < stretches.size(); ++i)
    if (filter.matches(stretches[i])) out.push_back(i);
  return out;
}

std::vector<std::size_t> cellStretches(const std::vector<Stretch>& stretches, int truth,
                                       int predicted) {
  return selectStretches(stretches, StretchFilter{truth, predicted, 0, 1});
}

void sortStretches(std::vector<std::size_t>& indices, const std::vector<Stretch>& stretches,
                   StretchOrder order, bool descending) {
  auto key = [&](std::size_t i) {
    const auto& s = stretches[i];
    return order == StretchOrder::Length       ? s.length_s()
           : order == StretchOrder::Confidence ? s.meanConfidence
                                               : s.start_s;
  };
  std::sort(indices.begin(), indices.end());  // time order: stretches are stored by time
  std::stable_sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
    return descending ? key(a) > key(b) : key(a) < key(b);
  });
}

long nextStretch(const std::vector<Stretch>& stretches, const std::vector<std::size_t>& byTime,
                 double t_s) {
  const auto it =
      std::upper_bound(byTime.begin(), byTime.end(), t_s + kSameTime_s,
                       [&](double t, std::size_t i) { return t < stretches[i].start_s; });
  return it == byTime.end() ? -1 : static_cast<long>(*it);
}

long previousStretch(const std::vector<Stretch>& stretches, const std::vector<std::size_t>& byTime,
                     double t_s) {
  const auto it =
      std::lower_bound(byTime.begin(), byTime.end(), t_s - kSameTime_s,
                       [&](std::size_t i, double t) { return stretches[i].start_s < t; });
  return it == byTime.begin() ? -1 : static_cast<long>(*(it - 1));
}

}  // namespace imuwb::eval
