// Two `imuwb run` at once writing the same --csv: each writes its own uniquely named temporary
// file and renames it into place, so both succeed (or one fails cleanly) and the CSV is always
// one whole, valid file: no NUL bytes, every row as wide as the header, no temporary left.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "support/ChildProcess.hpp"
#include "support/FolderEntries.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::size_t commas(const std::string& line) {
  std::size_t count = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) ++count;
  }
  return count;
}

TEST(ConcurrentOutputCli, TwoRunsOnOneCsvLeaveOneValidCsv) {
  test::TempDir dir;
  const auto model = test::sourceDir() / "samples/models/dog_behavior_conv2d";
  const auto session = test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5";
  const auto csv = dir / "same.csv";
  auto start = [&](const std::string& out) {
    return std::make_unique<test::ChildProcess>(
        test::cliPath(),
        std::vector<std::string>{"run", "--model", model.string(), "--session", session.string(),
                                 "--max-windows", "600", "--force", "--out", (dir / out).string(),
                                 "--csv", csv.string()});
  };
  auto first = start("a.h5");
  auto second = start("b.h5");
  int succeeded = 0;
  for (auto* child : {first.get(), second.get()}) {
    const auto status = child->waitForExit(300s);
    ASSERT_TRUE(status) << "a run did not finish";
    ASSERT_TRUE(WIFEXITED(*status)) << "crashed: " << child->errors();
    const int code = WEXITSTATUS(*status);
    EXPECT_TRUE(code == 0 || code == 2) << "exit " << code << ": " << child->errors();
    if (code == 0) ++succeeded;
    if (code == 2) {
      EXPECT_NE(child->errors().find("error: "), std::string::npos) << child->errors();
    }
  }
  ASSERT_GE(succeeded, 1);

  std::ifstream in(csv, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(text.find('\0'), std::string::npos) << "NUL bytes in the CSV";
  std::istringstream lines(text);
  std::string header, line;
  ASSERT_TRUE(std::getline(lines, header));
  std::size_t rows = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(commas(line), commas(header)) << "row " << rows << ": " << line.substr(0, 80);
    ++rows;
  }
  EXPECT_EQ(rows, 600u);
  EXPECT_FALSE(text.empty() || text.back() != '\n') << "the CSV does not end with a whole row";
  const auto names = test::folderEntries(dir.path());
  std::set<std::string> expected{"same.csv"};
  for (const auto* out : {"a.h5", "b.h5"})
    if (fs::exists(dir / out)) expected.insert(out);
  EXPECT_EQ(names, expected) << "temporary files left behind";
}

}  // namespace
}  // namespace imuwb
