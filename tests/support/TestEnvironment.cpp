#include "support/TestEnvironment.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>

#include "support/paths/TestPaths.hpp"

namespace imuwb::test {
namespace fs = std::filesystem;

fs::path sourceDir() {
  return paths::sourceDir();
}
fs::path pipelineFixturesDir() {
  return sourceDir() / "tests" / "fixtures" / "pipeline";
}
fs::path cliPath() {
  return paths::cliPath();
}
std::string pythonPath() {
  return paths::python();
}
std::string nodePath() {
  return paths::node();
}
fs::path peersDir() {
  return paths::peersDir();
}

bool havePythonPeers() {
  static const bool available =
      !pythonPath().empty() &&
      runCommand(shellQuote(pythonPath()) + " -c 'import numpy, h5py'").exitCode == 0;
  return available;
}

bool haveOrtPeer() {
  return !nodePath().empty() &&
         fs::exists(peersDir() / "node_modules" / "onnxruntime-node" / "package.json");
}

bool havePipelineFixtures() {
  return fs::exists(pipelineFixturesDir() / "tcn_encoder_for_edgeinfer.onnx");
}

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  std::random_device seed;
  path_ = fs::temp_directory_path() /
          ("imuwb-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(seed() % 100000));
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string shellQuote(const std::string& argument) {
  std::string quoted = "'";
  for (char c : argument) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

ProcessResult runCommand(const std::string& commandLine) {
  TempDir scratch;
  const fs::path outPath = scratch / "stdout";
  const fs::path errPath = scratch / "stderr";
  const std::string full = "(" + commandLine + ") >" + shellQuote(outPath.string()) + " 2>" +
                           shellQuote(errPath.string()) + " </dev/null";
  const int status = std::system(full.c_str());
  ProcessResult result;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  };
  result.output = slurp(outPath);
  result.errors = slurp(errPath);
  return result;
}

}  // namespace imuwb::test
