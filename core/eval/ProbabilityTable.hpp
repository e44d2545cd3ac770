#pragma once
// One row of class values per window (logits or probabilities), row-major, in double: the
// shape every evaluation metric reads.
#include <cstddef>
#include <vector>

namespace imuwb::eval {

struct ProbabilityTable {
  std::size_t classes = 0;
  std::vector<double> values;  // [rows, classes]

  std::size_t rows() const { return classes == 0 ? 0 : values.size() / classes; }
  const double* row(std::size_t r) const { return values.data() + r * classes; }
  void append(const double* row, std::size_t count) {
    values.insert(values.end(), row, row + count);
  }
};

// The first index of the largest value (numpy's argmax: the lowest index wins ties).
inline int topClass(const double* row, std::size_t classes) {
  std::size_t best = 0;
  for (std::size_t c = 1; c < classes; ++c)
    if (row[c] > row[best]) best = c;
  return static_cast<int>(best);
}

}  // namespace imuwb::eval
