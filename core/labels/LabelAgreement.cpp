#include "labels/LabelAgreement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/Error.hpp"

namespace imuwb {
namespace {

// Category per grid time: index into names, names.size() - 1 = unlabelled.
std::vector<int> categories(const LabelSet& set, std::vector<std::string>& names,
                            std::size_t points, double rate) {
  const int none = -1;
  std::vector<int> out(points, none);
  std::vector<LabelInterval> sorted = set.intervals;
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const LabelInterval& x, const LabelInterval& y) { return x.start_s < y.start_s; });
  // Later intervals do not overwrite earlier ones (the first holding a time wins).
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
    auto name = std::find(names.begin(), names.end(), it->label);
    if (name == names.end()) name = names.insert(names.end(), it->label);
    const int category = static_cast<int>(name - names.begin());
    // k with start <= k/rate < end
    auto first = static_cast<long long>(std::ceil(it->start_s * rate));
    while (first > 0 && static_cast<double>(first - 1) / rate >= it->start_s) --first;
    while (static_cast<double>(first) / rate < it->start_s) ++first;
    for (long long k = std::max(0LL, first);
         k < static_cast<long long>(points) && static_cast<double>(k) / rate < it->end_s; ++k)
      out[static_cast<std::size_t>(k)] = category;
  }
  return out;
}

std::vector<double> boundaries(const LabelSet& set) {
  std::vector<double> edges;
  for (const auto& interval : set.intervals) {
    edges.push_back(interval.start_s);
    edges.push_back(interval.end_s);
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

DisplacementStats displacement(const std::vector<double>& from, const std::vector<double>& to) {
  DisplacementStats stats;
  if (from.empty() || to.empty()) return stats;
  std::vector<double> distances;
  for (const double edge : from) {
    const auto it = std::lower_bound(to.begin(), to.end(), edge);
    double best = std::numeric_limits<double>::infinity();
    if (it != to.end()) best = *it - edge;
    if (it != to.begin()) best = std::min(best, edge - *(it - 1));
    distances.push_back(best);
  }
  std::sort(distances.begin(), distances.end());
  const std::size_t n = distances.size();
  stats.count = n;
  double sum = 0;
  for (const double d : distances) sum += d;
  stats.mean_s = sum / static_cast<double>(n);
  stats.median_s = n % 2 ? distances[n / 2] : (distances[n / 2 - 1] + distances[n / 2]) / 2;
  const double position = 0.9 * static_cast<double>(n - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, n - 1);
  stats.p90_s = distances[below] +
                (distances[above] - distances[below]) * (position - static_cast<double>(below));
  stats.max_s = distances.back();
  return stats;
}

}  // namespace

LabelAgreement compareLabels(const LabelSet& a, const LabelSet& b, double gridRateHz,
                             double extent_s) {
  if (!(gridRateHz > 0) || !std::isfinite(gridRateHz))
    throw Error("labels diff", "the grid rate must be a positive number of Hz",
                "pass the session's sample rate");
  double extent = extent_s;
  for (const auto* set : {&a, &b})
    for (const auto& interval : set->intervals) extent = std::max(extent, interval.end_s);
  const auto points = static_cast<std::size_t>(std::max(0.0, std::ceil(extent * gridRateHz)));
  std::vector<std::string> names = a.classes;
  for (const auto& name : b.classes)
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  const auto catA = categories(a, names, points, gridRateHz);
  const auto catB = categories(b, names, points, gridRateHz);
  const std::size_t none = names.size();  // unlabelled, as a category of its own
  std::vector<std::size_t> countA(none + 1), countB(none + 1), both(none + 1);
  std::size_t total = 0, agree = 0, bothLabelled = 0;
  for (std::size_t k = 0; k < points; ++k) {
    const std::size_t x = catA[k] < 0 ? none : static_cast<std::size_t>(catA[k]);
    const std::size_t y = catB[k] < 0 ? none : static_cast<std::size_t>(catB[k]);
    if (x == none && y == none) continue;
    ++total;
    ++countA[x];
    ++countB[y];
    if (x == y) ++agree, ++both[x];
    if (x != none && y != none) ++bothLabelled;
  }
  LabelAgreement result;
  result.gridRateHz = gridRateHz;
  result.gridPoints = total;
  if (total == 0) return result;
  const double n = static_cast<double>(total);
  result.agreement = static_cast<double>(agree) / n;
  double expected = 0;
  for (std::size_t c = 0; c <= none; ++c)
    expected += static_cast<double>(countA[c]) / n * (static_cast<double>(countB[c]) / n);
  result.kappa = expected >= 1 ? std::numeric_limits<double>::quiet_NaN()
                               : (result.agreement - expected) / (1 - expected);
  result.overlapRatio = static_cast<double>(bothLabelled) / n;
  for (std::size_t c = 0; c < none; ++c) {
    ClassAgreement entry{names[c], countA[c], countB[c], both[c], 0};
    if (countA[c] + countB[c] > 0)
      entry.dice = 2.0 * static_cast<double>(both[c]) / static_cast<double>(countA[c] + countB[c]);
    result.classes.push_back(entry);
  }
  const auto edgesA = boundaries(a), edgesB = boundaries(b);
  result.boundariesAtoB = displacement(edgesA, edgesB);
  result.boundariesBtoA = displacement(edgesB, edgesA);
  return result;
}

}  // namespace imuwb
