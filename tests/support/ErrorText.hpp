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

// The imuwb::Error fn threw; a test failure (and an empty Error) when it threw none. Other
// exceptions pass through and fail the test as uncaught.
template <class F>
Error errorOf(F fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no imuwb::Error";
  return Error("", "");
}

inline void expectContains(const std::string& text, const std::vector<std::string>& fragments) {
  for (const auto& fragment : fragments)
    EXPECT_NE(text.find(fragment), std::string::npos) << "'" << fragment << "' not in: " << text;
}

// The error names every needle and says how to fix it.
inline void expectMentions(const Error& error, const std::vector<std::string>& needles) {
  expectContains(error.what(), needles);
  EXPECT_FALSE(error.fix().empty()) << error.what();
}

}  // namespace imuwb::test
