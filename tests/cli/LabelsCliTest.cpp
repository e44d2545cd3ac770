// imuwb labels export|import|diff|history|restore|embed end to end: the CSV round trip is exact
// and import writes only the side-car; diff --json agrees with the numpy peer; history lists the
// versions; a window holding the labels open detects the CLI's save; embed writes a new file.
#include <fstream>

#include "CliFixture.hpp"
#include "common/Error.hpp"
#include "labels/LabelSetCsv.hpp"
#include "labels/LabelStore.hpp"

namespace imuwb::test {
namespace {

class LabelsCli : public CliFixture {
 protected:
  void SetUp() override {
    const auto made = imuwb("generate --duration 120s --seed 5 --out " + path("S.h5"));
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }
  std::string sha(const std::string& name) {
    return python(
               "import hashlib,sys; "
               "print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
               {(dir / name).string()})
        .output;
  }
};

TEST_F(LabelsCli, ExportImportRoundTripIsExactAndLeavesTheSessionAlone) {
  const std::string before = sha("S.h5");
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("a.csv")).exitCode, 0);
  LabelSet edited = readLabelSetCsv(dir / "a.csv");
  ASSERT_GT(edited.intervals.size(), 3u);
  edited.intervals[1].note = "ambiguous, \"maybe\" trot";
  edited.intervals[2].end_s += 1.0 / 3.0;
  edited.intervals[3].start_s += 1.0 / 3.0;
  writeLabelSetCsv(edited, dir / "edited.csv");
  const auto imported = imuwb("labels import " + path("S.h5") + " " + path("edited.csv") +
                              " --author ana --note review --json");
  ASSERT_EQ(imported.exitCode, 0) << imported.errors;
  EXPECT_EQ(nlohmann::json::parse(imported.output)["revision"], 1);
  EXPECT_EQ(sha("S.h5"), before);  // import never writes the .h5
  EXPECT_TRUE(std::filesystem::exists(dir / "S.labels.json"));
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("b.csv")).exitCode, 0);
  std::ifstream a(dir / "edited.csv"), b(dir / "b.csv");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}),
            std::string(std::istreambuf_iterator<char>(b), {}));
  EXPECT_EQ(readLabelSetCsv(dir / "b.csv"), edited);
  // The old version is still there.
  ASSERT_EQ(imuwb("labels export --revision 0 " + path("S.h5") + " " + path("c.csv")).exitCode, 0);
  std::ifstream first(dir / "a.csv"), old(dir / "c.csv");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(first), {}),
            std::string(std::istreambuf_iterator<char>(old), {}));
}

TEST_F(LabelsCli, HistoryListsVersionsAndRestoreUndoesASave) {
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("a.csv")).exitCode, 0);
  LabelSet set = readLabelSetCsv(dir / "a.csv");
  set.intervals.pop_back();
  writeLabelSetCsv(set, dir / "short.csv");
  ASSERT_EQ(imuwb("labels import " + path("S.h5") + " " + path("short.csv") +
                  " --author bo --note shorter")
                .exitCode,
            0);
  const auto history = imuwb("labels history " + path("S.h5") + " --json");
  ASSERT_EQ(history.exitCode, 0) << history.errors;
  const auto versions = nlohmann::json::parse(history.output);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0]["revision"], 1);
  EXPECT_EQ(versions[0]["author"], "bo");
  EXPECT_EQ(versions[0]["note"], "shorter");
  EXPECT_EQ(versions[1]["revision"], 0);
  const auto text = imuwb("labels history " + path("S.h5"));
  EXPECT_NE(text.output.find("shorter"), std::string::npos) << text.output;
  ASSERT_EQ(imuwb("labels restore " + path("S.h5") + " 0").exitCode, 0);
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("r.csv")).exitCode, 0);
  EXPECT_EQ(readLabelSetCsv(dir / "r.csv"), readLabelSetCsv(dir / "a.csv"));
}

TEST_F(LabelsCli, AnOpenWindowDetectsTheCliSave) {
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("a.csv")).exitCode, 0);
  const auto embedded = readLabelSetCsv(dir / "a.csv");
  auto window = LabelStore::open(dir / "S.h5", embedded);  // as the GUI holds it
  LabelSet theirs = embedded;
  theirs.intervals.resize(2);
  writeLabelSetCsv(theirs, dir / "theirs.csv");
  ASSERT_EQ(imuwb("labels import " + path("S.h5") + " " + path("theirs.csv")).exitCode, 0);
  EXPECT_TRUE(window.changedOnDisk());
  EXPECT_THROW(window.save(embedded, {"gui", "mine"}), Error);
  EXPECT_EQ(LabelStore::open(dir / "S.h5", embedded).current().labels, theirs);
  // Forced, the window's labels win and the CLI's stay in the history.
  window.save(embedded, {"gui", "mine", true});
  const auto history = nlohmann::json::parse(imuwb("labels history --json " + path("S.h5")).output);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1]["intervals"], 2);
}

TEST_F(LabelsCli, DiffMatchesTheNumpyPeer) {
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("a.csv")).exitCode, 0);
  LabelSet b = readLabelSetCsv(dir / "a.csv");
  for (std::size_t i = 0; i + 1 < b.intervals.size(); i += 2) {  // shift every other boundary
    b.intervals[i].end_s += 0.73;
    b.intervals[i + 1].start_s += 0.73;
  }
  b.intervals[0].label = b.intervals[1].label;
  writeLabelSetCsv(b, dir / "b.csv");
  const auto diff = imuwb("labels diff " + path("S.h5") + " " + path("b.csv") + " --json");
  ASSERT_EQ(diff.exitCode, 0) << diff.errors;
  const auto ours = nlohmann::json::parse(diff.output);
  EXPECT_EQ(ours["grid_hz"], 100.0);
  nlohmann::json spec{
      {"rate", 100.0}, {"a", nlohmann::json::array()}, {"b", nlohmann::json::array()}};
  for (const auto& i : readLabelSetCsv(dir / "a.csv").intervals)
    spec["a"].push_back({i.start_s, i.end_s, i.label});
  for (const auto& i : b.intervals) spec["b"].push_back({i.start_s, i.end_s, i.label});
  std::ofstream(dir / "spec.json") << spec.dump();
  const auto peer =
      runCommand(shellQuote(pythonPath()) + " " +
                 shellQuote((sourceDir() / "tests/peers/labels_agreement_peer.py").string()) + " " +
                 path("spec.json") + " " + path("peer.json"));
  ASSERT_EQ(peer.exitCode, 0) << peer.errors;
  const auto theirs = json("peer.json");
  EXPECT_NEAR(ours["agreement"].get<double>(), theirs["agreement"].get<double>(), 1e-12);
  EXPECT_NEAR(ours["kappa"].get<double>(), theirs["kappa"].get<double>(), 1e-12);
  EXPECT_NEAR(ours["overlap_ratio"].get<double>(), theirs["overlap_ratio"].get<double>(), 1e-12);
  EXPECT_NEAR(ours["boundaries_a_to_b"]["mean_s"].get<double>(), theirs["a_to_b"][1].get<double>(),
              1e-12);
  EXPECT_NEAR(ours["boundaries_b_to_a"]["p90_s"].get<double>(), theirs["b_to_a"][3].get<double>(),
              1e-12);
  for (const auto& c : ours["classes"]) {
    const auto name = c["class"].get<std::string>();
    if (!theirs["classes"].contains(name)) {  // in the class list, in no interval
      EXPECT_EQ(c["a_points"].get<int>() + c["b_points"].get<int>(), 0) << name;
      continue;
    }
    EXPECT_NEAR(c["agreement"].get<double>(), theirs["classes"][name][3].get<double>(), 1e-12)
        << name;
  }
  EXPECT_LT(ours["kappa"].get<double>(), 1.0);
  const auto text = imuwb("labels diff " + path("S.h5") + " " + path("b.csv"));
  EXPECT_NE(text.output.find("kappa"), std::string::npos);
}

TEST_F(LabelsCli, EmbedWritesANewSessionWithTheSideCarLabels) {
  const std::string before = sha("S.h5");
  ASSERT_EQ(imuwb("labels export " + path("S.h5") + " " + path("a.csv")).exitCode, 0);
  LabelSet set = readLabelSetCsv(dir / "a.csv");
  set.intervals[0].note = "embedded note";
  writeLabelSetCsv(set, dir / "n.csv");
  ASSERT_EQ(imuwb("labels import " + path("S.h5") + " " + path("n.csv")).exitCode, 0);
  const auto embed = imuwb("labels embed " + path("S.h5") + " --out " + path("E.h5"));
  ASSERT_EQ(embed.exitCode, 0) << embed.errors;
  EXPECT_EQ(sha("S.h5"), before);
  ASSERT_EQ(imuwb("labels export " + path("E.h5") + " " + path("e.csv")).exitCode, 0);
  EXPECT_EQ(readLabelSetCsv(dir / "e.csv"), set);
  const auto refused =
      imuwb("labels embed " + path("S.h5") + " --out " + path("S.h5") + " --force");
  EXPECT_NE(refused.exitCode, 0);
  EXPECT_EQ(sha("S.h5"), before);
}

}  // namespace
}  // namespace imuwb::test
