// The sidecar body's fast path against nlohmann's full parser (the independent reference): for
// every body the scanner accepts, the floats equal parse + get<float> bit for bit; every body it
// is not sure of (other shapes, keys, number forms, bad JSON, random corruption) goes to the full
// parser, so parseWindowBody's answer, and its 422 detail, are the full parser's.
#include "backends/edgeinfer/WindowBodyScanner.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/edgeinfer/SidecarProtocol.hpp"

namespace imuwb::sidecar {
namespace {

constexpr std::size_t kRows = 100;

// What the full parser makes of body["x"], or nothing when it is not rows x 9 numbers.
bool referenceFloats(const std::string& body, const std::string& key, std::vector<float>& out) {
  out.clear();
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object() || document.size() != 1 ||
      !document.contains(key) || !document[key].is_array() || document[key].size() != kRows)
    return false;
  for (const auto& row : document[key]) {
    if (!row.is_array() || row.size() != 9) return false;
    for (const auto& value : row) {
      if (!value.is_number()) return false;
      out.push_back(value.get<float>());
    }
  }
  return true;
}

// A window's body with each number written by `format` (printf style) and `space` between tokens.
std::string bodyOf(const std::vector<double>& values, const char* format, const char* space,
                   const std::string& key = "x") {
  std::string body = std::string("{") + space + "\"" + key + "\"" + space + ":" + space + "[";
  char number[64];
  for (std::size_t row = 0; row < kRows; ++row) {
    body += (row ? "," : "") + std::string(space) + "[";
    for (std::size_t channel = 0; channel < 9; ++channel) {
      std::snprintf(number, sizeof number, format, values[row * 9 + channel]);
      body += (channel ? std::string(",") + space : std::string()) + number;
    }
    body += "]";
  }
  return body + space + "]" + space + "}";
}

std::vector<double> randomWindow(std::mt19937& random) {
  std::normal_distribution<double> noise(0.0, 4.0);
  std::vector<double> values(kRows * 9);
  for (auto& value : values) value = noise(random);
  return values;
}

void expectSameAsReference(const std::string& body, const std::string& key = "x") {
  std::vector<float> fast, reference;
  const bool accepted = scanWindowBody(body, key, kRows, fast);
  const bool valid = referenceFloats(body, key, reference);
  if (accepted) {
    ASSERT_TRUE(valid) << "the fast path accepted a body the full parser rejects: "
                       << body.substr(0, 120);
    ASSERT_EQ(fast.size(), reference.size());
    EXPECT_EQ(0, std::memcmp(fast.data(), reference.data(), fast.size() * sizeof(float)))
        << body.substr(0, 120);
  }
}

TEST(WindowBodyScanner, EveryNumberFormAFloatCanBeWrittenInGivesTheFullParsersFloats) {
  std::mt19937 random(7);
  const char* formats[] = {"%.17g", "%.9g", "%.3f", "%e", "%.12E", "%.0f"};
  const char* spaces[] = {"", " ", "\n  ", "\t\r\n"};
  for (const char* format : formats)
    for (const char* space : spaces) {
      const auto body = bodyOf(randomWindow(random), format, space);
      std::vector<float> fast;
      ASSERT_TRUE(scanWindowBody(body, "x", kRows, fast)) << format << " '" << space << "'";
      expectSameAsReference(body);
    }
}

TEST(WindowBodyScanner, IntegersNegativeZeroAndExtremesMatchTheFullParser) {
  std::vector<double> values(kRows * 9, 0.0);
  const double extremes[] = {-0.0,
                             1.0,
                             -1.0,
                             499.99999999999,
                             1e-45,
                             -3.4028234663852886e38,
                             16777217.0,
                             9007199254740993.0,
                             1.0000000596046448};
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = extremes[i % std::size(extremes)];
  for (const char* format : {"%.17g", "%.25g"}) {
    const auto body = bodyOf(values, format, "");
    std::vector<float> fast;
    ASSERT_TRUE(scanWindowBody(body, "x", kRows, fast)) << format;
    expectSameAsReference(body);
  }
  // As integers, -3.4e38 has 39 digits: beyond uint64, so deferred; the rest take the fast path.
  expectSameAsReference(bodyOf(values, "%.0f", ""));
  std::vector<double> integers(kRows * 9);
  for (std::size_t i = 0; i < integers.size(); ++i) integers[i] = static_cast<double>(i) - 450.0;
  std::vector<float> fast;
  ASSERT_TRUE(scanWindowBody(bodyOf(integers, "%.0f", ""), "x", kRows, fast));
  expectSameAsReference(bodyOf(integers, "%.0f", ""));
  // Integers beyond int64 (uint64) and beyond uint64 (a double for nlohmann, deferred here).
  std::string body = bodyOf(values, "%.0f", "");
  const auto first = body.find("[[") + 2;
  const auto comma = body.find(',', first);
  for (const std::string big :
       {"18446744073709551615", "36893488147419103232", "-9223372036854775808"}) {
    auto changed = body;
    changed.replace(first, comma - first, big);
    expectSameAsReference(changed);
  }
}

TEST(WindowBodyScanner, AnythingOutsideTheUsualShapeGoesToTheFullParser) {
  std::mt19937 random(11);
  const auto good = bodyOf(randomWindow(random), "%.9g", "");
  std::vector<float> fast;
  const auto deferred = [&](std::string body, std::size_t rows = kRows) {
    return !scanWindowBody(body, "x", rows, fast);
  };
  auto replaced = [&](const std::string& from, const std::string& to) {
    auto body = good;
    body.replace(body.find(from), from.size(), to);
    return body;
  };
  const auto firstNumber = good.substr(7, good.find(',', 7) - 7);
  EXPECT_TRUE(deferred(good, kRows - 1));  // 100 rows where 99 are expected
  EXPECT_TRUE(deferred(good, kRows + 1));
  EXPECT_TRUE(deferred(replaced("{\"x\"", "{\"y\"")));
  EXPECT_TRUE(deferred(replaced("{\"x\"", "{\"\\u0078\"")));  // the same key, escaped
  EXPECT_TRUE(deferred(replaced("]]}", "]],\"y\":1}")));      // a second key
  EXPECT_TRUE(deferred(replaced("]]}", "]],\"x\":[]}")));     // a duplicate key
  EXPECT_TRUE(deferred(replaced("]]}", "],]]}")));            // a trailing comma
  EXPECT_TRUE(deferred(good + "x"));
  EXPECT_TRUE(deferred(good.substr(0, good.size() - 1)));
  EXPECT_TRUE(deferred(replaced("]]}", ",0]]}")));  // 10 values in the last row
  for (const std::string number : {"NaN", "Infinity", "-inf", "01", "1.", ".5", "+1", "1e", "1e+",
                                   "-", "0x10", "1e400", "\"1\"", "true", "null", "[1]"})
    EXPECT_TRUE(deferred(replaced(firstNumber, number))) << number;
}

TEST(WindowBodyScanner, RandomlyCorruptedBodiesAreNeverAcceptedWrongly) {
  std::mt19937 random(3);
  const auto good = bodyOf(randomWindow(random), "%.9g", " ");
  const char alphabet[] = "0123456789-+.eE,[]{}\" \n:xNaI";
  std::uniform_int_distribution<std::size_t> where(0, good.size() - 1);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 2);
  std::size_t accepted = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    auto body = good;
    for (int flips = 1 + trial % 3; flips > 0; --flips)
      body[where(random)] = alphabet[pick(random)];
    std::vector<float> fast;
    accepted += scanWindowBody(body, "x", kRows, fast);
    expectSameAsReference(body);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(accepted, 0u);  // harmless flips (a digit for a digit) take the fast path too
}

TEST(WindowBodyScanner, ParseWindowBodyGivesTheSameAnswerOnBothPaths) {
  std::mt19937 random(5);
  auto values = randomWindow(random);
  values[38] = 600.0;  // row 4, az: over the acc bound, a 422 either way
  for (const auto& body : {bodyOf(values, "%.9g", ""), bodyOf(values, "%.9g", "") + " "}) {
    const auto parsed = parseWindowBody(body, "x", kRows);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.detail[0]["type"], "value_error.out_of_range");
    EXPECT_EQ(parsed.detail[0]["loc"], nlohmann::json({"body", "x", 4, 2}));
    EXPECT_TRUE(parsed.rows.empty());
  }
  values[38] = 0.5;
  const auto fastBody = bodyOf(values, "%.9g", "");
  auto slowBody = fastBody;
  slowBody.replace(slowBody.size() - 1, 1, ",\"extra\":1}");  // an extra key: the full parser
  const auto fast = parseWindowBody(fastBody, "x", kRows);
  const auto slow = parseWindowBody(slowBody, "x", kRows);
  ASSERT_TRUE(fast.ok());
  ASSERT_TRUE(slow.ok());
  EXPECT_EQ(fast.rows, slow.rows);
}

}  // namespace
}  // namespace imuwb::sidecar
