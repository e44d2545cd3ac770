// Sharded batches end to end (docs/scale.md): the same parity and evaluation over 24 generated
// sessions, once as the ordinary unsharded command and once as 5 shard processes run side by
// side plus `imuwb report merge`. The merged figures equal the unsharded report's: exactly for
// counts, confusion matrices and maxima, to 1e-12 relative for every other number, evaluate's
// fitted temperature, ECE after it and conformal sets included (merged from the recordings' fit
// data files), and the threshold checks on them. Then a shard is killed midway (SIGKILL after
// its first result), re-run with --resume (it skips what is done) and merged again: the same
// report. A damaged fit file fails its recording until --resume redoes it. A damaged session
// becomes a failure record, the shard goes on, and the merge lists it (exit 1 unless
// --allow-partial).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include "cli/CliFixture.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

using nlohmann::json;

constexpr int kSessions = 24;
constexpr int kShards = 5;

class ShardedBatchCli : public test::CliFixture {
 protected:
  void SetUp() override {
    for (int i = 0; i < kSessions; ++i) {
      const std::string folder = "in/site" + std::to_string(i % 3);
      std::filesystem::create_directories(dir / folder);
      const auto made = imuwb("generate --duration 1m --seed " + std::to_string(100 + i) +
                              " --devices collar,harness --out " +
                              path(folder + "/rec" + std::to_string(i) + ".h5"));
      ASSERT_EQ(made.exitCode, 0) << made.errors;
    }
    const auto calib = imuwb("calib-export --model " + model() + " --session " +
                             path("in/site0/rec0.h5") + " --windows 64 --out " + path("calib.npy"));
    ASSERT_EQ(calib.exitCode, 0) << calib.errors;
  }
  static std::string model() {
    return test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
  }
  std::string cli() { return test::shellQuote(test::cliPath().string()); }
  // The command line of one shard (without the leading binary).
  std::string shard(const std::string& command, const std::string& out, int index,
                    const std::string& extra = "") {
    return command + " --model " + model() + " --session " + path("in") + " --calib " +
           path("calib.npy") + " --out-dir " + path(out) + " --root " + path("in") + " --shard " +
           std::to_string(index) + "/" + std::to_string(kShards) + " " + extra;
  }
  // Every shard as its own process, all at once; each must exit 0.
  void runShards(const std::string& command, const std::string& out) {
    std::string script;
    for (int i = 0; i < kShards; ++i)
      script += cli() + " " + shard(command, out, i) + " > " +
                path(out + "-" + std::to_string(i) + ".log") + " 2>&1 & p" + std::to_string(i) +
                "=$!; ";
    for (int i = 0; i < kShards; ++i) script += "wait $p" + std::to_string(i) + " || exit 1; ";
    const auto ran = test::runCommand("sh -c " + test::shellQuote(script));
    ASSERT_EQ(ran.exitCode, 0) << ran.output << ran.errors;
  }
  // A copy of `out` whose shard 2 is run again and SIGKILLed after its first result, so its
  // other recordings are missing (the merge fails); then --resume completes it. Returns the merge.
  nlohmann::json killResumeAndMerge(const std::string& command, const std::string& kind,
                                    const std::string& out, const std::string& copy) {
    std::filesystem::copy(dir / out, dir / copy, std::filesystem::copy_options::recursive);
    std::size_t removed = 0;
    const auto plan = json(copy + "/_batch/plan.json");  // bound: the loop must not outlive it
    for (const auto& r : plan["recordings"])
      if (r["shard"] == 2) {
        const auto base = dir / copy / r["key"].get<std::string>();
        removed += std::filesystem::remove(base.string() + "." + kind + ".json");
        std::filesystem::remove(base.string() + ".evaluate.fit");
      }
    EXPECT_GE(removed, 2u) << "shard 2 needs two recordings to be killed midway";
    const std::string log = path(copy + "-kill.log");
    const std::string killed = cli() + " " + shard(command, copy, 2, "--progress-json") + " 2> " +
                               log + " & pid=$!; while ! grep -q '\"status\"' " + log +
                               " 2>/dev/null; do sleep 0.02; done; kill -9 $pid; wait $pid; exit 0";
    EXPECT_EQ(test::runCommand("sh -c " + test::shellQuote(killed)).exitCode, 0);
    const auto partial =
        imuwb("report merge " + path(copy) + " --report " + path(copy + "-p.json"));
    EXPECT_EQ(partial.exitCode, 1) << "missing recordings must fail the merge";
    EXPECT_FALSE(json(copy + "-p.json")["missing"].empty());
    const auto resumed = imuwb(shard(command, copy, 2, "--resume") + " --json");
    EXPECT_EQ(resumed.exitCode, 0) << resumed.errors;
    const auto summary = nlohmann::json::parse(resumed.output);
    EXPECT_GE(summary["skipped"].get<std::size_t>(), 1u) << "the recording done before the kill";
    EXPECT_EQ(summary["ok"].get<std::size_t>() + summary["skipped"].get<std::size_t>(), removed);
    return merge(copy, copy + "-m.json");
  }
  nlohmann::json merge(const std::string& out, const std::string& report) {
    const auto merged = imuwb("report merge " + path(out) + " --report " + path(report));
    EXPECT_EQ(merged.exitCode, 0) << merged.output << merged.errors;
    return json(report);
  }
};

void expectClose(const json& a, const json& b, const std::string& what) {
  if (a.is_null() || b.is_null()) {
    EXPECT_EQ(a, b) << what;
    return;
  }
  const double x = a.get<double>(), y = b.get<double>();
  EXPECT_LE(std::fabs(x - y), 1e-12 * std::max(std::fabs(x), 1e-300))
      << what << ": " << x << " vs " << y;
}

void expectParityEqual(const json& unsharded, const json& merged) {
  const auto& outputs = merged["metrics"]["outputs"];
  ASSERT_EQ(unsharded["outputs"].size(), outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& u = unsharded["outputs"][i];
    const auto& m = outputs[i];
    const std::string name = u["output"];
    EXPECT_EQ(u["output"], m["output"]);
    EXPECT_EQ(u["windows"], m["windows"]) << name;
    EXPECT_EQ(u["metrics"]["cosine_min"], m["metrics"]["cosine_min"]) << name;
    EXPECT_EQ(u["metrics"]["cosine_p5"], m["metrics"]["cosine_p5"]) << name;
    EXPECT_EQ(u["metrics"]["max_abs"], m["metrics"]["max_abs"]) << name;
    EXPECT_EQ(u["metrics"]["max_rel"], m["metrics"]["max_rel"]) << name;
    EXPECT_EQ(u["metrics"]["top1_agreement"], m["metrics"]["top1_agreement"]) << name;
    for (const char* key : {"cosine_mean", "snr_db", "mse"})
      expectClose(u["metrics"][key], m["metrics"][key], name + "." + key);
    if (u.contains("crossings")) {
      EXPECT_EQ(u["crossings"]["gained"], m["crossings"]["gained"]) << name;
      EXPECT_EQ(u["crossings"]["lost"], m["crossings"]["lost"]) << name;
    }
    EXPECT_EQ(u["passed"], m["passed"]) << name;
  }
}

void expectEvaluationEqual(const json& unsharded, const json& mergedReport) {
  const auto& merged = mergedReport["metrics"];
  for (const auto& [key, value] : merged["counts"].items())
    EXPECT_EQ(unsharded["counts"][key], value) << key;
  ASSERT_EQ(unsharded["sides"].size(), merged["sides"].size());
  for (std::size_t s = 0; s < merged["sides"].size(); ++s) {
    const auto& u = unsharded["sides"][s];
    const auto& m = merged["sides"][s];
    EXPECT_EQ(u["confusion"], m["confusion"]);
    EXPECT_EQ(u["mixed_label_windows"]["windows"], m["mixed_label_windows"]["windows"]);
    expectClose(u["mixed_label_windows"]["accuracy"], m["mixed_label_windows"]["accuracy"],
                "mixed accuracy");
    for (const char* key : {"accuracy", "balanced_accuracy", "macro_f1", "cohens_kappa"})
      expectClose(u["decisions"][key], m["decisions"][key], key);
    for (const char* split : {"all", "test_before", "test_after"}) {
      const auto& uc = u["calibration"][split];
      const auto& mc = m["calibration"][split];
      EXPECT_EQ(uc["windows"], mc["windows"]) << split;
      expectClose(uc["ece"], mc["ece"], std::string(split) + ".ece");
      for (std::size_t b = 0; b < uc["reliability"].size(); ++b) {
        EXPECT_EQ(uc["reliability"][b]["count"], mc["reliability"][b]["count"]);
        expectClose(uc["reliability"][b]["mean_confidence"],
                    mc["reliability"][b]["mean_confidence"], "bin confidence");
        expectClose(uc["reliability"][b]["accuracy"], mc["reliability"][b]["accuracy"],
                    "bin accuracy");
      }
    }
    expectClose(u["calibration"]["nll_test_before"], m["calibration"]["nll_test_before"], "nll");
    // Fitted over every calibration window at once, from the recordings' fit data.
    expectClose(u["calibration"]["nll_test_after"], m["calibration"]["nll_test_after"],
                "nll after");
    const auto& ut = u["calibration"]["temperature"];
    const auto& mt = m["calibration"]["temperature"];
    for (const char* key : {"value", "nll_calibration_before", "nll_calibration_after"})
      expectClose(ut[key], mt[key], std::string("temperature.") + key);
    EXPECT_EQ(ut["at_search_bound"], mt["at_search_bound"]);
    ASSERT_EQ(u["conformal"].size(), 2u);
    ASSERT_EQ(m["conformal"].size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
      const auto& uc = u["conformal"][i];
      const auto& mc = m["conformal"][i];
      for (const char* key : {"score", "calibration_windows", "test_windows", "rank", "empty_sets",
                              "set_size_counts"})
        EXPECT_EQ(uc[key], mc[key]) << key;
      for (const char* key : {"alpha", "threshold", "coverage", "average_set_size"})
        expectClose(uc[key], mc[key], std::string("conformal.") + key);
      for (std::size_t k = 0; k < uc["per_class"].size(); ++k) {
        EXPECT_EQ(uc["per_class"][k]["windows"], mc["per_class"][k]["windows"]);
        EXPECT_EQ(uc["per_class"][k]["covered"], mc["per_class"][k]["covered"]);
        expectClose(uc["per_class"][k]["average_set_size"], mc["per_class"][k]["average_set_size"],
                    "class set size");
      }
    }
  }
  // The thresholds, checked on the merged figures.
  ASSERT_EQ(unsharded["checks"].size(), merged["checks"].size());
  ASSERT_FALSE(merged["checks"].empty());
  for (std::size_t i = 0; i < merged["checks"].size(); ++i) {
    EXPECT_EQ(unsharded["checks"][i]["name"], merged["checks"][i]["name"]);
    EXPECT_EQ(unsharded["checks"][i]["passed"], merged["checks"][i]["passed"]);
    expectClose(unsharded["checks"][i]["value"], merged["checks"][i]["value"], "check value");
  }
  EXPECT_EQ(unsharded["comparison"]["windows"], merged["comparison"]["windows"]);
  EXPECT_EQ(unsharded["comparison"]["flips"], merged["comparison"]["flips"]);
}

TEST_F(ShardedBatchCli, ParityMergedFromFiveShardsEqualsTheUnshardedRun) {
  const auto classic = imuwb("parity --model " + model() + " --session " + path("in") +
                             " --calib " + path("calib.npy") + " --report " + path("u.json"));
  ASSERT_EQ(classic.exitCode, 0) << classic.output << classic.errors;
  runShards("parity", "out");
  const auto merged = merge("out", "m.json");
  EXPECT_EQ(merged["recordings"]["ok"], kSessions);
  EXPECT_TRUE(merged["complete"].get<bool>());
  expectParityEqual(json("u.json"), merged);

  // Kill shard 2 after its first recording, then --resume it: the same merged report.
  const auto again = killResumeAndMerge("parity", "parity", "out", "out2");
  EXPECT_EQ(again["metrics"], merged["metrics"]);
  EXPECT_EQ(again["recordings"], merged["recordings"]);
}

TEST_F(ShardedBatchCli, EvaluationMergedFromFiveShardsEqualsTheUnshardedRun) {
  const std::string options =
      " --compare-backend int8 --min-accuracy 0.01 --max-ece 0.99 --min-coverage 0.01";
  const auto classic = imuwb("evaluate --model " + model() + " --session " + path("in") + options +
                             " --calib " + path("calib.npy") + " --report " + path("u.json"));
  ASSERT_EQ(classic.exitCode, 0) << classic.output << classic.errors;
  runShards("evaluate" + options, "out");
  const auto merged = imuwb("report merge " + path("out") + " --report " + path("m.json") +
                            " --html " + path("m.html") + " --junit " + path("m.xml"));
  ASSERT_EQ(merged.exitCode, 0) << merged.output << merged.errors;
  const auto report = json("m.json");
  EXPECT_EQ(report["recordings"]["ok"], kSessions);
  expectEvaluationEqual(json("u.json"), report);
  // The merged HTML and JUnit show the fitted figures and the checks.
  std::ifstream html(dir / "m.html"), junit(dir / "m.xml");
  const std::string page((std::istreambuf_iterator<char>(html)), {});
  const std::string cases((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_NE(page.find(report["metrics"]["sides"][0]["calibration"]["temperature"]["value"].dump()),
            std::string::npos);
  EXPECT_NE(page.find("min_coverage.aps"), std::string::npos);
  EXPECT_NE(cases.find("name=\"cpu.min_coverage.lac\""), std::string::npos);

  // Kill shard 2 midway, --resume: the same merged report.
  const auto again = killResumeAndMerge("evaluate" + options, "evaluate", "out", "out2");
  EXPECT_EQ(again["metrics"], report["metrics"]);
  EXPECT_EQ(again["recordings"], report["recordings"]);

  // A damaged fit file fails its recording in the merge (naming the problem), and --resume
  // re-runs that recording only.
  const std::string key = json("out2/_batch/plan.json")["recordings"][0]["key"];
  const int owner = json("out2/_batch/plan.json")["recordings"][0]["shard"];
  const auto fit = dir / "out2" / (key + ".evaluate.fit");
  std::filesystem::resize_file(fit, std::filesystem::file_size(fit) / 2);
  const auto damaged = imuwb("report merge " + path("out2") + " --report " + path("d.json"));
  EXPECT_EQ(damaged.exitCode, 1);
  ASSERT_EQ(json("d.json")["failed"].size(), 1u);
  EXPECT_NE(json("d.json")["failed"][0]["problem"].get<std::string>().find("truncated"),
            std::string::npos);
  const auto redo = imuwb(shard("evaluate" + options, "out2", owner, "--resume") + " --json");
  ASSERT_EQ(redo.exitCode, 0) << redo.errors;
  EXPECT_EQ(nlohmann::json::parse(redo.output)["ok"], 1);
  EXPECT_EQ(merge("out2", "m3.json")["metrics"], report["metrics"]);
}

TEST_F(ShardedBatchCli, AddingRecordingsMovesNoneAndRunsOnlyTheNewOnes) {
  runShards("parity", "out");
  const auto before = json("out/_batch/plan.json");
  for (int i = 0; i < 2; ++i) {
    const auto made = imuwb("generate --duration 3m --seed " + std::to_string(900 + i) +
                            " --devices collar,harness --out " +
                            path("in/site1/new" + std::to_string(i) + ".h5"));
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }
  // All five shards again, side by side, each reading (and rewriting) the remembered plan.
  runShards("parity --resume --json", "out");
  const auto after = json("out/_batch/plan.json");
  ASSERT_EQ(after["recordings"].size(), kSessions + 2u);
  std::map<std::string, int> shardOf;
  for (const auto& r : after["recordings"]) shardOf[r["key"]] = r["shard"];
  for (const auto& r : before["recordings"])
    EXPECT_EQ(shardOf.at(r["key"]), r["shard"]) << r["key"] << " moved";
  std::size_t ran = 0, skipped = 0;
  for (int i = 0; i < kShards; ++i) {
    std::ifstream log(dir / ("out-" + std::to_string(i) + ".log"));
    const std::string text((std::istreambuf_iterator<char>(log)), {});
    std::istringstream summary(text.substr(text.find('{')));
    nlohmann::json line;
    summary >> line;
    ran += line["ok"].get<std::size_t>();
    skipped += line["skipped"].get<std::size_t>();
  }
  EXPECT_EQ(ran, 2u) << "only the two new recordings run";
  EXPECT_EQ(skipped, std::size_t(kSessions));
  EXPECT_EQ(merge("out", "m.json")["recordings"]["ok"], kSessions + 2);
}

TEST_F(ShardedBatchCli, AFailedRecordingIsRecordedAndTheShardGoesOn) {
  {
    std::ofstream bad(dir / "in" / "site0" / "broken.h5");
    bad << "not an HDF5 file";
  }
  const auto ran = imuwb("parity --model " + model() + " --session " + path("in") + " --calib " +
                         path("calib.npy") + " --out-dir " + path("out") + " --root " + path("in"));
  EXPECT_EQ(ran.exitCode, 1) << ran.output << ran.errors;
  const auto record = json("out/site0/broken.h5.parity.json");
  EXPECT_EQ(record["status"], "failed");
  EXPECT_FALSE(record["error"]["problem"].get<std::string>().empty());
  const auto merged = imuwb("report merge " + path("out") + " --report " + path("m.json") +
                            " --junit " + path("m.xml"));
  EXPECT_EQ(merged.exitCode, 1);
  const auto report = json("m.json");
  EXPECT_EQ(report["recordings"]["ok"], kSessions);
  ASSERT_EQ(report["failed"].size(), 1u);
  EXPECT_EQ(report["failed"][0]["key"], "site0/broken.h5");
  EXPECT_EQ(
      imuwb("report merge " + path("out") + " --report " + path("m2.json") + " --allow-partial")
          .exitCode,
      0);
}

TEST_F(ShardedBatchCli, AutoShardReadsTheEngineIndexOrSaysWhatIsMissing) {
  const std::string base = "parity --model " + model() + " --session " + path("in") + " --calib " +
                           path("calib.npy") + " --out-dir " + path("out") +
                           " --shard auto/7 --json";
  const auto none = test::runCommand(
      "env -u SLURM_ARRAY_TASK_ID -u JOB_COMPLETION_INDEX -u AWS_BATCH_JOB_ARRAY_INDEX " + cli() +
      " " + base);
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE((none.output + none.errors).find("SLURM_ARRAY_TASK_ID"), std::string::npos);
  const auto k8s =
      test::runCommand("env -u SLURM_ARRAY_TASK_ID JOB_COMPLETION_INDEX=3 " + cli() + " " + base);
  ASSERT_EQ(k8s.exitCode, 0) << k8s.errors;
  const auto summary = nlohmann::json::parse(k8s.output);
  EXPECT_EQ(summary["shard"]["index"], 3);
  EXPECT_EQ(summary["shard"]["source"], "JOB_COMPLETION_INDEX");
}

}  // namespace
}  // namespace imuwb
