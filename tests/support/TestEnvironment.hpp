#pragma once
// Where tests find things, and small helpers every suite uses: temp folders, running processes,
// and failing clearly when a fixture or peer is missing. No test skips: a test that cannot run
// fails and names the make target that installs what it needs.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace imuwb::test {

std::filesystem::path sourceDir();
std::filesystem::path pipelineFixturesDir();  // tests/fixtures/pipeline (the pipeline's real files)
std::filesystem::path cliPath();              // build/bin/imuwb
std::string pythonPath();                     // Debian's python3 with numpy and h5py
std::string nodePath();
std::filesystem::path peersDir();  // .cache/peers (onnxruntime-node)

// Returns true when present; the IMUWB_REQUIRE_* macros below fail the test otherwise.
bool havePythonPeers();  // numpy + h5py importable by pythonPath()
bool haveOrtPeer();      // node + onnxruntime-node in peersDir()
bool havePipelineFixtures();

// A fresh folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct ProcessResult {
  int exitCode = -1;
  std::string output;  // stdout
  std::string errors;  // stderr
};
// Runs a shell command line; captures stdout and stderr separately.
ProcessResult runCommand(const std::string& commandLine);
// Quotes one argument for /bin/sh.
std::string shellQuote(const std::string& argument);

}  // namespace imuwb::test

// Fail (and leave) the current test with a message naming what is missing and how to get it.
// GTEST_FAIL returns from the function, so use these in void test bodies or SetUp only.
#define IMUWB_REQUIRE_PIPELINE_FIXTURES()                                                     \
  do {                                                                                        \
    if (!::imuwb::test::havePipelineFixtures())                                               \
      GTEST_FAIL() << "pipeline fixtures missing at " << ::imuwb::test::pipelineFixturesDir() \
                   << " (they are part of the repository: restore them with git checkout)";   \
  } while (0)
#define IMUWB_REQUIRE_PYTHON_PEERS()                                                             \
  do {                                                                                           \
    if (!::imuwb::test::havePythonPeers())                                                       \
      GTEST_FAIL() << "python3 with numpy+h5py not available at " << ::imuwb::test::pythonPath() \
                   << "; run `make bootstrap` (scripts/bootstrap.sh)";                           \
  } while (0)
#define IMUWB_REQUIRE_ORT_PEER()                                                        \
  do {                                                                                  \
    if (!::imuwb::test::haveOrtPeer())                                                  \
      GTEST_FAIL() << "onnxruntime-node not installed in " << ::imuwb::test::peersDir() \
                   << " (or node missing); run `make peers` (scripts/setup-peers.sh)";  \
  } while (0)
