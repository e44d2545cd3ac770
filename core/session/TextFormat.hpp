#pragma once
// Small text helpers shared by the session importers, unit detection and the validator, so that
// header matching and the numbers quoted in findings behave the same everywhere.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace imuwb::session_text {

// ASCII lower-case (header names and unit spellings are ASCII; other bytes pass through).
inline std::string lowerAscii(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A number for a finding's message, with this many significant digits (iostream default style).
inline std::string formatSignificant(double value, int significant_digits) {
  std::ostringstream out;
  out.precision(significant_digits);
  out << value;
  return out.str();
}

// Upper median (element size/2 after partial sort); NaN for no values. Takes a copy to reorder.
inline double upperMedian(std::vector<double> values) {
  if (values.empty()) return std::nan("");
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

}  // namespace imuwb::session_text
