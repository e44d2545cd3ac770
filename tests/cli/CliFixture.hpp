#pragma once
// The common ground of the end-to-end CLI tests: a scratch folder, the imuwb binary and the
// numpy peer run as child processes, and seeded random .npy tensors written by numpy.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "support/TestEnvironment.hpp"

namespace imuwb::test {

class CliFixture : public ::testing::Test {
 protected:
  // python3 -c code args...
  ProcessResult python(const std::string& code, const std::vector<std::string>& args = {}) {
    std::string line = shellQuote(pythonPath()) + " -c " + shellQuote(code);
    for (const auto& a : args) line += " " + shellQuote(a);
    return runCommand(line);
  }
  ProcessResult imuwb(const std::string& arguments) {
    return runCommand(shellQuote(cliPath().string()) + " " + arguments);
  }
  // name inside the scratch folder, quoted for the shell.
  std::string path(const std::string& name) { return shellQuote((dir / name).string()); }
  nlohmann::json json(const std::string& name) {
    std::ifstream in(dir / name);
    return nlohmann::json::parse(in);
  }
  // Saves standard-normal float32 arrays into the scratch folder, one per (file name, numpy
  // shape such as "(96,9,2,100)"), drawn in order from numpy's default_rng(seed).
  void writeRandomNpys(int seed, const std::vector<std::pair<std::string, std::string>>& arrays) {
    std::string code = "import numpy as np,sys; r=np.random.default_rng(" + std::to_string(seed) +
                       "); d=sys.argv[1]";
    for (const auto& [name, shape] : arrays)
      code += "; np.save(d+'/" + name + "', r.standard_normal(" + shape + ").astype(np.float32))";
    const auto made = python(code, {dir.path().string()});
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }

  TempDir dir;
};

}  // namespace imuwb::test
