#pragma once
// What a call threw, as text, so a test can assert an error names the file, the place and the
// fix. Anything but an imuwb::Error is reported as such, so a raw library exception fails.
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <vector>

#include "common/Error.hpp"

namespace imuwb::test {

template <class F>
std::string errorText(F fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.what();
  } catch (const std::exception& error) {
    return std::string("not an imuwb::Error: ") + error.what();
  }
  return "no error";
}

inline void expectContains(const std::string& text, const std::vector<std::string>& fragments) {
  for (const auto& fragment : fragments)
    EXPECT_NE(text.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << text;
}

}  // namespace imuwb::test
