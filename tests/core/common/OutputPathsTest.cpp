// The output-path policy (common/OutputPaths.hpp): an output may never be an input or another
// output, however it is spelled (symlink, hard link, ".."), and an existing output is replaced
// only with --force. Each refusal is an imuwb::Error naming the output, the clash and a fix.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/Error.hpp"
#include "common/OutputPaths.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

class OutputPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "session.h5") << "recording";
  }
  // The Error enforce() throws; fails the test when it throws nothing.
  Error refusal(const OutputPathCheck& check) {
    try {
      check.enforce();
    } catch (const Error& error) {
      return error;
    }
    ADD_FAILURE() << "enforce() accepted the paths";
    return Error("", "");
  }
  test::TempDir dir;
};

TEST_F(OutputPaths, DistinctNewOutputsPass) {
  EXPECT_NO_THROW(OutputPathCheck(false)
                      .input(dir / "session.h5", "--session")
                      .output(dir / "out.h5", "--out")
                      .output(dir / "out.csv", "--csv")
                      .enforce());
}

TEST_F(OutputPaths, OutputEqualToInputIsRefusedEvenWithForce) {
  const auto error = refusal(OutputPathCheck(true)
                                 .input(dir / "session.h5", "--session")
                                 .output(dir / "session.h5", "--out"));
  EXPECT_EQ(error.where(), (dir / "session.h5").string());
  EXPECT_NE(error.problem().find("--session"), std::string::npos) << error.problem();
  EXPECT_NE(error.problem().find("--out"), std::string::npos) << error.problem();
  EXPECT_NE(error.problem().find("same file"), std::string::npos) << error.problem();
  EXPECT_FALSE(error.fix().empty());
}

TEST_F(OutputPaths, SymlinkToInputIsRefused) {
  fs::create_symlink(dir / "session.h5", dir / "sub" / "link.h5");
  const auto error = refusal(OutputPathCheck(true)
                                 .input(dir / "session.h5", "--session")
                                 .output(dir / "sub" / "link.h5", "--out"));
  EXPECT_EQ(error.where(), (dir / "sub" / "link.h5").string());
  EXPECT_NE(error.problem().find("input"), std::string::npos) << error.problem();
}

TEST_F(OutputPaths, SymlinkedFolderToInputIsRefused) {
  fs::create_directory_symlink(dir.path(), dir / "sub" / "again");
  const auto error = refusal(OutputPathCheck(true)
                                 .input(dir / "session.h5", "--session")
                                 .output(dir / "sub" / "again" / "session.h5", "--out"));
  EXPECT_NE(error.problem().find("same file"), std::string::npos) << error.problem();
}

TEST_F(OutputPaths, HardLinkToInputIsRefused) {
  fs::create_hard_link(dir / "session.h5", dir / "sub" / "hard.h5");
  const auto error = refusal(OutputPathCheck(true)
                                 .input(dir / "session.h5", "--session")
                                 .output(dir / "sub" / "hard.h5", "--out"));
  EXPECT_EQ(error.where(), (dir / "sub" / "hard.h5").string());
  EXPECT_NE(error.problem().find("same file"), std::string::npos) << error.problem();
}

TEST_F(OutputPaths, DotDotPathToInputIsRefused) {
  const auto error = refusal(OutputPathCheck(true)
                                 .input(dir / "session.h5", "--session")
                                 .output(dir / "sub" / ".." / "session.h5", "--out"));
  EXPECT_NE(error.problem().find("same file"), std::string::npos) << error.problem();
}

TEST_F(OutputPaths, TwoOutputsOnOneNewFileAreRefused) {
  const auto error = refusal(OutputPathCheck(false)
                                 .output(dir / "x.out", "--out")
                                 .output(dir / "sub" / ".." / "x.out", "--csv"));
  EXPECT_NE(error.problem().find("--out"), std::string::npos) << error.problem();
  EXPECT_NE(error.problem().find("--csv"), std::string::npos) << error.problem();
  EXPECT_NE(error.fix().find("own path"), std::string::npos) << error.fix();
}

TEST_F(OutputPaths, TwoOutputsOnOneExistingFileAreRefusedEvenWithForce) {
  std::ofstream(dir / "x.out") << "old";
  fs::create_hard_link(dir / "x.out", dir / "y.out");
  const auto error = refusal(
      OutputPathCheck(true).output(dir / "x.out", "--report").output(dir / "y.out", "--html"));
  EXPECT_NE(error.problem().find("overwrite the other"), std::string::npos) << error.problem();
}

TEST_F(OutputPaths, ExistingOutputNeedsForce) {
  std::ofstream(dir / "out.h5") << "previous run";
  const auto error = refusal(OutputPathCheck(false).output(dir / "out.h5", "--out"));
  EXPECT_EQ(error.where(), (dir / "out.h5").string());
  EXPECT_NE(error.problem().find("already exists"), std::string::npos) << error.problem();
  EXPECT_NE(error.fix().find("--force"), std::string::npos) << error.fix();
  EXPECT_NO_THROW(OutputPathCheck(true).output(dir / "out.h5", "--out").enforce());
}

TEST_F(OutputPaths, FolderAsOutputFileIsRefused) {
  const auto error = refusal(OutputPathCheck(true).output(dir / "sub", "--report"));
  EXPECT_NE(error.problem().find("folder"), std::string::npos) << error.problem();
}

TEST_F(OutputPaths, FilesWrittenIntoAFolderAreCheckedAgainstInputs) {
  std::ofstream(dir / "sub" / "latent.npy") << "input windows";
  const auto error =
      refusal(OutputPathCheck(true)
                  .input(dir / "sub" / "latent.npy", "--input")
                  .outputFolder(dir / "sub", {"summary.json", "latent.npy"}, "--save-outputs"));
  EXPECT_EQ(error.where(), (dir / "sub" / "latent.npy").string());
  EXPECT_NE(error.problem().find("--input"), std::string::npos) << error.problem();
  // The folder itself may exist; new files in it pass.
  EXPECT_NO_THROW(OutputPathCheck(false)
                      .input(dir / "sub" / "latent.npy", "--input")
                      .outputFolder(dir / "sub", {"summary.json", "logits.npy"}, "--save-outputs")
                      .enforce());
}

TEST_F(OutputPaths, OutputFolderThatIsAFileIsRefused) {
  try {
    OutputPathCheck(true).outputFolder(dir / "session.h5", {"summary.json"}, "--save-outputs");
    FAIL() << "a file was accepted as the output folder";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("must be a folder"), std::string::npos) << error.problem();
  }
}

TEST_F(OutputPaths, EmptyOptionalPathsAreIgnored) {
  EXPECT_NO_THROW(OutputPathCheck(false)
                      .input("", "--calib")
                      .output(dir / "out.h5", "--out")
                      .output("", "--csv")
                      .output("", "--html")
                      .enforce());
}

TEST(SameFile, ComparesResolvedPathsAndInodes) {
  test::TempDir dir;
  std::ofstream(dir / "a") << "a";
  std::ofstream(dir / "b") << "b";
  fs::create_hard_link(dir / "a", dir / "a2");
  EXPECT_TRUE(sameFile(dir / "a", dir / "a2"));
  EXPECT_FALSE(sameFile(dir / "a", dir / "b"));
  EXPECT_TRUE(sameFile(dir / "new", dir / "." / "new"));
  EXPECT_FALSE(sameFile(dir / "new", dir / "other"));
}

}  // namespace
}  // namespace imuwb
