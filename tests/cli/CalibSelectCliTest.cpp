// `imuwb calib-export` selection and coverage flags end to end: --range (seconds and m:ss),
// --classes and --balance reach the manifest; malformed ranges, unknown classes and devices exit
// 2 naming the flag; --check exits 0 when covered, 1 above --max-outside (naming the channel),
// 2 for a file that is not an .npy; --report writes the JSON coverage report.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class CalibSelectCli : public ::testing::Test {
 protected:
  test::ProcessResult imuwb(const std::string& arguments) {
    return test::runCommand(test::shellQuote(test::cliPath().string()) + " " + arguments);
  }
  std::string path(const std::string& name) { return test::shellQuote((dir / name).string()); }
  std::string sample(const std::string& relative) {
    return test::shellQuote((test::sourceDir() / relative).string());
  }
  std::string exportBase() {
    return "calib-export --model " + sample("samples/models/dog_behavior_conv2d") + " --session " +
           session() + " ";
  }
  std::string session() { return sample("samples/sessions/dog_10min_collar_harness.h5"); }
  nlohmann::json readJson(const std::string& name) {
    std::ifstream in(dir / name);
    return nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  }

  test::TempDir dir;
};

TEST_F(CalibSelectCli, SelectionFlagsReachTheManifest) {
  const auto run = imuwb(exportBase() + "--out " + path("sel.npy") +
                         " --range collar:1:00-4:00 --range harness:300-420 --classes walk,trot"
                         " --balance classes --windows 200");
  ASSERT_EQ(run.exitCode, 0) << run.output << run.errors;
  EXPECT_NE(run.output.find("excluded"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("windows per class"), std::string::npos) << run.output;
  const auto m = readJson("sel.npy.json");
  EXPECT_EQ(m["selection"]["ranges"][0]["start_s"], 60.0);
  EXPECT_EQ(m["selection"]["ranges"][0]["end_s"], 240.0);
  EXPECT_EQ(m["selection"]["classes"], nlohmann::json::array({"walk", "trot"}));
  EXPECT_EQ(m["selection"]["balance"], "classes");
  for (const auto& [name, count] : m["class_histogram"].items())
    EXPECT_TRUE(name == "walk" || name == "trot") << name;
  EXPECT_EQ(m["channels"][0]["percentiles"].size(), 5u);
}

TEST_F(CalibSelectCli, BadSelectionsExitTwoNamingTheFlag) {
  const auto expectUsage = [&](const std::string& flags, const std::string& named) {
    const auto run = imuwb(exportBase() + "--out " + path("x.npy") + " " + flags);
    EXPECT_EQ(run.exitCode, 2) << flags << "\n" << run.output << run.errors;
    EXPECT_NE(run.errors.find(named), std::string::npos) << flags << "\n" << run.errors;
  };
  expectUsage("--range collar:10", "--range");
  expectUsage("--range collar:a-b", "--range");
  expectUsage("--range collar:30-10", "--range");
  expectUsage("--range belt:0-10", "collar, harness");
  expectUsage("--range collar:1000-1100", "outside");
  expectUsage("--classes walk,flying", "turn_right");
  expectUsage("--balance equal", "--balance");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
}

TEST_F(CalibSelectCli, CheckExitCodesAndReport) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  ASSERT_EQ(imuwb(exportBase() + "--out " + path("calib.npy") + " --range collar:0-300").exitCode,
            0);
  const auto made = test::runCommand(
      test::shellQuote(test::pythonPath()) + " -c " +
      test::shellQuote("import shutil,sys,h5py; shutil.copy(sys.argv[1], sys.argv[2]); "
                       "f=h5py.File(sys.argv[2],'r+'); f['devices/collar/imu'][5000:9000,1]=300.0;"
                       " f.close()") +
      " " + session() + " " + path("spiked.h5"));
  ASSERT_EQ(made.exitCode, 0) << made.errors;

  const auto ok = imuwb("calib-export --check " + path("calib.npy") + " --session " + session() +
                        " --max-outside 1");
  EXPECT_EQ(ok.exitCode, 0) << ok.output << ok.errors;
  const auto warned = imuwb("calib-export --check " + path("calib.npy") + " --session " +
                            path("spiked.h5") + " --report " + path("cov.json"));
  EXPECT_EQ(warned.exitCode, 1) << warned.output << warned.errors;
  EXPECT_NE(warned.output.find("channel ay"), std::string::npos) << warned.output;
  EXPECT_NE(warned.output.find("50.00-"), std::string::npos) << warned.output;
  const auto report = readJson("cov.json");
  EXPECT_EQ(report["format"], "imuwb-calibration-coverage");
  EXPECT_TRUE(report["warned"].get<bool>());

  const auto notNpy = imuwb("calib-export --check " + session() + " --session " + session());
  EXPECT_EQ(notNpy.exitCode, 2) << notNpy.output;
  EXPECT_NE(notNpy.errors.find("dog_10min_collar_harness.h5"), std::string::npos) << notNpy.errors;
  const auto mixed = imuwb("calib-export --check " + path("calib.npy") + " --session " + session() +
                           " --out " + path("y.npy"));
  EXPECT_EQ(mixed.exitCode, 2);
  // A model is never silently ignored: the check does not use one, and says so.
  const auto withModel =
      imuwb("calib-export --check " + path("calib.npy") + " --session " + session() + " --model " +
            sample("samples/models/dog_behavior_conv2d"));
  EXPECT_EQ(withModel.exitCode, 2) << withModel.output;
  EXPECT_NE(withModel.errors.find("drop --model"), std::string::npos) << withModel.errors;
  const auto noModel = imuwb("calib-export --session " + session() + " --out " + path("y.npy"));
  EXPECT_EQ(noModel.exitCode, 2);
  EXPECT_NE(noModel.errors.find("--model"), std::string::npos) << noModel.errors;
}

}  // namespace
}  // namespace imuwb
