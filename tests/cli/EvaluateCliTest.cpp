// End-to-end `imuwb evaluate` with the sample model on a generated labelled session: the reports
// it writes, every number recomputed by the numpy/scipy peer (tests/peers/eval_reference.py) from
// `imuwb run`'s outputs file and its window labels, cpu against int8 (both matrices, the
// difference, the flipped windows), the exit codes (1 for a failed threshold, 2 for a
// calibration split too small for alpha), and conformal coverage on the bundled sample session.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cli/CliFixture.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

class EvaluateCli : public test::CliFixture {
 protected:
  void SetUp() override {
    IMUWB_REQUIRE_PYTHON_PEERS();
    const auto made =
        imuwb("generate --duration 10m --seed 21 --devices collar,harness --out " + path("s.h5"));
    ASSERT_EQ(made.exitCode, 0) << made.errors;
  }
  static std::string model() {
    return test::shellQuote((test::sourceDir() / "samples/models/dog_behavior_conv2d").string());
  }
  std::string evaluate(const std::string& session, const std::string& extra) {
    return "evaluate --model " + model() + " --session " + session + " --report " + path("e.json") +
           " " + extra;
  }
  // `imuwb run` of backend into outputs, then the peer's evaluation of that file.
  nlohmann::json peerOnRun(const std::string& session, const std::string& backend,
                           const std::string& outputs, const std::string& extra = "") {
    const auto run = imuwb("run --model " + model() + " --session " + session + " --backend " +
                           backend + " --out " + path(outputs) + " " + extra);
    EXPECT_EQ(run.exitCode, 0) << run.errors;
    const auto peer = test::runCommand(
        test::shellQuote(test::pythonPath()) + " " +
        test::shellQuote((test::sourceDir() / "tests/peers/eval_reference.py").string()) +
        " outputs " + path(outputs) + " " + backend + " behavior_logits 0.1 0.5 20");
    EXPECT_EQ(peer.exitCode, 0) << peer.errors;
    return peer.exitCode == 0 ? nlohmann::json::parse(peer.output) : nlohmann::json::object();
  }
  std::string readText(const std::string& name) {
    std::ifstream in(dir / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

// One side of the report against the peer's evaluation of the same backend's run outputs.
void expectSideMatches(const nlohmann::json& side, const nlohmann::json& ref) {
  const auto& d = side["decisions"];
  const auto& r = ref["decisions"];
  EXPECT_EQ(side["confusion"], r["confusion"]);
  EXPECT_NEAR(d["accuracy"].get<double>(), r["accuracy"].get<double>(), 1e-12);
  EXPECT_NEAR(d["balanced_accuracy"].get<double>(), r["balanced_accuracy"].get<double>(), 1e-12);
  EXPECT_NEAR(d["macro_f1"].get<double>(), r["macro_f1"].get<double>(), 1e-12);
  EXPECT_NEAR(d["cohens_kappa"].get<double>(), r["kappa"].get<double>(), 1e-12);
  for (std::size_t k = 0; k < d["per_class"].size(); ++k) {
    EXPECT_NEAR(d["per_class"][k]["f1"].get<double>(), r["f1"][k].get<double>(), 1e-12);
    EXPECT_EQ(d["per_class"][k]["support"], r["support"][k]);
  }
  const auto& c = side["calibration"];
  EXPECT_NEAR(c["all"]["ece"].get<double>(), ref["ece_all"]["ece"].get<double>(), 1e-9);
  for (std::size_t m = 0; m < 15; ++m)
    EXPECT_EQ(c["all"]["reliability"][m]["count"], ref["ece_all"]["bins"][m]["count"]) << m;
  EXPECT_NEAR(c["temperature"]["value"].get<double>() / ref["temperature"].get<double>(), 1.0,
              1e-3);
  EXPECT_LT(c["temperature"]["nll_calibration_after"].get<double>(),
            c["temperature"]["nll_calibration_before"].get<double>());
  EXPECT_NEAR(c["nll_test_before"].get<double>(), ref["nll_test_before"].get<double>(), 1e-6);
  EXPECT_NEAR(c["nll_test_after"].get<double>(), ref["nll_test_after"].get<double>(), 1e-6);
  EXPECT_NEAR(c["test_before"]["ece"].get<double>(), ref["ece_test_before"]["ece"].get<double>(),
              1e-6);
  ASSERT_EQ(side["conformal"].size(), 2u);
  for (const auto& k : side["conformal"]) {
    const auto& rk = ref["conformal"][k["score"].get<std::string>()];
    SCOPED_TRACE(k["score"].get<std::string>());
    EXPECT_EQ(k["rank"], rk["rank"]);
    EXPECT_NEAR(k["threshold"].get<double>(), rk["threshold"].get<double>(), 1e-12);
    EXPECT_NEAR(k["coverage"].get<double>(), rk["coverage"].get<double>(), 1e-12);
    EXPECT_NEAR(k["average_set_size"].get<double>(), rk["average_set_size"].get<double>(), 1e-12);
    EXPECT_EQ(k["set_size_counts"], rk["set_size_counts"]);
    for (std::size_t c2 = 0; c2 < k["per_class"].size(); ++c2)
      EXPECT_NEAR(k["per_class"][c2]["coverage"].get<double>(),
                  rk["per_class_coverage"][c2].get<double>(), 1e-12);
  }
}

TEST_F(EvaluateCli, ReportsMatchNumpyOnTheRunsOutputs) {
  const auto result =
      imuwb(evaluate(path("s.h5"), "--html " + path("e.html") + " --junit " + path("e.xml")));
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;
  const auto report = json("e.json");
  EXPECT_EQ(report["schema_version"], 1);
  EXPECT_EQ(report["kind"], "evaluate");
  EXPECT_TRUE(report["passed"].get<bool>());
  EXPECT_TRUE(report["comparison"].is_null());
  ASSERT_EQ(report["sides"].size(), 1u);
  const auto ref = peerOnRun(path("s.h5"), "cpu", "o.h5");
  const auto& counts = report["counts"];
  EXPECT_EQ(counts["labelled"], ref["labelled"]);
  EXPECT_EQ(counts["calibration"], ref["calibration"]);
  EXPECT_EQ(counts["test"], ref["test"]);
  EXPECT_EQ(counts["unlabelled"].get<std::size_t>() + counts["unknown_class"].get<std::size_t>() +
                counts["labelled"].get<std::size_t>(),
            counts["windows"].get<std::size_t>());
  EXPECT_GT(counts["mixed_labels"].get<std::size_t>(), 0u);  // counted, not dropped
  expectSideMatches(report["sides"][0], ref);

  const auto html = readText("e.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // nothing external
  const auto junit = python(
      "import sys, xml.etree.ElementTree as t; r = t.parse(sys.argv[1]).getroot(); "
      "print(r.get('tests'), r.get('failures'))",
      {(dir / "e.xml").string()});
  EXPECT_EQ(junit.exitCode, 0) << junit.errors;
  EXPECT_EQ(junit.output, "1 0\n");
}

TEST_F(EvaluateCli, CompareBackendInt8GivesBothMatricesTheirDifferenceAndTheFlips) {
  ASSERT_EQ(imuwb("calib-export --model " + model() + " --session " + path("s.h5") + " --out " +
                  path("c.npy"))
                .exitCode,
            0);
  const auto result =
      imuwb(evaluate(path("s.h5"), "--compare-backend int8 --calib " + path("c.npy")));
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;
  const auto report = json("e.json");
  ASSERT_EQ(report["sides"].size(), 2u);
  EXPECT_EQ(report["sides"][1]["precision"], "int8");
  expectSideMatches(report["sides"][0], peerOnRun(path("s.h5"), "cpu", "o.h5"));
  expectSideMatches(report["sides"][1],
                    peerOnRun(path("s.h5"), "int8", "o8.h5", "--calib " + path("c.npy")));
  const auto& comparison = report["comparison"];
  const auto& a = report["sides"][0]["confusion"];
  const auto& b = report["sides"][1]["confusion"];
  for (std::size_t t = 0; t < a.size(); ++t)
    for (std::size_t p = 0; p < a.size(); ++p)
      EXPECT_EQ(comparison["confusion_difference"][t][p].get<long long>(),
                b[t][p].get<long long>() - a[t][p].get<long long>());
  // The flipped windows, recomputed from both runs' probabilities with their times.
  std::ofstream(dir / "flips.json") << comparison["flipped"].dump();
  const auto flips = python(
      "import sys, json, h5py, numpy as np\n"
      "a = h5py.File(sys.argv[1]); b = h5py.File(sys.argv[2])\n"
      "pa = a['backends/cpu/derived/behavior_logits_probabilities'][()].argmax(1)\n"
      "pb = b['backends/int8/derived/behavior_logits_probabilities'][()].argmax(1)\n"
      "idx = np.flatnonzero(pa != pb); got = json.load(open(sys.argv[3]))\n"
      "t = a['windows/start_time_s'][()]\n"
      "assert [g['window'] for g in got] == idx.tolist(), (got, idx)\n"
      "assert all(abs(g['start_s'] - t[i]) < 1e-9 and abs(g['end_s'] - t[i] - 1.0) < 1e-6 and "
      "g['a'] == pa[i] and g['b'] == pb[i] and g['session'] == 0 for g, i in zip(got, idx))\n"
      "print(len(idx))",
      {(dir / "o.h5").string(), (dir / "o8.h5").string(), (dir / "flips.json").string()});
  ASSERT_EQ(flips.exitCode, 0) << flips.errors;
  EXPECT_EQ(std::stoul(flips.output), comparison["flips"].get<std::size_t>());
  std::printf("[ cpu vs int8: %s windows flipped ]\n",
              flips.output.substr(0, flips.output.size() - 1).c_str());
}

TEST_F(EvaluateCli, AFailedThresholdExitsOneAndAMetOneZero) {
  ASSERT_EQ(imuwb(evaluate(path("s.h5"), "")).exitCode, 0);
  const double accuracy = json("e.json")["sides"][0]["decisions"]["accuracy"].get<double>();
  ASSERT_LT(accuracy, 1.0);  // the session is not trivial for the model
  char met[32], missed[32];
  std::snprintf(met, sizeof met, "%.17g", accuracy);
  std::snprintf(missed, sizeof missed, "%.17g", std::nextafter(accuracy, 2.0) + 1e-9);
  const auto pass = imuwb(evaluate(
      path("s.h5"), "--force --min-accuracy " + std::string(met) + " --junit " + path("pass.xml")));
  EXPECT_EQ(pass.exitCode, 0) << pass.output << pass.errors;
  const auto fail = imuwb(evaluate(path("s.h5"), "--force --min-accuracy " + std::string(missed) +
                                                     " --max-ece 1 --junit " + path("fail.xml")));
  EXPECT_EQ(fail.exitCode, 1) << fail.output << fail.errors;
  const auto report = json("e.json");
  EXPECT_FALSE(report["passed"].get<bool>());
  ASSERT_EQ(report["checks"].size(), 2u);
  EXPECT_FALSE(report["checks"][0]["passed"].get<bool>());
  EXPECT_TRUE(report["checks"][1]["passed"].get<bool>());
  const auto junit = python(
      "import sys, xml.etree.ElementTree as t; r = t.parse(sys.argv[1]).getroot(); "
      "print(r.get('tests'), r.get('failures'), len(r.findall('.//failure')))",
      {(dir / "fail.xml").string()});
  EXPECT_EQ(junit.output, "2 1 1\n") << junit.errors;
}

TEST_F(EvaluateCli, AlphaTooSmallForTheCalibrationSplitExitsTwoNamingNAndTheMinimum) {
  // 40 windows in blocks of 20: windows 20..39 calibrate, 20 scores; alpha 0.01 needs 99.
  const auto result = imuwb(evaluate(path("s.h5"), "--max-windows 40 --alpha 0.01"));
  EXPECT_EQ(result.exitCode, 2) << result.output;
  EXPECT_NE(result.errors.find("the calibration split has 20 labelled windows"), std::string::npos)
      << result.errors;
  EXPECT_NE(result.errors.find("alpha = 0.01 needs at least 99"), std::string::npos)
      << result.errors;
  EXPECT_FALSE(std::filesystem::exists(dir / "e.json"));
  EXPECT_EQ(imuwb(evaluate(path("s.h5"), "--alpha 1.5")).exitCode, 2);
  EXPECT_EQ(imuwb(evaluate(path("s.h5"), "--calibration-split 1")).exitCode, 2);
}

// Split conformal guarantees coverage >= 1 - alpha in expectation over calibration and test
// draws. For one calibration split of n and a test split of m windows the observed coverage
// spreads around it with a standard deviation of about sqrt(alpha (1 - alpha) (1/m + 1/(n+2)))
// (binomial test draw plus the Beta(k, n+1-k) coverage of the calibrated threshold). Windows
// overlap and behaviours come in bouts, so the real spread is wider than this i.i.d. value;
// three of them is the tolerance on the bundled sample session.
TEST_F(EvaluateCli, ConformalCoverageOnTheSampleSessionIsWithinTheFiniteSampleBound) {
  const auto sample = test::shellQuote(
      (test::sourceDir() / "samples/sessions/dog_10min_collar_harness.h5").string());
  const auto result = imuwb(evaluate(sample, "--alpha 0.1"));
  ASSERT_EQ(result.exitCode, 0) << result.output << result.errors;
  const auto report = json("e.json");
  ASSERT_EQ(report["sides"][0]["conformal"].size(), 2u);
  for (const auto& k : report["sides"][0]["conformal"]) {
    const double n = k["calibration_windows"].get<double>(), m = k["test_windows"].get<double>();
    const double sd = std::sqrt(0.1 * 0.9 * (1.0 / m + 1.0 / (n + 2)));
    const double coverage = k["coverage"].get<double>();
    std::printf("[ %s coverage %.4f, bound %.4f (n=%g, m=%g) ]\n",
                k["score"].get<std::string>().c_str(), coverage, 0.9 - 3 * sd, n, m);
    EXPECT_GE(coverage, 0.9 - 3 * sd) << k["score"];
  }
}

}  // namespace
}  // namespace imuwb
