// Temporary files of atomic saves (common/AtomicFile.hpp): unique per process and per call,
// created exclusively, registered for the second-Ctrl-C exit path, never left behind on a
// failure, disk full and I/O errors named as such, and stale ones of dead processes swept.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "common/LiveTemporaries.hpp"
#include "support/FolderEntries.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;

using test::folderEntries;

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The pid of a process that has ended and been reaped (so kill(pid, 0) fails with ESRCH).
pid_t deadPid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status = 0;
  ::waitpid(child, &status, 0);
  return child;
}

TEST(TemporaryFile, NamesAreUniquePerCallAndCreatedBesideTheTarget) {
  test::TempDir dir;
  const auto target = dir / "same.csv";
  TemporaryFile first(target), second(target);
  EXPECT_NE(first.path(), second.path());
  EXPECT_EQ(first.path().parent_path(), dir.path());
  const std::string prefix = ".same.csv.tmp-" + std::to_string(::getpid()) + "-";
  EXPECT_EQ(first.path().filename().string().rfind(prefix, 0), 0u) << first.path();
  EXPECT_TRUE(fs::is_regular_file(first.path()));
  EXPECT_TRUE(fs::is_regular_file(second.path()));
  EXPECT_FALSE(fs::exists(target));
}

TEST(TemporaryFile, SkipsANameThatAlreadyExists) {
  test::TempDir dir;
  const auto target = dir / "x.h5";
  fs::path next;
  {
    TemporaryFile probe(target);
    next = probe.path();
  }
  // Occupy the next names this process would take: creation is exclusive, so it moves on.
  const auto base = next.string().substr(0, next.string().rfind('-') + 1);
  const auto counter = std::stoul(next.string().substr(next.string().rfind('-') + 1));
  for (unsigned long n = counter + 1; n < counter + 4; ++n)
    std::ofstream(base + std::to_string(n)) << "someone else's";
  TemporaryFile temp(target);
  EXPECT_EQ(readAll(temp.path()), "");
  for (unsigned long n = counter + 1; n < counter + 4; ++n)
    EXPECT_EQ(readAll(base + std::to_string(n)), "someone else's");
}

TEST(TemporaryFile, RemovedUnlessCommittedAndRegisteredWhileAlive) {
  test::TempDir dir;
  const int before = liveTemporaryCount();
  fs::path path;
  {
    TemporaryFile temp(dir / "a.json");
    path = temp.path();
    EXPECT_EQ(liveTemporaryCount(), before + 1);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(liveTemporaryCount(), before);
  {
    TemporaryFile temp(dir / "a.json");
    std::ofstream(temp.path()) << "done";
    temp.commit();
    EXPECT_EQ(liveTemporaryCount(), before);
  }
  EXPECT_EQ(folderEntries(dir.path()), std::set<std::string>{"a.json"});
  EXPECT_EQ(readAll(dir / "a.json"), "done");
}

TEST(TemporaryFile, MissingFolderIsAClearError) {
  test::TempDir dir;
  try {
    TemporaryFile temp(dir / "nope" / "a.h5");
    FAIL() << "created a file in a missing folder";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), (dir / "nope" / "a.h5").string());
    EXPECT_NE(error.problem().find("does not exist"), std::string::npos) << error.problem();
  }
}

TEST(LiveTemporaries, UnlinkRemovesEveryRegisteredFile) {
  test::TempDir dir;
  TemporaryFile a(dir / "a.h5"), b(dir / "b.csv");
  std::ofstream(a.path()) << "half";
  EXPECT_EQ(unlinkLiveTemporaries(), 2);
  EXPECT_TRUE(folderEntries(dir.path()).empty());
}

TEST(WriteAtomically, DiskFullWhileWritingIsNamedAndLeavesNothing) {
  test::TempDir dir;
  std::ofstream(dir / "report.json") << "previous";
  try {
    writeAtomically(dir / "report.json", [](const fs::path& temp) {
      std::ofstream(temp) << "partial";
      errno = ENOSPC;  // what a failed write(2) leaves behind
      throw Error(temp.string(), "could not be written");
    });
    FAIL() << "the failed write was not reported";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), (dir / "report.json").string());
    EXPECT_NE(error.problem().find("disk full"), std::string::npos) << error.problem();
    EXPECT_NE(error.fix().find(dir.path().string()), std::string::npos) << error.fix();
  }
  EXPECT_EQ(folderEntries(dir.path()), std::set<std::string>{"report.json"});
  EXPECT_EQ(readAll(dir / "report.json"), "previous");
}

TEST(WriteAtomically, OtherFailuresKeepTheirOwnMessage) {
  test::TempDir dir;
  try {
    writeAtomically(dir / "r.json", [](const fs::path&) {
      errno = 0;
      throw Error("r.json", "the report has no outputs");
    });
    FAIL() << "the writer's error was swallowed";
  } catch (const Error& error) {
    EXPECT_EQ(error.problem(), "the report has no outputs");
  }
  EXPECT_TRUE(folderEntries(dir.path()).empty());
}

// /dev/full accepts the open and fails every write with ENOSPC: a few bytes sit in the stream's
// buffer, so the stream looks fine until the close flushes them.
TEST(CloseWrittenStream, AFailureWhileTheLastBufferIsFlushedIsNamedDiskFull) {
  ASSERT_TRUE(fs::exists("/dev/full")) << "the test needs /dev/full";
  std::ofstream out("/dev/full");
  out << "{\"small\": true}\n";
  ASSERT_TRUE(out) << "the bytes were expected to wait in the buffer";
  try {
    closeWrittenStream(out, "/reports/r.json", "the report");
    FAIL() << "the failed close was not reported";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), "/reports/r.json");
    EXPECT_NE(error.problem().find("disk full"), std::string::npos) << error.problem();
  }
}

TEST(CloseWrittenStream, AStreamThatFailedBeforeTheCloseIsReportedToo) {
  test::TempDir dir;
  std::ofstream out(dir / "x.txt");
  out.setstate(std::ios::badbit);  // a write that failed earlier, with no errno to tell why
  errno = 0;
  try {
    closeWrittenStream(out, dir / "x.txt", "the label file");
    FAIL() << "the failed stream was not reported";
  } catch (const Error& error) {
    EXPECT_NE(error.problem().find("could not write the label file"), std::string::npos)
        << error.problem();
  }
}

TEST(WriteTextAtomically, WritesTheTextAndLeavesOnlyTheTarget) {
  test::TempDir dir;
  std::ofstream(dir / "r.xml") << "previous";
  writeTextAtomically(dir / "r.xml", "<testsuites/>\n", "the report");
  EXPECT_EQ(readAll(dir / "r.xml"), "<testsuites/>\n");
  EXPECT_EQ(folderEntries(dir.path()), std::set<std::string>{"r.xml"});
}

TEST(StorageFailure, NamesDiskFullAndIoErrorsOnly) {
  const auto full = storageFailure("/data/o.h5", ENOSPC);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->where(), "/data/o.h5");
  EXPECT_NE(full->problem().find("disk full"), std::string::npos);
  EXPECT_NE(full->fix().find("/data"), std::string::npos) << full->fix();
  ASSERT_TRUE(storageFailure("o.h5", EDQUOT));
  const auto io = storageFailure("o.h5", EIO);
  ASSERT_TRUE(io);
  EXPECT_NE(io->problem().find("I/O error"), std::string::npos);
  // HDF5 puts strerror text into its message; that counts as well.
  const auto fromText = storageFailure(
      "o.h5", 0, "file write failed: errno = 28, error message = 'No space left on device'");
  ASSERT_TRUE(fromText);
  EXPECT_NE(fromText->problem().find("disk full"), std::string::npos);
  EXPECT_FALSE(storageFailure("o.h5", EACCES));
  EXPECT_FALSE(storageFailure("o.h5", 0, "not a session file"));
}

TEST(StaleTemporaries, OnesOfDeadProcessesAreRemovedOnTheNextWrite) {
  test::TempDir dir;
  const pid_t dead = deadPid();
  const std::string stale = ".out.h5.tmp-" + std::to_string(dead) + "-0";
  const std::string liveOther = ".out.h5.tmp-1-0";  // pid 1 always runs
  const std::string mine = ".x.csv.tmp-" + std::to_string(::getpid()) + "-99";
  const std::string userFile = ".notes.tmp-backup";
  for (const auto& name : {stale, liveOther, mine, userFile}) std::ofstream(dir / name) << "x";
  writeAtomically(dir / "report.json", [](const fs::path& temp) { std::ofstream(temp) << "{}"; });
  const auto left = folderEntries(dir.path());
  EXPECT_EQ(left.count(stale), 0u) << "a dead process's temporary file stayed";
  EXPECT_EQ(left.count(liveOther), 1u);
  EXPECT_EQ(left.count(mine), 1u);
  EXPECT_EQ(left.count(userFile), 1u);
  EXPECT_EQ(left.count("report.json"), 1u);
}

TEST(StaleTemporaries, CountsWhatItRemoved) {
  test::TempDir dir;
  const pid_t dead = deadPid();
  std::ofstream(dir / (".a.h5.tmp-" + std::to_string(dead) + "-3")) << "x";
  std::ofstream(dir / (".b.csv.tmp-" + std::to_string(dead) + "-4")) << "x";
  EXPECT_EQ(removeStaleTemporaries(dir.path()), 2);
  EXPECT_TRUE(folderEntries(dir.path()).empty());
  EXPECT_EQ(removeStaleTemporaries(dir.path()), 0);
}

}  // namespace
}  // namespace imuwb
