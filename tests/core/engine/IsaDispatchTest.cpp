// Run-time kernel dispatch (engine/isa/): the level follows the CPU, read independently from
// /proc/cpuinfo; IMUWB_ISA forces a level and is refused with a clear error when the CPU lacks it;
// and every level this CPU supports computes convolution models like ONNX Runtime, through the
// real CLI (one process per level, as a user would force it). AVX2 and AVX-512 do the same FMAs
// in the same order, so their outputs must be bit-identical; generic (no FMA) is held to the ORT
// tolerance.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "EngineTestSupport.hpp"
#include "common/Error.hpp"
#include "engine/NpyTensor.hpp"
#include "engine/isa/Isa.hpp"

namespace fs = std::filesystem;

namespace imuwb::engine::test {
namespace {

using imuwb::test::cliPath;
using imuwb::test::runCommand;
using imuwb::test::shellQuote;
using imuwb::test::TempDir;

// The flags of the first processor in /proc/cpuinfo (the kernel's view, not cpuid's).
std::set<std::string> cpuinfoFlags() {
  std::ifstream file("/proc/cpuinfo");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    return {std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  }
  return {};
}

std::vector<std::string> levelsFromCpuinfo() {
  const auto flags = cpuinfoFlags();
  auto has = [&](std::initializer_list<const char*> names) {
    for (const char* name : names)
      if (!flags.count(name)) return false;
    return true;
  };
  std::vector<std::string> levels{"generic"};
  if (has({"avx2", "fma"})) levels.push_back("avx2");
  if (has({"avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"}))
    levels.push_back("avx512");
  return levels;
}

TEST(IsaDispatch, SupportedLevelsMatchProcCpuinfo) {
  const auto expected = levelsFromCpuinfo();
  ASSERT_FALSE(cpuinfoFlags().empty()) << "no flags line in /proc/cpuinfo";
  std::vector<std::string> got;
  for (Isa level : supportedIsas()) got.push_back(isaName(level));
  EXPECT_EQ(got, expected);
  EXPECT_EQ(isaName(bestSupportedIsa()), expected.back());
}

TEST(IsaDispatch, ResolvesTheRequestedLevel) {
  EXPECT_EQ(resolveIsa(nullptr, Isa::Avx512), Isa::Avx512);
  EXPECT_EQ(resolveIsa("", Isa::Avx2), Isa::Avx2);
  EXPECT_EQ(resolveIsa("generic", Isa::Avx512), Isa::Generic);
  EXPECT_EQ(resolveIsa("avx2", Isa::Avx512), Isa::Avx2);
  EXPECT_EQ(resolveIsa("avx2", Isa::Avx2), Isa::Avx2);
  EXPECT_EQ(resolveIsa("avx512", Isa::Avx512), Isa::Avx512);
}

TEST(IsaDispatch, RefusesALevelTheCpuLacksOrAnUnknownName) {
  try {
    resolveIsa("avx512", Isa::Avx2);
    ADD_FAILURE() << "avx512 accepted on an AVX2-only CPU";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), "IMUWB_ISA=avx512");
    EXPECT_NE(error.problem().find("does not support avx512"), std::string::npos) << error.what();
    EXPECT_NE(error.problem().find("avx2"), std::string::npos) << error.what();
    EXPECT_NE(error.fix().find("unset IMUWB_ISA"), std::string::npos) << error.what();
  }
  EXPECT_THROW(resolveIsa("avx2", Isa::Generic), Error);
  try {
    resolveIsa("sse9", Isa::Avx512);
    ADD_FAILURE() << "unknown level accepted";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("unknown"), std::string::npos);
    EXPECT_NE(error.fix().find("generic, avx2 or avx512"), std::string::npos);
  }
}

TEST(IsaDispatch, VersionReportsTheLevelAndHonoursIsaOverride) {
  ASSERT_TRUE(fs::exists(cliPath())) << "build the imuwb target first: " << cliPath();
  const auto levels = levelsFromCpuinfo();
  const std::string cli = shellQuote(cliPath().string());
  const auto plain = runCommand("env -u IMUWB_ISA " + cli + " version --json");
  ASSERT_EQ(plain.exitCode, 0) << plain.errors;
  const auto document = nlohmann::json::parse(plain.output);
  EXPECT_EQ(document.at("isa"), levels.back());
  EXPECT_EQ(document.at("isa_supported").get<std::vector<std::string>>(), levels);
  for (const auto& level : levels) {
    const auto forced = runCommand("IMUWB_ISA=" + level + " " + cli + " version --json");
    ASSERT_EQ(forced.exitCode, 0) << forced.errors;
    EXPECT_EQ(nlohmann::json::parse(forced.output).at("isa"), level);
    const auto text = runCommand("IMUWB_ISA=" + level + " " + cli + " version");
    EXPECT_NE(text.output.find("engine kernels: " + level + " "), std::string::npos) << text.output;
  }
  const auto bad = runCommand("IMUWB_ISA=avx9000 " + cli + " version");
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.errors.find("IMUWB_ISA=avx9000"), std::string::npos) << bad.errors;
  EXPECT_NE(bad.errors.find("generic, avx2 or avx512"), std::string::npos) << bad.errors;
}

// Convolutions with constant weights (so the packed, dispatched GEMM runs): a 1-D stack with
// padding, bias, fused ReLU and a dilated conv whose filter count is not a multiple of 8, and a
// grouped 2-D conv; 5 windows, so both the one-window and the several-windows paths run.
const char* kConv1d = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,9,100] X) => (float[N,37,96] Y) {
  h = Conv <pads = [2, 2]> (X, W1, B1)
  r = Relu (h)
  Y = Conv <dilations = [2]> (r, W2)
}
)";
const char* kConv2d = R"(<
  ir_version: 8,
  opset_import: ["" : 13]
>
g (float[N,6,5,40] X) => (float[N,22,5,40] Y) {
  Y = Conv <group = 2, pads = [0, 1, 1, 1]> (X, W, B)
}
)";

TEST(IsaDispatch, EveryLevelMatchesOnnxRuntimeAndAvxLevelsAgreeBitForBit) {
  ASSERT_TRUE(fs::exists(cliPath())) << "build the imuwb target first: " << cliPath();
  ASSERT_TRUE(imuwb::test::haveOrtPeer()) << "run scripts/setup-peers.sh";
  TempDir dir;
  std::mt19937 rng(42);
  std::vector<PeerCase> cases;
  cases.push_back({"conv1d",
                   writeModel(dir / "conv1d.onnx", kConv1d,
                              {{"W1", randomTensor({70, 9, 5}, rng)},
                               {"B1", randomTensor({70}, rng)},
                               {"W2", randomTensor({37, 70, 3}, rng)}}),
                   {{"X", randomTensor({5, 9, 100}, rng)}}});
  cases.push_back(
      {"conv2d",
       writeModel(dir / "conv2d.onnx", kConv2d,
                  {{"W", randomTensor({22, 3, 2, 3}, rng)}, {"B", randomTensor({22}, rng)}}),
       {{"X", randomTensor({5, 6, 5, 40}, rng)}}});
  const auto ort = runOrt(cases, dir / "ort");
  const auto levels = levelsFromCpuinfo();
  for (std::size_t c = 0; c < cases.size(); ++c) {
    ASSERT_EQ(ort[c].size(), 1u) << cases[c].label;
    const fs::path input = dir / (cases[c].label + "_x.npy");
    writeNpyTensor(input, cases[c].inputs[0].tensor);
    std::map<std::string, Tensor> outputs;
    for (const auto& level : levels) {
      const fs::path out = dir / (cases[c].label + "_" + level);
      const auto result = runCommand(
          "IMUWB_ISA=" + level + " " + shellQuote(cliPath().string()) + " run-model " +
          shellQuote(cases[c].model.string()) + " --input X=" + shellQuote(input.string()) +
          " --save-outputs " + shellQuote(out.string()) + " --threads 1");
      ASSERT_EQ(result.exitCode, 0) << level << ": " << result.errors;
      outputs[level] = readNpyTensor(out / "Y.npy");
      const double scale = std::max(1.0, maxAbs(ort[c][0]));
      EXPECT_LE(maxAbsDiff(outputs[level], ort[c][0]), 1e-5 * scale)
          << cases[c].label << " at " << level << " vs ORT";
      EXPECT_LE(maxAbsDiff(outputs[level], outputs["generic"]), 1e-5 * scale)
          << cases[c].label << " at " << level << " vs generic";
    }
    if (outputs.count("avx2") && outputs.count("avx512")) {
      EXPECT_EQ(maxAbsDiff(outputs["avx2"], outputs["avx512"]), 0.0) << cases[c].label;
    }
  }
}

}  // namespace
}  // namespace imuwb::engine::test
