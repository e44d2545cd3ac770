// The batch commands' inputs (batch/SessionInputs): files, globs, folders and lists, in a
// stable sorted order without duplicates.
#include <gtest/gtest.h>

#include <fstream>

#include "batch/SessionInputs.hpp"
#include "common/Error.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::batch {
namespace {

namespace fs = std::filesystem;

class SessionInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a/n2.h5", "a/n1.h5", "b/deep/x.h5", "b/notes.txt", "c/y.h5"}) {
      fs::create_directories((dir / name).parent_path());
      std::ofstream(dir / name) << "x";
    }
  }
  std::string at(const std::string& name) { return (dir / name).string(); }
  test::TempDir dir;
};

TEST_F(SessionInputs, ExpandsFilesGlobsFoldersAndListsIntoOneSortedList) {
  {
    std::ofstream list(dir / "list.txt");
    list << "# the fleet\n\nc/y.h5   # relative to the list\n" << at("a/n1.h5") << "\n";
  }
  SessionInputSpec spec;
  spec.sessions = {at("b"), at("a/n*.h5")};
  spec.lists = {dir / "list.txt"};
  const auto got = expandSessionInputs(spec);
  const std::vector<fs::path> want = {at("a/n1.h5"), at("a/n2.h5"), at("b/deep/x.h5"),
                                      at("c/y.h5")};
  EXPECT_EQ(got, want);
}

TEST_F(SessionInputs, AsGivenKeepsTheUsersOrder) {
  SessionInputSpec spec;
  spec.sessions = {at("c/y.h5"), at("a"), at("c/y.h5")};
  const std::vector<fs::path> want = {at("c/y.h5"), at("a/n1.h5"), at("a/n2.h5")};
  EXPECT_EQ(expandSessionInputs(spec, InputOrder::AsGiven), want);
}

TEST_F(SessionInputs, SaysWhenAGlobOrAListFindsNothing) {
  SessionInputSpec glob;
  glob.sessions = {at("a/*.hdf")};
  EXPECT_THROW(expandSessionInputs(glob), Error);
  SessionInputSpec list;
  list.lists = {dir / "missing.txt"};
  EXPECT_THROW(expandSessionInputs(list), Error);
}

}  // namespace
}  // namespace imuwb::batch
