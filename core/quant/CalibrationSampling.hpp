#pragma once
// How a calibration set samples its candidate windows, seeded and identical on every standard
// library: stratified by class (proportional, at least one window per class present) or
// balanced (the same count for every class, as many as the rarest class allows).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace imuwb::quant {

struct SampledWindows {
  std::vector<std::size_t> chosen;  // indices into the labels given, ascending
  std::size_t perClass = 0;         // balanced: windows taken from every class (0 when stratified)
  // Balanced: the classes whose size set perClass below windows / classes (the rarest).
  std::vector<std::string> limitingClasses;
};

// Per-class quotas summing to min(total, wanted): proportional to class size, at least one
// window per class present (so no class is dropped), never more than a class has.
std::map<std::string, std::size_t> stratifiedQuotas(
    const std::map<std::string, std::vector<std::size_t>>& byClass, std::size_t wanted);

// labels[i] is candidate i's class name. Each class's members are shuffled with one
// mt19937_64(seed) in class-name order and the first quota taken.
SampledWindows sampleStratified(const std::vector<std::string>& labels, std::size_t wanted,
                                std::uint64_t seed);
// perClass = min(wanted / classes, smallest class size). Throws imuwb::Error when wanted is
// smaller than the number of classes (no class would get a window).
SampledWindows sampleBalanced(const std::vector<std::string>& labels, std::size_t wanted,
                              std::uint64_t seed);

}  // namespace imuwb::quant
