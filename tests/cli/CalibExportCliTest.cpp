// End-to-end `imuwb calib-export`: exit 0 with the .npy and manifest written, 1 for a
// single-class session (nothing written unless --force), 2 for usage and input errors; and the
// exported set drives `imuwb parity --calib` (cpu vs int8, percentile range) to a pass.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class CalibExportCli : public ::testing::Test {
 protected:
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  std::string sample(const std::string& relative) {
    return test::shellQuote((test::sourceDir() / relative).string());
  }
  std::string model() { return sample("samples/models/dog_behavior_conv2d"); }
  std::string session() { return sample("samples/sessions/dog_10min_collar_harness.h5"); }

  test::TempDir dir;
};

TEST_F(CalibExportCli, WritesSetAndParityAcceptsIt) {
  const auto run = imuwb("calib-export --model " + model() + " --session " + session() + " --out " +
                         path("calib.npy") + " --seed 3");
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  EXPECT_NE(run.output.find("1024 windows"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("[1024,2,100,9]"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("walk"), std::string::npos) << run.output;
  ASSERT_TRUE(std::filesystem::exists(dir / "calib.npy"));
  ASSERT_TRUE(std::filesystem::exists(dir / "calib.npy.json"));

  const auto json = imuwb("--json calib-export --model " + model() + " --session " + session() +
                          " --out " + path("calib2.npy") + " --windows 64");
  ASSERT_EQ(json.exitCode, 0) << json.errors;
  const auto doc = nlohmann::json::parse(json.output);
  EXPECT_EQ(doc["shape"], nlohmann::json::array({64, 2, 100, 9}));
  EXPECT_TRUE(doc["written"].get<bool>());

  const auto parity =
      imuwb("parity --model " + model() + " --session " + session() + " --a cpu --b int8 --calib " +
            path("calib.npy") + " --range percentile:99.99 --report " + path("r.json"));
  EXPECT_EQ(parity.exitCode, 0) << parity.output << parity.errors;
}

TEST_F(CalibExportCli, SingleClassSessionExitsOneAndWritesNothingUnlessForced) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  // A copy of the sample whose every label interval is the first class.
  const auto made = test::runCommand(
      test::shellQuote(test::pythonPath()) + " -c " +
      test::shellQuote("import shutil,sys,h5py; shutil.copy(sys.argv[1], sys.argv[2]); "
                       "f=h5py.File(sys.argv[2],'r+'); f['labels/class_index'][...]=0; f.close()") +
      " " + session() + " " + path("one_class.h5"));
  ASSERT_EQ(made.exitCode, 0) << made.errors;
  const std::string base =
      "calib-export --model " + model() + " --session " + path("one_class.h5") + " --out ";
  const auto refused = imuwb(base + path("one.npy"));
  EXPECT_EQ(refused.exitCode, 1) << refused.output << refused.errors;
  EXPECT_NE(refused.output.find("single-class"), std::string::npos) << refused.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "one.npy"));
  const auto forced = imuwb(base + path("forced.npy") + " --force");
  EXPECT_EQ(forced.exitCode, 1) << forced.output;  // still reported as an error finding
  EXPECT_TRUE(std::filesystem::exists(dir / "forced.npy"));
}

TEST_F(CalibExportCli, UsageAndInputErrorsExitTwo) {
  EXPECT_EQ(imuwb("calib-export --model " + model() + " --out " + path("x.npy")).exitCode, 2);
  EXPECT_EQ(imuwb("calib-export --model " + model() + " --session " + path("missing.h5") +
                  " --out " + path("x.npy"))
                .exitCode,
            2);
  EXPECT_EQ(imuwb("calib-export --model " + model() + " --session " + session() + " --out " +
                  path("x.npy") + " --layout nchw")
                .exitCode,
            2);
  EXPECT_EQ(imuwb("calib-export --model " + model() + " --session " + session() + " --out " +
                  path("no/such/folder/x.npy"))
                .exitCode,
            2);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
}

}  // namespace
}  // namespace imuwb
