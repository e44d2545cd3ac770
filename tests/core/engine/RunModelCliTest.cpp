// `imuwb run-model` end to end: outputs and taps as .npy (checked against ONNX Runtime),
// summary.json, the filesystem-safe name rule, and exit code 2 with a clear message on bad input.
// Lives with the engine tests because it builds its models with libonnx.
#include <gtest/gtest.h>

#include <onnx/onnx_pb.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "EngineTestSupport.hpp"
#include "engine/NpyTensor.hpp"

namespace fs = std::filesystem;

namespace imuwb::engine::test {
namespace {

using imuwb::test::cliPath;
using imuwb::test::runCommand;
using imuwb::test::shellQuote;
using imuwb::test::TempDir;

#define IMUWB_REQUIRE_CLI()                                                         \
  do {                                                                              \
    if (!fs::exists(cliPath()))                                                     \
      GTEST_FAIL() << "imuwb CLI missing at " << cliPath() << "; run `make build`"; \
  } while (0)

const char* kWeirdNames = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,4] X) => (float[N,3] scoresA, float[N,3] scores_final_0, float[N,4] hidden) {
  midrelu = Relu (X)
  hidden = Mul (midrelu, X)
  scoresA = MatMul (hidden, W)
  scores_final_0 = Sigmoid (scoresA)
}
)";

void renameTensors(const fs::path& path, const std::map<std::string, std::string>& names) {
  onnx::ModelProto proto;
  {
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(proto.ParseFromIstream(&in));
  }
  auto rename = [&](std::string* name) {
    auto it = names.find(*name);
    if (it != names.end()) *name = it->second;
  };
  auto* graph = proto.mutable_graph();
  for (auto& node : *graph->mutable_node()) {
    for (auto& input : *node.mutable_input()) rename(&input);
    for (auto& output : *node.mutable_output()) rename(&output);
  }
  for (auto& output : *graph->mutable_output()) rename(output.mutable_name());
  for (auto& value : *graph->mutable_value_info()) rename(value.mutable_name());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << proto.SerializeAsString();
}

struct CliModel {
  TempDir dir;
  fs::path model, input;
  Tensor x;
  CliModel() {
    std::mt19937 rng(4);
    model = writeModel(dir / "weird.onnx", kWeirdNames, {{"W", randomTensor({4, 3}, rng)}});
    // The textual syntax has no quoted names: give the tensors their awkward names here.
    renameTensors(model,
                  {{"scoresA", "scores/final:0"}, {"hidden", ".hidden"}, {"midrelu", "mid:relu"}});
    x = randomTensor({6, 4}, rng);
    input = dir / "x.npy";
    writeNpyTensor(input, x);
  }
};

TEST(RunModelCli, WritesOutputsTapsAndSummaryWithSafeNames) {
  IMUWB_REQUIRE_CLI();
  IMUWB_REQUIRE_ORT_PEER();
  CliModel m;
  const fs::path out = m.dir / "out";
  const auto result =
      runCommand(shellQuote(cliPath().string()) + " run-model " + shellQuote(m.model.string()) +
                 " --input X=" + shellQuote(m.input.string()) + " --save-outputs " +
                 shellQuote(out.string()) + " --taps mid:relu --threads 2 --json");
  ASSERT_EQ(result.exitCode, 0) << result.errors;
  const auto summary = nlohmann::json::parse(result.output);
  std::ifstream summaryFile(out / "summary.json");
  EXPECT_EQ(nlohmann::json::parse(summaryFile), summary);
  EXPECT_EQ(summary["windows"], 6);
  EXPECT_EQ(summary["mode"], "batched");  // a symbolic batch the planner proved splittable
  EXPECT_EQ(summary["model_sha256"].get<std::string>().size(), 64u);
  ASSERT_EQ(summary["outputs"].size(), 3u);
  // The rule: [^A-Za-z0-9._-] -> '_', a leading '.'/'-' -> '_', collisions get _2, _3...
  EXPECT_EQ(summary["outputs"][0]["file"], "scores_final_0.npy");
  EXPECT_EQ(summary["outputs"][1]["file"], "scores_final_0_2.npy");
  EXPECT_EQ(summary["outputs"][2]["file"], "_hidden.npy");
  EXPECT_EQ(summary["taps"][0]["file"], "taps/mid_relu.npy");
  EXPECT_EQ(summary["outputs"][0]["shape"], (std::vector<int>{6, 3}));
  const auto ort = runOrt({{"cli", m.model, {{"X", m.x}}}}, m.dir / "work");
  ASSERT_EQ(ort[0].size(), 3u);
  for (int k = 0; k < 3; ++k) {
    const Tensor ours = readNpyTensor(out / summary["outputs"][k]["file"].get<std::string>());
    EXPECT_LE(maxAbsDiff(ours, ort[0][k]), 1e-5 * std::max(1.0, maxAbs(ort[0][k]))) << k;
  }
  Tensor relu = m.x;
  for (float& v : relu.floats()) v = std::max(v, 0.f);
  EXPECT_EQ(maxAbsDiff(readNpyTensor(out / "taps" / "mid_relu.npy"), relu), 0.0);
}

TEST(RunModelCli, BadInputsExitWithCode2AndSayWhy) {
  IMUWB_REQUIRE_CLI();
  CliModel m;
  auto run = [&](const std::string& args) {
    return runCommand(shellQuote(cliPath().string()) + " run-model " + args);
  };
  std::mt19937 rng(5);
  writeNpyTensor(m.dir / "wrong.npy", randomTensor({6, 5}, rng));
  writeNpyTensor(m.dir / "window.npy", randomTensor({4}, rng));
  const std::string model = shellQuote(m.model.string());
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases{
      {model + " --input " + shellQuote((m.dir / "wrong.npy").string()), "[6,5]"},
      {model + " --input " + shellQuote((m.dir / "window.npy").string()),
       "leading window dimension"},
      {model + " --input Z=" + shellQuote(m.input.string()), "no input named 'Z'"},
      {model + " --input " + shellQuote((m.dir / "absent.npy").string()), "absent.npy"},
      {model + " --input " + shellQuote(m.input.string()) + " --taps nope", "tap 'nope'"},
      {shellQuote((m.dir / "absent.onnx").string()) + " --input " + shellQuote(m.input.string()),
       "does not exist"},
  };
  for (const auto& c : cases) {
    const auto result = run(c.args);
    EXPECT_EQ(result.exitCode, 2) << c.args;
    EXPECT_NE(result.errors.find(c.message), std::string::npos) << c.args << "\n" << result.errors;
  }
}

}  // namespace
}  // namespace imuwb::engine::test
