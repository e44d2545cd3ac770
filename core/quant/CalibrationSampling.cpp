#include "quant/CalibrationSampling.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "common/Error.hpp"

namespace imuwb::quant {
namespace {

using ByClass = std::map<std::string, std::vector<std::size_t>>;

ByClass groupByClass(const std::vector<std::string>& labels) {
  ByClass byClass;
  for (std::size_t i = 0; i < labels.size(); ++i) byClass[labels[i]].push_back(i);
  return byClass;
}

// Seeded Fisher-Yates with raw mt19937_64 draws: identical on every standard library.
void seededShuffle(std::vector<std::size_t>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(items[i - 1], items[j]);
  }
}

SampledWindows takeQuotas(const ByClass& byClass, const std::map<std::string, std::size_t>& quotas,
                          std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  SampledWindows out;
  for (const auto& [name, members] : byClass) {
    auto shuffled = members;
    seededShuffle(shuffled, rng);
    shuffled.resize(quotas.at(name));
    out.chosen.insert(out.chosen.end(), shuffled.begin(), shuffled.end());
  }
  std::sort(out.chosen.begin(), out.chosen.end());
  return out;
}

}  // namespace

std::map<std::string, std::size_t> stratifiedQuotas(
    const std::map<std::string, std::vector<std::size_t>>& byClass, std::size_t wanted) {
  std::size_t total = 0;
  for (const auto& [name, members] : byClass) total += members.size();
  std::map<std::string, std::size_t> quota;
  if (total <= wanted) {
    for (const auto& [name, members] : byClass) quota[name] = members.size();
    return quota;
  }
  std::size_t assigned = 0;
  std::vector<std::pair<double, std::string>> remainders;
  for (const auto& [name, members] : byClass) {
    const double exact = static_cast<double>(wanted) * static_cast<double>(members.size()) /
                         static_cast<double>(total);
    std::size_t q = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(exact)));
    q = std::min(q, members.size());
    quota[name] = q;
    assigned += q;
    remainders.emplace_back(exact - std::floor(exact), name);
  }
  // Largest remainders first (ties by name, for determinism).
  std::sort(remainders.begin(), remainders.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  while (assigned < wanted) {
    bool grew = false;
    for (const auto& [fraction, name] : remainders) {
      if (assigned >= wanted) break;
      if (quota[name] < byClass.at(name).size()) {
        ++quota[name];
        ++assigned;
        grew = true;
      }
    }
    if (!grew) break;
  }
  // The at-least-one rule can overshoot: take back from the largest quotas.
  while (assigned > wanted) {
    auto largest = std::max_element(quota.begin(), quota.end(), [](const auto& x, const auto& y) {
      return x.second < y.second;
    });
    if (largest->second <= 1) break;
    --largest->second;
    --assigned;
  }
  return quota;
}

SampledWindows sampleStratified(const std::vector<std::string>& labels, std::size_t wanted,
                                std::uint64_t seed) {
  const ByClass byClass = groupByClass(labels);
  return takeQuotas(byClass, stratifiedQuotas(byClass, wanted), seed);
}

SampledWindows sampleBalanced(const std::vector<std::string>& labels, std::size_t wanted,
                              std::uint64_t seed) {
  const ByClass byClass = groupByClass(labels);
  if (byClass.empty()) return {};
  const std::size_t fair = wanted / byClass.size();
  if (fair == 0)
    throw Error("--balance classes",
                std::to_string(wanted) + " windows cannot cover " + std::to_string(byClass.size()) +
                    " classes with one window each",
                "ask for at least " + std::to_string(byClass.size()) + " windows");
  std::size_t perClass = fair;
  for (const auto& [name, members] : byClass) perClass = std::min(perClass, members.size());
  std::map<std::string, std::size_t> quotas;
  for (const auto& [name, members] : byClass) quotas[name] = perClass;
  SampledWindows out = takeQuotas(byClass, quotas, seed);
  out.perClass = perClass;
  if (perClass < fair)
    for (const auto& [name, members] : byClass)
      if (members.size() == perClass) out.limitingClasses.push_back(name);
  return out;
}

}  // namespace imuwb::quant
