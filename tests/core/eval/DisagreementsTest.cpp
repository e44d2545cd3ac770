// The review's disagreement stretches, their filters, orders and next/previous steps against an
// independent numpy implementation (tests/peers/disagreements_peer.py), on generated sessions:
// label tracks with gaps and classes the model lacks, windows with skipped gaps, sticky
// predictions with exact ties between classes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <tuple>

#include "common/Error.hpp"
#include "eval/Disagreements.hpp"
#include "eval/StretchSelection.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb {
namespace {

using eval::Stretch;

struct Generated {
  eval::WindowPredictions predictions;
  std::vector<LabelInterval> labels;
};

Generated generate(std::mt19937& random, std::size_t windows) {
  Generated g;
  auto& p = g.predictions;
  p.classes = {"rest", "walk", "trot", "graze", "play"};
  p.span_s = 0.5;
  p.probabilities.classes = p.classes.size();
  std::uniform_real_distribution<double> u(0, 1);
  double t = 0.5;
  int sticky = 0;
  for (std::size_t w = 0; w < windows; ++w) {
    p.centre_s.push_back(t);
    t += u(random) < 0.01 ? 3.0 : 0.5;  // now and then a gap the windower skipped
    if (u(random) < 0.15) sticky = static_cast<int>(random() % p.classes.size());
    std::vector<double> row(p.classes.size());
    for (auto& v : row) v = u(random);
    row[static_cast<std::size_t>(sticky)] += 1.5 * u(random);
    if (u(random) < 0.03) row[(sticky + 1) % row.size()] = row[static_cast<std::size_t>(sticky)];
    double sum = 0;
    for (double v : row) sum += v;
    for (double v : row) p.probabilities.values.push_back(v / sum);
  }
  const std::vector<std::string> names{"rest", "walk", "trot", "graze", "play", "sniff"};
  double s = u(random) < 0.5 ? 0.0 : 2.0;
  while (s < t) {
    const double end = s + 1 + 20 * u(random);
    g.labels.push_back({s, end, names[random() % names.size()]});
    s = end + (u(random) < 0.2 ? 5 * u(random) : 0.0);
  }
  return g;
}

nlohmann::json peerAnswer(const Generated& g, const std::vector<eval::StretchFilter>& filters,
                          const std::vector<double>& times, const test::TempDir& dir) {
  nlohmann::json in;
  const auto& p = g.predictions;
  in["classes"] = p.classes;
  in["centres"] = p.centre_s;
  in["span"] = p.span_s;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t r = 0; r < p.probabilities.rows(); ++r)
    rows.push_back(std::vector<double>(p.probabilities.row(r),
                                       p.probabilities.row(r) + p.probabilities.classes));
  in["probabilities"] = rows;
  in["labels"] = nlohmann::json::array();
  for (const auto& l : g.labels) in["labels"].push_back({l.start_s, l.end_s, l.label});
  in["filters"] = nlohmann::json::array();
  for (const auto& f : filters)
    in["filters"].push_back({f.truth, f.predicted, f.minConfidence, f.maxConfidence});
  in["times"] = times;
  std::ofstream(dir / "in.json") << in.dump();
  const auto run = test::runCommand(
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/disagreements_peer.py").string()) + " " +
      test::shellQuote((dir / "in.json").string()) + " " +
      test::shellQuote((dir / "out.json").string()));
  EXPECT_EQ(run.exitCode, 0) << run.errors;
  std::ifstream out(dir / "out.json");
  return nlohmann::json::parse(out);
}

void expectStretch(const Stretch& s, const nlohmann::json& r) {
  EXPECT_NEAR(s.start_s, r[0].get<double>(), 1e-12);
  EXPECT_NEAR(s.end_s, r[1].get<double>(), 1e-12);
  EXPECT_EQ(s.firstWindow, r[2].get<std::size_t>());
  EXPECT_EQ(s.windows, r[3].get<std::size_t>());
  EXPECT_EQ(s.truth, r[4].get<int>());
  EXPECT_EQ(s.predicted, r[5].get<int>());
  EXPECT_NEAR(s.meanConfidence, r[6].get<double>(), 1e-12);
  EXPECT_DOUBLE_EQ(s.minConfidence, r[7].get<double>());
  EXPECT_EQ(s.peakWindow, r[8].get<std::size_t>());
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.top[i].cls, r[9][i][0].get<int>()) << i;
    EXPECT_DOUBLE_EQ(s.top[i].probability, r[9][i][1].get<double>()) << i;
  }
}

std::vector<std::size_t> indices(const nlohmann::json& list) {
  return list.get<std::vector<std::size_t>>();
}

TEST(Disagreements, StretchesFiltersOrdersAndStepsMatchNumpy) {
  ASSERT_TRUE(test::havePythonPeers()) << "needs /usr/bin/python3 with numpy";
  test::TempDir dir;
  std::mt19937 random(23);
  for (int trial = 0; trial < 4; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const auto g = generate(random, 300 + 400 * static_cast<std::size_t>(trial));
    const auto review = eval::reviewSession(g.predictions, g.labels);
    const std::vector<eval::StretchFilter> filters{
        {},           {1, -1, 0, 1},   {-1, 2, 0, 1}, {0, 3, 0, 1}, {-1, -1, 0.4, 0.6},
        {2, 2, 0, 1}, {-1, -1, 0.5, 1}};
    std::vector<double> times{-1.0, 0.0};
    for (const auto& s : review.stretches) times.push_back(s.start_s);  // on a start: past it
    for (int i = 0; i < 20; ++i) times.push_back(g.predictions.centre_s.back() * i / 19.0);
    const auto peer = peerAnswer(g, filters, times, dir);

    EXPECT_EQ(eval::windowLabels(g.labels, g.predictions.classes, g.predictions.centre_s),
              peer["truth"].get<std::vector<int>>());
    EXPECT_EQ(review.unlabelled, peer["unlabelled"].get<std::size_t>());
    EXPECT_EQ(review.unknownLabel, peer["unknown"].get<std::size_t>());
    ASSERT_GT(review.unlabelled + review.unknownLabel, 0u);  // the generator's gaps and "sniff"
    for (std::size_t t = 0; t < 5; ++t)
      for (std::size_t p = 0; p < 5; ++p)
        EXPECT_EQ(review.confusion.count(t, p), peer["confusion"][t][p].get<std::size_t>());
    ASSERT_EQ(review.stretches.size(), peer["stretches"].size());
    for (std::size_t i = 0; i < review.stretches.size(); ++i) {
      SCOPED_TRACE("stretch " + std::to_string(i));
      expectStretch(review.stretches[i], peer["stretches"][i]);
    }
    for (std::size_t f = 0; f < filters.size(); ++f)
      EXPECT_EQ(eval::selectStretches(review.stretches, filters[f]), indices(peer["selections"][f]))
          << "filter " << f;
    const auto all = eval::selectStretches(review.stretches, {});
    ASSERT_EQ(all.size(), review.disagreements);
    ASSERT_GT(all.size(), 10u);
    for (const auto& [name, order, descending] :
         {std::tuple{"length", eval::StretchOrder::Length, false},
          std::tuple{"length_desc", eval::StretchOrder::Length, true},
          std::tuple{"confidence", eval::StretchOrder::Confidence, false},
          std::tuple{"confidence_desc", eval::StretchOrder::Confidence, true}}) {
      auto sorted = all;
      eval::sortStretches(sorted, review.stretches, order, descending);
      EXPECT_EQ(sorted, indices(peer["orders"][name])) << name;
    }
    for (std::size_t i = 0; i < times.size(); ++i) {
      EXPECT_EQ(eval::nextStretch(review.stretches, all, times[i]), peer["next"][i].get<long>())
          << times[i];
      EXPECT_EQ(eval::previousStretch(review.stretches, all, times[i]),
                peer["previous"][i].get<long>())
          << times[i];
    }
  }
}

// Runs the peer on g and checks every stretch, the confusion matrix and the disagreements' order.
void expectMatchesPeer(const Generated& g, const test::TempDir& dir) {
  const auto review = eval::reviewSession(g.predictions, g.labels);
  std::vector<double> times;
  for (const auto& s : review.stretches) times.push_back(s.start_s - 0.1);
  const auto peer = peerAnswer(g, {{}}, times, dir);
  ASSERT_EQ(review.stretches.size(), peer["stretches"].size());
  for (std::size_t i = 0; i < review.stretches.size(); ++i) {
    SCOPED_TRACE("stretch " + std::to_string(i));
    expectStretch(review.stretches[i], peer["stretches"][i]);
  }
  const std::size_t k = g.predictions.classes.size();
  for (std::size_t t = 0; t < k; ++t)
    for (std::size_t p = 0; p < k; ++p)
      EXPECT_EQ(review.confusion.count(t, p), peer["confusion"][t][p].get<std::size_t>());
  const auto all = eval::selectStretches(review.stretches, {});
  EXPECT_EQ(all, indices(peer["selections"][0]));
  for (std::size_t i = 0; i < times.size(); ++i)
    EXPECT_EQ(eval::nextStretch(review.stretches, all, times[i]), peer["next"][i].get<long>());
}

TEST(Disagreements, MatchNumpyOnTheSampleSessionsLabels) {
  // The bundled sessions' labels (read by plain h5py), on each session's window grid (100
  // samples, stride 50 at 100 Hz), with predictions that mostly follow the label at the centre.
  ASSERT_TRUE(test::havePythonPeers()) << "needs /usr/bin/python3 with numpy and h5py";
  test::TempDir dir;
  const std::vector<std::pair<std::string, std::size_t>> sessions{
      {"samples/sessions/dog_10min_collar_harness.h5", 60000},
      {"samples/sessions/dog_2min_collar.h5", 12000}};
  std::string line =
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/h5py_read_labels.py").string());
  for (const auto& [file, rows] : sessions)
    line += " " + test::shellQuote((test::sourceDir() / file).string());
  const auto read = test::runCommand(line);
  ASSERT_EQ(read.exitCode, 0) << read.errors;
  const auto files = nlohmann::json::parse(read.output);
  std::mt19937 random(41);
  std::uniform_real_distribution<double> u(0, 1);
  for (const auto& [file, rows] : sessions) {
    SCOPED_TRACE(file);
    const auto& labels = files.at((test::sourceDir() / file).string());
    Generated g;
    auto& p = g.predictions;
    p.classes = labels["classes"].get<std::vector<std::string>>();
    p.span_s = 0.5;
    p.probabilities.classes = p.classes.size();
    for (const auto& i : labels["intervals"])
      g.labels.push_back({i[0].get<double>(), i[1].get<double>(), i[2].get<std::string>()});
    ASSERT_GT(g.labels.size(), 3u);
    for (std::size_t w = 0; w * 50 + 100 <= rows; ++w) p.centre_s.push_back((w * 50.0 + 50) / 100);
    const auto truth = eval::windowLabels(g.labels, p.classes, p.centre_s);
    for (std::size_t w = 0; w < p.centre_s.size(); ++w) {
      std::vector<double> row(p.classes.size());
      for (auto& v : row) v = u(random);
      const std::size_t top =
          truth[w] >= 0 && u(random) < 0.85 ? std::size_t(truth[w]) : random() % row.size();
      row[top] += 2;
      double sum = 0;
      for (double v : row) sum += v;
      for (double v : row) p.probabilities.values.push_back(v / sum);
    }
    expectMatchesPeer(g, dir);
  }
}

TEST(Disagreements, ConfusionCellsPartitionTheLabelledWindows) {
  // Every labelled window is in exactly one stretch, and a cell's stretches hold its count.
  std::mt19937 random(5);
  const auto g = generate(random, 2000);
  const auto review = eval::reviewSession(g.predictions, g.labels);
  std::size_t covered = 0;
  for (int t = 0; t < 5; ++t)
    for (int p = 0; p < 5; ++p) {
      std::size_t windows = 0;
      for (auto i : eval::cellStretches(review.stretches, t, p)) {
        EXPECT_EQ(review.stretches[i].truth, t);
        EXPECT_EQ(review.stretches[i].predicted, p);
        windows += review.stretches[i].windows;
      }
      EXPECT_EQ(windows,
                review.confusion.count(static_cast<std::size_t>(t), static_cast<std::size_t>(p)));
      covered += windows;
    }
  EXPECT_EQ(covered + review.unlabelled + review.unknownLabel, review.windows);
}

TEST(Disagreements, StepsWalkEveryDisagreementInTimeOrder) {
  std::mt19937 random(9);
  const auto g = generate(random, 1500);
  const auto review = eval::reviewSession(g.predictions, g.labels);
  const auto all = eval::selectStretches(review.stretches, {});
  double t = -1;
  std::vector<std::size_t> visited;
  for (long i = eval::nextStretch(review.stretches, all, t); i >= 0;
       i = eval::nextStretch(review.stretches, all, t)) {
    visited.push_back(static_cast<std::size_t>(i));
    t = review.stretches[static_cast<std::size_t>(i)].start_s;
  }
  EXPECT_EQ(visited, all);
  std::vector<std::size_t> back;
  for (long i = eval::previousStretch(review.stretches, all, 1e9); i >= 0;
       i = eval::previousStretch(review.stretches, all, t)) {
    back.insert(back.begin(), static_cast<std::size_t>(i));
    t = review.stretches[static_cast<std::size_t>(i)].start_s;
  }
  EXPECT_EQ(back, all);
}

TEST(Disagreements, AgreementSpansCoverEveryWindowOnce) {
  std::mt19937 random(3);
  const auto g = generate(random, 800);
  const auto& p = g.predictions;
  const auto labels = eval::windowLabels(g.labels, p.classes, p.centre_s);
  const auto spans = eval::agreementSpans(p, labels, 4);
  std::size_t w = 0;
  for (const auto& span : spans) {
    ASSERT_LT(w, p.centre_s.size());
    EXPECT_NEAR(span.start_s, p.centre_s[w] - p.span_s / 2, 1e-12);
    for (; w < p.centre_s.size() && p.centre_s[w] < span.end_s; ++w) {
      const double* row = p.probabilities.row(w);
      const int top = eval::topClass(row, p.classes.size());
      const auto state = labels[w] < 0      ? eval::AgreementSpan::State::Unlabelled
                         : labels[w] == top ? eval::AgreementSpan::State::Agrees
                                            : eval::AgreementSpan::State::Disagrees;
      EXPECT_EQ(span.state, state) << w;
      EXPECT_EQ(span.level, std::min(3, static_cast<int>(row[top] * 4))) << w;
    }
  }
  EXPECT_EQ(w, p.centre_s.size());
}

TEST(Disagreements, MismatchedOutputsAreRefused) {
  eval::WindowPredictions p;
  p.classes = {"a", "b"};
  p.centre_s = {0.5, 1.0};
  p.probabilities = {2, {0.5, 0.5}};
  EXPECT_THROW(eval::reviewSession(p, {}), Error);
}

}  // namespace
}  // namespace imuwb
