#pragma once
// Small text helpers shared by the session importers, unit detection and the validator, so that
// header matching and the numbers quoted in findings behave the same everywhere.
#include <cctype>
#include <sstream>
#include <string>
#include <string_view>

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

}  // namespace imuwb::session_text
