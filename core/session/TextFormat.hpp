#pragma once
// Small text helpers shared by the session importers, unit detection and the validator, so that
// header matching and the numbers quoted in findings behave the same everywhere.
#include <cctype>
#include <cstdint>
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

// text with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD, so file
// names from a non-UTF-8 file system can go into JSON (which must be UTF-8) without throwing.
inline std::string validUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    std::size_t length = c < 0x80           ? 1
                         : (c >> 5) == 0x6  ? 2
                         : (c >> 4) == 0xE  ? 3
                         : (c >> 3) == 0x1E ? 4
                                            : 0;
    bool valid = length > 0 && i + length <= n;
    for (std::size_t k = 1; valid && k < length; ++k) valid = (p[i + k] & 0xC0) == 0x80;
    if (valid && length > 1) {
      // Reject overlong forms, surrogates and code points past U+10FFFF.
      std::uint32_t cp = c & (0x7F >> length);
      for (std::size_t k = 1; k < length; ++k) cp = cp << 6 | (p[i + k] & 0x3F);
      static constexpr std::uint32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
      valid = cp >= kMinimum[length] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (!valid) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace imuwb::session_text
