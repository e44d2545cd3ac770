// Labels in and beside a session file: the reader takes the side-car's labels when there is one;
// "embed" writes a new session file (the original untouched, byte for byte) that plain h5py
// reads with the same labels and notes; and a kill at any point of an embed leaves the output
// readable by imuwb and h5py, holding the old labels or the new ones.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "SessionTestData.hpp"
#include "common/Error.hpp"
#include "common/Sha256.hpp"
#include "labels/LabelStore.hpp"
#include "session/EmbedLabels.hpp"
#include "session/SessionIo.hpp"
#include "session/SessionReader.hpp"
#include "support/TestEnvironment.hpp"
#include "support/labels/KillTestLabels.hpp"
#include "support/labels/KillableWriter.hpp"

namespace imuwb {
namespace {

nlohmann::json h5pyLabels(const std::vector<std::filesystem::path>& files) {
  std::string line =
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/h5py_read_labels.py").string());
  for (const auto& file : files) line += " " + test::shellQuote(file.string());
  const auto run = test::runCommand(line);
  EXPECT_EQ(run.exitCode, 0) << run.errors;
  return nlohmann::json::parse(run.output);
}

LabelSet fromJson(const nlohmann::json& seen) {
  LabelSet set{seen["classes"].get<std::vector<std::string>>(), {}};
  for (const auto& row : seen["intervals"])
    set.intervals.push_back({row[0].get<double>(), row[1].get<double>(), row[2].get<std::string>(),
                             row[3].get<std::string>()});
  return set;
}

class EmbedLabelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test::havePythonPeers()) << "needs /usr/bin/python3 with h5py";
    saveSession(test::restingSession(3000), session);
  }
  test::TempDir dir;
  std::filesystem::path session = dir / "S.h5";
};

TEST_F(EmbedLabelsTest, TheReaderTakesTheSideCarLabels) {
  const auto embedded = SessionReader::open(session).header().embeddedLabels;
  EXPECT_EQ(embedded.intervals.size(), 2u);
  auto store = LabelStore::open(session, embedded);
  const LabelSet edited{{"stand", "sit", "lie"}, {{0, 5, "lie", "asleep?"}, {5, 30, "sit", ""}}};
  store.save(edited, {"ana", "review"});
  const auto reader = SessionReader::open(session);
  EXPECT_EQ(reader.header().labelsFile, dir / "S.labels.json");
  EXPECT_EQ(reader.header().labelsRevision, 1);
  EXPECT_EQ((LabelSet{reader.header().classes, reader.header().labels}), edited);
  EXPECT_EQ(reader.header().embeddedLabels, embedded);
  EXPECT_EQ(loadSession(session).labels, edited.intervals);
}

TEST_F(EmbedLabelsTest, EmbedWritesANewFileAndNeverTheOriginal) {
  const std::string before = sha256File(session);
  const LabelSet labels{
      {"stand", "sit", "lie"},
      {{0, 5.25, "lie", "asleep, maybe"}, {5.25, 12.5, "sit", ""}, {12.5, 30, "stand", "\"up\""}}};
  embedLabels(session, labels, dir / "S2.h5", false);
  EXPECT_EQ(sha256File(session), before);
  EXPECT_EQ(SessionReader::open(dir / "S2.h5").header().embeddedLabels, labels);
  EXPECT_EQ(fromJson(h5pyLabels({dir / "S2.h5"})[(dir / "S2.h5").string()]), labels);
  EXPECT_THROW(embedLabels(session, labels, session, true), Error);         // never in place
  EXPECT_THROW(embedLabels(session, labels, dir / "S2.h5", false), Error);  // exists, no force
  std::filesystem::create_hard_link(session, dir / "link.h5");
  EXPECT_THROW(embedLabels(session, labels, dir / "link.h5", true), Error);
  EXPECT_EQ(sha256File(session), before);
}

TEST_F(EmbedLabelsTest, AKillDuringEmbedLeavesOldOrNewLabels) {
  constexpr int kIntervals = 20000;
  const LabelSet a = test::killTestLabels(kIntervals, 0), b = test::killTestLabels(kIntervals, 1);
  const std::string before = sha256File(session);
  const auto output = dir / "embedded.h5";
  std::vector<std::filesystem::path> copies;
  std::vector<int> expected;  // 0: a, 1: b
  for (int kill = 0; kill < 20; ++kill) {
    SCOPED_TRACE("kill " + std::to_string(kill));
    const auto delay = std::chrono::microseconds((kill * 7919) % 60000);
    ASSERT_TRUE(test::runAndKill(
        {"embed", session.string(), output.string(), std::to_string(kIntervals)}, delay));
    const auto labels = SessionReader::open(output).header().embeddedLabels;
    ASSERT_TRUE(labels == a || labels == b);
    copies.push_back(dir / ("copy" + std::to_string(kill) + ".h5"));
    std::filesystem::copy_file(output, copies.back());
    expected.push_back(labels == a ? 0 : 1);
  }
  EXPECT_EQ(sha256File(session), before);
  const auto seen = h5pyLabels(copies);
  for (std::size_t i = 0; i < copies.size(); ++i)
    EXPECT_EQ(fromJson(seen[copies[i].string()]), expected[i] ? b : a) << copies[i];
}

}  // namespace
}  // namespace imuwb
