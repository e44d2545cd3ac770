// The side-car labels store: save and reload, bounded history with author/time/note, restore
// after a "restart", concurrent-writer detection (refuse, force keeps theirs), the journal.
#include <gtest/gtest.h>

#include <fstream>

#include "common/Error.hpp"
#include "labels/LabelJournal.hpp"
#include "labels/LabelStore.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

LabelSet labelsWith(int n, const std::string& note = {}) {
  LabelSet set{{"rest", "walk"}, {}};
  for (int i = 0; i < n; ++i)
    set.intervals.push_back({i * 1.5, i * 1.5 + 1.25, i % 2 ? "walk" : "rest", note});
  return set;
}

class LabelStoreTest : public ::testing::Test {
 protected:
  test::TempDir dir;
  std::filesystem::path session = dir / "S.h5";
  LabelSet embedded = labelsWith(3);
};

TEST_F(LabelStoreTest, WithoutSideCarTheEmbeddedLabelsAreRevisionZero) {
  const auto store = LabelStore::open(session, embedded);
  EXPECT_FALSE(store.hasSidecar());
  EXPECT_EQ(store.current().revision, 0);
  EXPECT_EQ(store.current().labels, embedded);
  EXPECT_EQ(store.sidecarPath(), dir / "S.labels.json");
}

TEST_F(LabelStoreTest, SaveWritesTheSideCarAndKeepsThePreviousVersion) {
  auto store = LabelStore::open(session, embedded);
  const auto edited = labelsWith(5, "ambiguous, \"quoted\"\nnote");
  store.save(edited, {"ana", "first review"});
  EXPECT_FALSE(std::filesystem::exists(session));             // the session file is never touched
  const auto reopened = LabelStore::open(session, embedded);  // a restart
  EXPECT_TRUE(reopened.hasSidecar());
  EXPECT_EQ(reopened.current().revision, 1);
  EXPECT_EQ(reopened.current().author, "ana");
  EXPECT_EQ(reopened.current().note, "first review");
  EXPECT_EQ(reopened.current().time.size(), 20u);
  EXPECT_EQ(reopened.current().labels, edited);
  ASSERT_EQ(reopened.document().history.size(), 1u);
  EXPECT_EQ(reopened.document().history[0].labels, embedded);
}

TEST_F(LabelStoreTest, HistoryIsBoundedNewestFirst) {
  auto store = LabelStore::open(session, embedded);
  for (int i = 1; i <= 8; ++i)
    store.save(labelsWith(i), {"bo", "save " + std::to_string(i), false, 5});
  const auto reopened = LabelStore::open(session, embedded);
  EXPECT_EQ(reopened.current().revision, 8);
  ASSERT_EQ(reopened.document().history.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(reopened.document().history[i].revision, 7 - i);
}

TEST_F(LabelStoreTest, ASaveCanBeUndoneAfterARestart) {
  {
    auto store = LabelStore::open(session, embedded);
    store.save(labelsWith(4), {"ana", "good"});
    store.save(labelsWith(9), {"ana", "oops"});
  }
  auto store = LabelStore::open(session, embedded);
  const auto& restored = store.restore(1, {"ana", ""});
  EXPECT_EQ(restored.revision, 3);
  EXPECT_EQ(restored.note, "restored revision 1");
  EXPECT_EQ(LabelStore::open(session, embedded).current().labels, labelsWith(4));
  EXPECT_THROW(store.restore(42, {}), Error);
}

TEST_F(LabelStoreTest, ASecondWriterIsDetectedAndNeverSilentlyOverwritten) {
  auto window1 = LabelStore::open(session, embedded);
  auto window2 = LabelStore::open(session, embedded);
  window1.save(labelsWith(4), {"ana", "window 1"});
  EXPECT_TRUE(window2.changedOnDisk());
  try {
    window2.save(labelsWith(6), {"bo", "window 2"});
    FAIL() << "a save over another writer's save was not refused";
  } catch (const Error& error) {
    EXPECT_EQ(error.where(), (dir / "S.labels.json").string());
    EXPECT_NE(error.problem().find("changed on disk"), std::string::npos) << error.problem();
    EXPECT_NE(error.problem().find("revision 1 by ana"), std::string::npos) << error.problem();
    EXPECT_FALSE(error.fix().empty());
  }
  EXPECT_EQ(LabelStore::open(session, embedded).current().labels, labelsWith(4));
  // Forced: window 2's labels win, window 1's stay in the history.
  window2.save(labelsWith(6), {"bo", "window 2", true});
  const auto reopened = LabelStore::open(session, embedded);
  EXPECT_EQ(reopened.current().revision, 2);
  EXPECT_EQ(reopened.current().labels, labelsWith(6));
  ASSERT_GE(reopened.document().history.size(), 2u);
  EXPECT_EQ(reopened.document().history[0].labels, labelsWith(4));
  EXPECT_EQ(reopened.document().history[1].labels, embedded);
}

TEST_F(LabelStoreTest, ATouchedButUnchangedFileIsNotAConflict) {
  auto store = LabelStore::open(session, embedded);
  store.save(labelsWith(4), {"ana", ""});
  std::filesystem::copy_file(store.sidecarPath(), dir / "copy.json");
  std::filesystem::remove(store.sidecarPath());
  std::filesystem::copy_file(dir / "copy.json", store.sidecarPath());  // new inode, same labels
  EXPECT_NO_THROW(store.save(labelsWith(5), {"ana", ""}));
}

TEST_F(LabelStoreTest, AReloadAdoptsTheOtherWritersLabels) {
  auto window1 = LabelStore::open(session, embedded);
  auto window2 = LabelStore::open(session, embedded);
  window1.save(labelsWith(4), {"ana", ""});
  window2.reload();
  EXPECT_EQ(window2.current().labels, labelsWith(4));
  EXPECT_NO_THROW(window2.save(labelsWith(7), {"bo", ""}));
}

TEST_F(LabelStoreTest, ABrokenSideCarIsAnErrorNotIgnored) {
  std::ofstream(dir / "S.labels.json")
      << "{\"format\": \"imuwb-labels\", \"format_version\": 1, \"current\": {";
  EXPECT_THROW(LabelStore::open(session, embedded), Error);
  std::ofstream(dir / "S.labels.json")
      << R"({"format": "imuwb-labels", "format_version": 1, "current": {"revision": 1, "classes": ["a"], "intervals": [[0, 1, 3, ""]]}})";
  try {
    LabelStore::open(session, embedded);
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(error.where().find("intervals[0]"), std::string::npos) << error.where();
  }
}

TEST_F(LabelStoreTest, TheJournalHoldsUnsavedEditsUntilASave) {
  auto store = LabelStore::open(session, embedded);
  EXPECT_FALSE(readLabelJournal(session));
  writeLabelJournal(session, {0, "", "ana", labelsWith(6, "unsaved")});
  const auto recovered = readLabelJournal(session);
  ASSERT_TRUE(recovered);
  EXPECT_EQ(recovered->baseRevision, 0);
  EXPECT_EQ(recovered->author, "ana");
  EXPECT_EQ(recovered->labels, labelsWith(6, "unsaved"));
  store.save(recovered->labels, {"ana", "recovered"});
  EXPECT_FALSE(readLabelJournal(session));
  EXPECT_FALSE(std::filesystem::exists(labelJournalPath(session)));
}

TEST_F(LabelStoreTest, ASaveThatKeepsTheJournalLeavesItForTheEditor) {
  // The CLI saving while a workbench has unsaved (journalled) edits: the journal stays, with
  // the revision it was based on, so the workbench can offer it and see the conflict.
  auto store = LabelStore::open(session, embedded);
  writeLabelJournal(session, {0, "", "ana", labelsWith(6, "unsaved")});
  LabelSaveOptions options{"cli", "import"};
  options.keepJournal = true;
  store.save(labelsWith(2), options);
  const auto journal = readLabelJournal(session);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->baseRevision, 0);
  EXPECT_EQ(journal->labels, labelsWith(6, "unsaved"));
  EXPECT_EQ(store.current().revision, 1);
}

TEST_F(LabelStoreTest, TimesRoundTripExactly) {
  LabelSet set{{"x"}, {}};
  double t = 0.1;
  for (int i = 0; i < 200; ++i, t += 1.0 / 3.0 + 1e-9 * i)
    set.intervals.push_back({t, t + 0.1 / 7, "x", ""});
  auto store = LabelStore::open(session, embedded);
  store.save(set, {});
  EXPECT_EQ(LabelStore::open(session, embedded).current().labels, set);
}

}  // namespace
}  // namespace imuwb
