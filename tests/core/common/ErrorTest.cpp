#include <gtest/gtest.h>

#include <fstream>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

TEST(Error, MessageNamesPlaceProblemAndFix) {
  const Error error("s.h5:/devices/collar/imu", "dataset is [N,6], expected [N,9]",
                    "re-export with all nine channels");
  EXPECT_EQ(std::string(error.what()),
            "s.h5:/devices/collar/imu: dataset is [N,6], expected [N,9]\n"
            "  fix: re-export with all nine channels");
  EXPECT_EQ(error.fix(), "re-export with all nine channels");
}

TEST(AtomicFile, FailedWriteLeavesOriginalUntouched) {
  test::TempDir dir;
  const auto target = dir / "session.h5";
  std::ofstream(target) << "original";
  EXPECT_THROW(writeAtomically(target,
                               [](const std::filesystem::path& temp) {
                                 std::ofstream(temp) << "half";
                                 throw Error("x", "simulated failure");
                               }),
               Error);
  std::ifstream in(target);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "original");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(AtomicFile, SuccessfulWriteReplacesTarget) {
  test::TempDir dir;
  const auto target = dir / "out.txt";
  std::ofstream(target) << "old";
  writeAtomically(target, [](const std::filesystem::path& temp) { std::ofstream(temp) << "new"; });
  std::ifstream in(target);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "new");
}

TEST(Sha256, MatchesPythonHashlib) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto file = dir / "data.bin";
  std::ofstream(file, std::ios::binary) << "imu model workbench\n";
  const auto peer = test::runCommand(test::shellQuote(test::pythonPath()) +
                                     " -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"
                                     "\"rb\").read()).hexdigest())' " +
                                     test::shellQuote(file.string()));
  ASSERT_EQ(peer.exitCode, 0) << peer.errors;
  EXPECT_EQ(sha256File(file) + "\n", peer.output);
}

}  // namespace
}  // namespace imuwb
