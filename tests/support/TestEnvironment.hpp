#pragma once
// Where tests find things, and small helpers every suite uses: temp folders, running processes,
// and skipping cleanly when an optional fixture or peer is missing.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace imuwb::test {

std::filesystem::path sourceDir();
std::filesystem::path sharedDir();             // ../shared beside the repo
std::filesystem::path pipelineFixturesDir();   // ../shared/fixtures/pipeline
std::filesystem::path cliPath();               // build/bin/imuwb
std::string pythonPath();                      // Debian's python3 with numpy and h5py
std::string nodePath();
std::filesystem::path peersDir();              // .cache/peers (onnxruntime-node)

// Returns true when present; otherwise the caller should GTEST_SKIP with peerSkipReason().
bool havePythonPeers();   // numpy + h5py importable by pythonPath()
bool haveOrtPeer();       // node + onnxruntime-node in peersDir()
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

// Skip the current test with a clear message when the team's pipeline fixtures are absent.
#define IMUWB_REQUIRE_PIPELINE_FIXTURES()                                                     \
  do {                                                                                        \
    if (!::imuwb::test::havePipelineFixtures())                                               \
      GTEST_SKIP() << "pipeline fixtures not found at "                                       \
                   << ::imuwb::test::pipelineFixturesDir() << " (they live in ../shared)";    \
  } while (0)
#define IMUWB_REQUIRE_PYTHON_PEERS()                                                           \
  do {                                                                                         \
    if (!::imuwb::test::havePythonPeers())                                                     \
      GTEST_SKIP() << "python3 with numpy+h5py not available at " << ::imuwb::test::pythonPath() \
                   << "; run scripts/bootstrap.sh";                                            \
  } while (0)
#define IMUWB_REQUIRE_ORT_PEER()                                                          \
  do {                                                                                    \
    if (!::imuwb::test::haveOrtPeer())                                                    \
      GTEST_SKIP() << "onnxruntime-node not installed in " << ::imuwb::test::peersDir()  \
                   << "; run scripts/setup-peers.sh";                                     \
  } while (0)
