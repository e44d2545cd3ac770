#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

TEST(CliVersion, JsonCarriesVersion) {
  const auto result =
      test::runCommand(test::shellQuote(test::cliPath().string()) + " version --json");
  ASSERT_EQ(result.exitCode, 0) << result.errors;
  const auto document = nlohmann::json::parse(result.output);
  EXPECT_FALSE(document.at("version").get<std::string>().empty());
}

// Every backend is listed; one this build cannot create says why (hailort without HailoRT 4.23
// at configure time), and choosing it exits 2 with that reason.
TEST(CliVersion, ListsBackendsAndWhyHailortIsUnavailable) {
  const auto cli = test::shellQuote(test::cliPath().string());
  const auto json = test::runCommand(cli + " version --json");
  ASSERT_EQ(json.exitCode, 0) << json.errors;
  const auto document = nlohmann::json::parse(json.output);
  nlohmann::json hailort;
  for (const auto& backend : document.at("backends"))
    if (backend.at("name") == "hailort") hailort = backend;
  ASSERT_FALSE(hailort.is_null()) << json.output;
  const auto text = test::runCommand(cli + " version");
  ASSERT_EQ(text.exitCode, 0) << text.errors;
  EXPECT_NE(text.output.find("backends: cpu, int8"), std::string::npos) << text.output;
  if (hailort.at("available").get<bool>()) {  // a build with HailoRT 4.23.0
    EXPECT_FALSE(hailort.contains("reason"));
    return;
  }
  const std::string reason =
      "HailoRT 4.23.0 not found at configure time; install hailort 4.23 and reconfigure";
  EXPECT_EQ(hailort.at("reason"), reason);
  EXPECT_NE(text.output.find("hailort (unavailable: " + reason + ")"), std::string::npos)
      << text.output;
  const auto model =
      test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
  const auto chosen = test::runCommand(cli + " check " + model + " --backend hailort");
  EXPECT_EQ(chosen.exitCode, 2);
  EXPECT_NE(chosen.errors.find("backend 'hailort' is not available in this build: " + reason),
            std::string::npos)
      << chosen.errors;
}

TEST(CliVersion, UnknownCommandIsUsageError) {
  const auto result = test::runCommand(test::shellQuote(test::cliPath().string()) + " frobnicate");
  EXPECT_EQ(result.exitCode, 2);
}

}  // namespace
}  // namespace imuwb
