// imuwb convert end to end: the team's real encoder converts with the proof run on windows of a
// sample session, `check` on the result has no Conv1d / chomp finding, and the manifest written
// beside it lets `run` and `parity` use it at once (parity against the ORIGINAL model's recorded
// outputs, through the window feed: an independent second proof). A deliberately broken rewrite
// fails the command with exit 1 and writes nothing; the input is never the output.
#include <fstream>
#include <set>
#include <sstream>

#include "CliFixture.hpp"

namespace imuwb::test {
namespace {

std::string encoder() {
  return shellQuote((sourceDir() / "samples/models/tcn_encoder/manifest.json").string());
}
std::string session() {
  return shellQuote((sourceDir() / "samples/sessions/dog_2min_collar.h5").string());
}

std::string bytesOf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ConvertCli : public CliFixture {};

TEST_F(ConvertCli, RealEncoderConvertsPassesCheckAndRunsAtOnce) {
  for (const std::string layout : {"nchw", "nhwc"}) {
    SCOPED_TRACE(layout);
    const auto out = path(layout + ".hailo.onnx");
    const auto convert =
        imuwb("convert " + encoder() + " --to hailo8 --out " + out + " --input-layout " + layout +
              " --report " + path(layout + ".json") + " --session " + session() + " --windows 48");
    ASSERT_EQ(convert.exitCode, 0) << convert.output << convert.errors;
    const auto report = json(layout + ".json");
    EXPECT_TRUE(report["written"].get<bool>());
    const auto& proof = report["proof"];
    EXPECT_EQ(proof["windows"], 48);
    EXPECT_NE(proof["origin"].get<std::string>().find("dog_2min_collar.h5"), std::string::npos);
    ASSERT_EQ(proof["outputs"].size(), 1u);
    EXPECT_GE(proof["outputs"][0]["min_window_cosine"].get<double>(), 0.999999);
    EXPECT_LE(proof["outputs"][0]["max_rel"].get<double>(), 1e-5);
    std::multiset<std::string> rules;
    for (const auto& rewrite : report["conversion"]["rewrites"]) {
      rules.insert(rewrite["rule"].get<std::string>());
      EXPECT_FALSE(rewrite["nodes"].empty()) << rewrite.dump();
    }
    EXPECT_EQ(rules.count("conv1d_to_conv2d"), 9u);
    EXPECT_EQ(rules.count("chomp_to_causal_pad"), 6u);
    EXPECT_EQ(rules.count("time_major_input"), 1u);
    EXPECT_TRUE(report["remaining_findings"].empty()) << report["remaining_findings"].dump();

    const auto check = imuwb("--json check " + out + " --no-run");
    ASSERT_EQ(check.exitCode, 0) << check.output << check.errors;
    const auto checked =
        nlohmann::json::parse(check.output);  // outlives the loop (not a temporary)
    for (const auto& finding : checked["findings"]) {
      const auto code = finding["code"].get<std::string>();
      EXPECT_TRUE(code != "conv1d" && code != "slice" && code != "output_role_inferred") << code;
    }

    // The original's outputs, recorded by `run`, against the converted model through parity.
    const auto recorded = path("original_" + layout + ".h5");
    const auto run =
        imuwb("run --model " + encoder() + " --session " + session() + " --out " + recorded);
    ASSERT_TRUE(std::filesystem::exists(dir / ("original_" + layout + ".h5"))) << run.errors;
    const auto parity =
        imuwb("parity --model " + out + " --session " + session() + " --reference " + recorded +
              " --b cpu --min-cosine 0.999999" + " --report " + path("parity_" + layout + ".json"));
    EXPECT_EQ(parity.exitCode, 0) << parity.output << parity.errors;
    const auto converted = imuwb("run --model " + out + " --session " + session() + " --out " +
                                 path("converted_" + layout + ".h5"));
    EXPECT_TRUE(std::filesystem::exists(dir / ("converted_" + layout + ".h5"))) << converted.errors;
  }
}

TEST_F(ConvertCli, BrokenRewriteFailsTheProofAndWritesNothing) {
  for (const std::string rule : {"chomp_to_causal_pad", "conv1d_to_conv2d", "time_major_input"}) {
    SCOPED_TRACE(rule);
    const auto convert =
        imuwb("convert " + encoder() + " --out " + path("broken.onnx") + " --force" + " --report " +
              path("proof.json") + " --test-break-rewrite " + rule);
    EXPECT_EQ(convert.exitCode, 1) << convert.output << convert.errors;
    EXPECT_NE(convert.output.find("nothing written"), std::string::npos) << convert.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "broken.onnx"));
    EXPECT_FALSE(std::filesystem::exists(dir / "broken.json"));  // no manifest either
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
      EXPECT_EQ(entry.path().filename(), "proof.json") << "left behind: " << entry.path();
    EXPECT_FALSE(json("proof.json")["proof"]["passed"].get<bool>());
  }
}

TEST_F(ConvertCli, NeverWritesOverItsInput) {
  std::filesystem::copy_file(pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx",
                             dir / "model.onnx");
  const auto before = bytesOf(dir / "model.onnx");
  for (const std::string force : {"", " --force"}) {
    const auto convert =
        imuwb("convert " + path("model.onnx") + " --out " + path("model.onnx") + force);
    EXPECT_EQ(convert.exitCode, 2) << convert.output << convert.errors;
    EXPECT_NE(convert.errors.find("same file as the input"), std::string::npos) << convert.errors;
  }
  EXPECT_EQ(bytesOf(dir / "model.onnx"), before);
  std::ofstream(dir / "taken.onnx") << "x";
  const auto taken = imuwb("convert " + path("model.onnx") + " --out " + path("taken.onnx"));
  EXPECT_EQ(taken.exitCode, 2) << taken.output;
  EXPECT_EQ(bytesOf(dir / "taken.onnx"), "x");
}

}  // namespace
}  // namespace imuwb::test
