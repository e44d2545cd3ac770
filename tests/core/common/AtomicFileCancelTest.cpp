// writeAtomically when the user stops the job mid-write (Ctrl-C in the CLI, Cancel in the GUI):
// the writer throws imuwb::Cancelled from JobControl::throwIfCancelled, and the save must leave
// no hidden temporary file behind and never touch an existing target.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stop_token>
#include <string>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/JobControl.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

std::size_t entryCount(const fs::path& folder) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A writer that puts real bytes into the temp file, then sees the stop request like a job does.
void writeUntilCancelled(const fs::path& temp, const JobControl& control, fs::path& seenTemp) {
  seenTemp = temp;
  std::ofstream(temp, std::ios::binary) << "half of a session";
  ASSERT_TRUE(fs::exists(temp));
  control.throwIfCancelled();
  FAIL() << "throwIfCancelled did not throw although stop was requested";
}

TEST(AtomicFileCancel, CancelledWriteRemovesTempAndLeavesNoTarget) {
  test::TempDir dir;
  const auto target = dir / "day.h5";
  std::stop_source stop;
  JobControl control;
  control.stop = stop.get_token();
  stop.request_stop();
  fs::path seenTemp;
  EXPECT_THROW(
      writeAtomically(target,
                      [&](const fs::path& temp) { writeUntilCancelled(temp, control, seenTemp); }),
      Cancelled);
  ASSERT_FALSE(seenTemp.empty());
  EXPECT_EQ(seenTemp.parent_path(), dir.path()) << "temp file must live beside the target";
  EXPECT_FALSE(fs::exists(seenTemp)) << seenTemp;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(entryCount(dir.path()), 0u);
}

TEST(AtomicFileCancel, CancelledWriteLeavesExistingTargetUntouched) {
  test::TempDir dir;
  const auto target = dir / "day.h5";
  std::ofstream(target, std::ios::binary) << "the user's finished file";
  const auto before = fs::last_write_time(target);
  std::stop_source stop;
  JobControl control;
  control.stop = stop.get_token();
  stop.request_stop();
  fs::path seenTemp;
  EXPECT_THROW(
      writeAtomically(target,
                      [&](const fs::path& temp) { writeUntilCancelled(temp, control, seenTemp); }),
      Cancelled);
  EXPECT_FALSE(fs::exists(seenTemp)) << seenTemp;
  EXPECT_EQ(readAll(target), "the user's finished file");
  EXPECT_EQ(fs::last_write_time(target), before);
  EXPECT_EQ(entryCount(dir.path()), 1u);
}

TEST(AtomicFileCancel, WriteWithoutStopRequestCompletes) {
  test::TempDir dir;
  const auto target = dir / "day.h5";
  std::stop_source stop;  // never requested: the same writer path must finish normally
  JobControl control;
  control.stop = stop.get_token();
  writeAtomically(target, [&](const fs::path& temp) {
    std::ofstream(temp, std::ios::binary) << "complete";
    control.throwIfCancelled();
  });
  EXPECT_EQ(readAll(target), "complete");
  EXPECT_EQ(entryCount(dir.path()), 1u);
}

}  // namespace
}  // namespace imuwb
