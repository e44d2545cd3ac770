#pragma once
// The numpy/scipy peer of the evaluation metrics (tests/peers/eval_reference.py, Debian's
// /usr/bin/python3), and seeded random inputs drawn by numpy, for the core/eval tests.
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/ProbabilityTable.hpp"
#include "io/Npy.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::test {

class EvalPeer {
 public:
  // Runs python code with argv[1] = the scratch folder; fails the test on a non-zero exit.
  void python(const std::string& code) {
    const auto r = runCommand(shellQuote(pythonPath()) + " -c " + shellQuote(code) + " " +
                              shellQuote(dir.path().string()));
    ASSERT_EQ(r.exitCode, 0) << r.errors;
  }
  // The reference script's JSON answer for `mode` with args (file names resolve in the folder).
  nlohmann::json reference(const std::string& mode, const std::vector<std::string>& args) {
    std::string line = shellQuote(pythonPath()) + " " +
                       shellQuote((sourceDir() / "tests/peers/eval_reference.py").string()) + " " +
                       mode;
    for (const auto& a : args) line += " " + shellQuote(a.ends_with(".npy") ? path(a) : a);
    const auto r = runCommand(line);
    EXPECT_EQ(r.exitCode, 0) << r.errors;
    return r.exitCode == 0 ? nlohmann::json::parse(r.output) : nlohmann::json::object();
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }

  std::vector<double> doubles(const std::string& name) const {
    const auto a = io::readNpy(dir / name);
    EXPECT_EQ(a.dtype, io::NpyDType::Float64) << name;
    std::vector<double> v(static_cast<std::size_t>(a.elementCount()));
    std::memcpy(v.data(), a.bytes.data(), v.size() * sizeof(double));
    return v;
  }
  std::vector<int> ints(const std::string& name) const {
    const auto a = io::readNpy(dir / name);
    EXPECT_EQ(a.dtype, io::NpyDType::Int64) << name;
    std::vector<std::int64_t> v(static_cast<std::size_t>(a.elementCount()));
    std::memcpy(v.data(), a.bytes.data(), v.size() * sizeof(std::int64_t));
    return {v.begin(), v.end()};
  }
  eval::ProbabilityTable table(const std::string& name) const {
    const auto a = io::readNpy(dir / name);
    return {static_cast<std::size_t>(a.shape.at(1)), doubles(name)};
  }

  TempDir dir;
};

}  // namespace imuwb::test
