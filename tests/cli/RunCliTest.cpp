// imuwb run end to end: exit codes 0 / 2, the outputs file read back with h5py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

std::string cli() {
  return test::shellQuote(test::cliPath().string());
}
std::string sampleModel() {
  return test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
}

class CliRun : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::sourceDir() /
                                 "samples/models/dog_behavior_conv2d/manifest.json"))
      FAIL() << "samples/models/dog_behavior_conv2d is missing; it ships with the repo";
    const auto result = test::runCommand(cli() + " generate --duration 2m --seed 9 --out " +
                                         test::shellQuote((dir / "s.h5").string()));
    ASSERT_EQ(result.exitCode, 0) << result.errors;
  }
  test::TempDir dir;
};

TEST_F(CliRun, RunsTheSampleModelAndWritesOutputs) {
  const auto out = (dir / "out.h5").string();
  const auto result = test::runCommand(cli() + " run --json --model " + sampleModel() +
                                       " --session " + test::shellQuote((dir / "s.h5").string()) +
                                       " --out " + test::shellQuote(out) + " --csv " +
                                       test::shellQuote((dir / "out.csv").string()));
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;
  const auto document = nlohmann::json::parse(result.output);
  EXPECT_EQ(document.at("windows").get<int>(), (12000 - 100) / 50 + 1);
  EXPECT_EQ(document.at("backend").at("name"), "cpu");
  EXPECT_EQ(document.at("model_sha256").get<std::string>().size(), 64u);
  if (!test::havePythonPeers()) return;
  // h5py reads what docs/outputs-format.md promises, and the probabilities sum to one.
  const auto check = test::runCommand(
      test::shellQuote(test::pythonPath()) + " -c " +
      test::shellQuote("import h5py, numpy as np, sys\n"
                       "f = h5py.File(sys.argv[1], 'r')\n"
                       "assert f.attrs['format'] == 'imuwb-outputs', f.attrs['format']\n"
                       "W = f['windows/start_index'].shape[0]\n"
                       "assert f['backends/cpu/latent'].shape == (W, 64)\n"
                       "assert f['backends/cpu/motif_scores'].shape == (W, 12)\n"
                       "p = f['backends/cpu/derived/behavior_logits_probabilities'][()]\n"
                       "assert np.allclose(p.sum(1), 1, atol=1e-5)\n"
                       "assert (np.diff(f['windows/start_index'][()]) == 50).all()\n"
                       "assert len(f.attrs['session_sha256']) == 64\n"
                       "print('ok', W)\n") +
      " " + test::shellQuote(out));
  EXPECT_EQ(check.exitCode, 0) << check.output << check.errors;
}

TEST_F(CliRun, MissingSessionUnknownBackendAndWrongDevicesAreUsageErrors) {
  const auto base = cli() + " run --model " + sampleModel() + " --out " +
                    test::shellQuote((dir / "o.h5").string());
  auto result =
      test::runCommand(base + " --session " + test::shellQuote((dir / "missing.h5").string()));
  EXPECT_EQ(result.exitCode, 2) << result.errors;
  const auto session = " --session " + test::shellQuote((dir / "s.h5").string());
  result = test::runCommand(base + session + " --backend tpu");
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.errors.find("unknown backend 'tpu'"), std::string::npos) << result.errors;
  result = test::runCommand(base + session + " --devices collar,phone");
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.errors.find("phone"), std::string::npos) << result.errors;
  result = test::runCommand(base + session + " --backend-option novalue");
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.errors.find("KEY=VALUE"), std::string::npos) << result.errors;
  result = test::runCommand(base + session + " --stride 0");
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "o.h5"));
}

}  // namespace
}  // namespace imuwb
