#include "ModelOutputs.hpp"

#include <algorithm>
#include <cmath>

namespace imuwb::widgets {

std::vector<double> ModelOutputs::windowCentres_s() const {
  std::vector<double> out(windowCount());
  for (std::size_t w = 0; w < out.size(); ++w) out[w] = windowCentre_s(w);
  return out;
}

int ModelOutputs::predictedClass(std::size_t window) const {
  if (probabilities.empty() || window >= probabilities.rows()) return -1;
  const float* row = probabilities.values.data() + window * probabilities.width;
  return static_cast<int>(std::max_element(row, row + probabilities.width) - row);
}

std::vector<LabelInterval> ModelOutputs::predictedIntervals(double sampleRateHz) const {
  std::vector<LabelInterval> out;
  if (probabilities.empty()) return out;
  const double half = static_cast<double>(strideSamples) / sampleRateHz / 2;
  for (std::size_t w = 0; w < std::min(windowCount(), probabilities.rows()); ++w) {
    const int k = predictedClass(w);
    const std::string name =
        k >= 0 && static_cast<std::size_t>(k) < probabilities.columnNames.size()
            ? probabilities.columnNames[static_cast<std::size_t>(k)]
            : "class " + std::to_string(k);
    const double start = windowCentre_s(w) - half, end = windowCentre_s(w) + half;
    if (!out.empty() && out.back().label == name && std::abs(out.back().end_s - start) < 1e-6)
      out.back().end_s = end;
    else
      out.push_back(LabelInterval{start, end, name});
  }
  return out;
}

long ModelOutputs::nearestWindow(double t_s) const {
  if (windowStart_s.empty()) return -1;
  const double start = t_s - windowLength_s / 2;  // window whose centre is t has this start
  const auto it = std::lower_bound(windowStart_s.begin(), windowStart_s.end(), start);
  long best = static_cast<long>(it - windowStart_s.begin());
  if (best >= static_cast<long>(windowStart_s.size()))
    best = static_cast<long>(windowStart_s.size()) - 1;
  if (best > 0 &&
      std::abs(windowStart_s[best - 1] - start) <= std::abs(windowStart_s[best] - start))
    --best;
  return best;
}

}  // namespace imuwb::widgets
