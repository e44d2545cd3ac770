#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

TEST(CliVersion, JsonCarriesVersion) {
  const auto result = test::runCommand(test::shellQuote(test::cliPath().string()) + " version --json");
  ASSERT_EQ(result.exitCode, 0) << result.errors;
  const auto document = nlohmann::json::parse(result.output);
  EXPECT_FALSE(document.at("version").get<std::string>().empty());
}

TEST(CliVersion, UnknownCommandIsUsageError) {
  const auto result = test::runCommand(test::shellQuote(test::cliPath().string()) + " frobnicate");
  EXPECT_EQ(result.exitCode, 2);
}

}  // namespace
}  // namespace imuwb
