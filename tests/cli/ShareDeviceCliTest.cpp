// One sensor on two model device slots, end to end on the samples: `run` refuses
// --devices collar,collar without --share-device (naming the session's devices, the model's
// slots and the flag) and runs with it; `check --session` then warns once (device_shared) and
// does not repeat the session's findings for the second slot.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::string cli() {
  return test::shellQuote(test::cliPath().string());
}
std::string sample(const std::string& relative) {
  const auto path = test::sourceDir() / relative;
  if (!std::filesystem::exists(path)) ADD_FAILURE() << relative << " ships with the repo";
  return test::shellQuote(path.string());
}
const std::string kModel = "samples/models/dog_behavior_conv2d";
const std::string kCollarOnly = "samples/sessions/dog_2min_collar.h5";

TEST(CliShareDevice, RunRefusesARepeatedDeviceUnlessShareDeviceIsGiven) {
  test::TempDir dir;
  const auto out = (dir / "o.h5").string();
  const auto base = cli() + " run --json --model " + sample(kModel) + " --session " +
                    sample(kCollarOnly) + " --out " + test::shellQuote(out);
  // No --devices: the model's harness slot has no device; the fix is built from what exists.
  auto result = test::runCommand(base);
  EXPECT_EQ(result.exitCode, 2) << result.errors;
  EXPECT_NE(result.errors.find("session devices: collar;"), std::string::npos) << result.errors;
  EXPECT_NE(result.errors.find("model device slots: H0 collar, H1 harness"), std::string::npos)
      << result.errors;
  EXPECT_NE(result.errors.find("--devices collar,collar --share-device"), std::string::npos)
      << result.errors;
  // A repeated device without the flag: refused, the fix names the flag.
  result = test::runCommand(base + " --devices collar,collar");
  EXPECT_EQ(result.exitCode, 2) << result.errors;
  EXPECT_NE(result.errors.find("repeats a device"), std::string::npos) << result.errors;
  EXPECT_NE(result.errors.find("add --share-device"), std::string::npos) << result.errors;
  EXPECT_FALSE(std::filesystem::exists(out));
  // With the flag: every window of the 2 min, 100 Hz recording runs.
  result = test::runCommand(base + " --devices collar,collar --share-device");
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;
  const auto document = nlohmann::json::parse(result.output);
  EXPECT_EQ(document.at("windows").get<int>(), (12000 - 100) / 50 + 1) << result.output;
  EXPECT_TRUE(std::filesystem::exists(out));
}

TEST(CliShareDevice, CheckWarnsOnceAndDoesNotDuplicateFindings) {
  const auto base = cli() + " check --json " + sample(kModel) + " --session " +
                    sample(kCollarOnly) + " --devices collar,collar";
  auto result = test::runCommand(base);
  EXPECT_EQ(result.exitCode, 2) << result.output << result.errors;
  EXPECT_NE(result.errors.find("--share-device"), std::string::npos) << result.errors;

  result = test::runCommand(base + " --share-device");
  ASSERT_NE(result.exitCode, 2) << result.errors;
  const auto report = nlohmann::json::parse(result.output);
  std::size_t shared = 0;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  for (const auto& finding : report.at("findings")) {
    if (finding.at("code") == "device_shared") {
      ++shared;
      EXPECT_EQ(finding.at("severity"), "warning");
    }
    const auto key = std::make_tuple(
        finding.at("code").get<std::string>(), finding.value("device", std::string()),
        finding.value("subject", std::string()), finding.at("message").get<std::string>());
    EXPECT_TRUE(seen.insert(key).second) << "duplicated finding: " << finding.dump();
  }
  EXPECT_EQ(shared, 1u) << result.output;
}

}  // namespace
}  // namespace imuwb
