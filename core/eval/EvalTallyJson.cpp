// EvalTally as JSON (the per-recording result's sufficient statistics) and the merged figures
// read from it, in the shapes of the evaluation report (eval/EvalReportJson).
#include <cmath>

#include "common/Error.hpp"
#include "eval/EvalTally.hpp"

namespace imuwb::eval {

using nlohmann::json;

namespace {

double edge(std::size_t m, int bins) {  // as eval/Ece: numpy.linspace(0, 1, bins + 1)
  return m >= static_cast<std::size_t>(bins) ? 1.0 : static_cast<double>(m) * (1.0 / bins);
}

json eceJson(const BinSums& b, int bins) {
  json reliability = json::array();
  double ece = 0;
  for (std::size_t m = 0; m < b.count.size(); ++m) {
    const std::size_t n = b.count[m];
    const double meanConfidence = n ? b.confidence[m] / n : 0, accuracy = n ? b.correct[m] / n : 0;
    if (n) ece += static_cast<double>(n) / b.samples * std::fabs(accuracy - meanConfidence);
    reliability.push_back({{"lo", edge(m, bins)},
                           {"hi", edge(m + 1, bins)},
                           {"count", n},
                           {"mean_confidence", meanConfidence},
                           {"accuracy", accuracy}});
  }
  return {{"windows", b.samples}, {"ece", ece}, {"reliability", reliability}};
}

json decisionsJson(const SideTally& s, const std::vector<std::string>& classes) {
  const std::size_t k = classes.size();
  ConfusionMatrix m(k);
  json rows = json::array();
  for (std::size_t t = 0; t < k; ++t) {
    json row = json::array();
    for (std::size_t p = 0; p < k; ++p) {
      const std::size_t n = s.confusion[t * k + p];
      for (std::size_t i = 0; i < n; ++i) m.add(static_cast<int>(t), static_cast<int>(p));
      row.push_back(n);
    }
    rows.push_back(row);
  }
  const auto d = decisionMetrics(m, classes);
  json perClass = json::array();
  for (const auto& c : d.classes)
    perClass.push_back({{"class", c.name},
                        {"support", c.support},
                        {"predicted", c.predicted},
                        {"true_positives", c.truePositives},
                        {"precision", c.precision},
                        {"recall", c.recall},
                        {"f1", c.f1}});
  return {{"confusion", rows},
          {"decisions",
           {{"windows", d.windows},
            {"accuracy", d.accuracy},
            {"balanced_accuracy", d.balancedAccuracy},
            {"macro_f1", d.macroF1},
            {"cohens_kappa", d.kappa},
            {"per_class", perClass}}}};
}

json countsJson(const WindowCounts& c) {
  return {{"windows", c.windows},
          {"labelled", c.labelled},
          {"unlabelled", c.unlabelled},
          {"unknown_class", c.unknownClass},
          {"mixed_labels", c.mixedLabels},
          {"calibration", c.calibration},
          {"test", c.test},
          {"skipped_gap", c.skippedGap},
          {"skipped_nan", c.skippedNan}};
}

json binsToJson(const BinSums& b) {
  return {{"count", b.count},
          {"confidence", b.confidence},
          {"correct", b.correct},
          {"samples", b.samples}};
}

BinSums binsFromJson(const json& j) {
  BinSums b{j.at("count").get<std::vector<std::size_t>>(),
            j.at("confidence").get<std::vector<double>>(),
            j.at("correct").get<std::vector<double>>(), j.at("samples").get<std::size_t>()};
  if (b.confidence.size() != b.count.size() || b.correct.size() != b.count.size())
    throw Error("evaluation tally", "reliability bins of different lengths");
  return b;
}

}  // namespace

json finishTallyJson(const EvalTally& t) {
  json sides = json::array();
  for (const auto& s : t.sides) {
    json side = decisionsJson(s, t.classes);
    side["backend"] = s.backend;
    side["precision"] = s.precision;
    side["mixed_label_windows"] = {
        {"windows", s.mixedWindows},
        {"accuracy", s.mixedWindows ? static_cast<double>(s.mixedCorrect) / s.mixedWindows : 0.0}};
    side["calibration"] = {
        {"all", eceJson(s.all, t.eceBins)},
        {"test_before", eceJson(s.testBefore, t.eceBins)},
        {"nll_test_before",
         s.testBefore.samples ? s.nllTestSum / static_cast<double>(s.testBefore.samples) : 0.0}};
    sides.push_back(side);
  }
  json out = {{"classes", t.classes}, {"counts", countsJson(t.counts)}, {"sides", sides}};
  if (t.sides.size() == 2)
    out["comparison"] = {
        {"windows", t.comparedWindows},
        {"flips", t.flips},
        {"agreement",
         t.comparedWindows ? 1.0 - static_cast<double>(t.flips) / t.comparedWindows : 0.0}};
  return out;
}

json tallyToJson(const EvalTally& t) {
  json sides = json::array();
  for (const auto& s : t.sides)
    sides.push_back({{"backend", s.backend},
                     {"precision", s.precision},
                     {"confusion", s.confusion},
                     {"mixed_windows", s.mixedWindows},
                     {"mixed_correct", s.mixedCorrect},
                     {"bins_all", binsToJson(s.all)},
                     {"bins_test_before", binsToJson(s.testBefore)},
                     {"nll_test_sum", s.nllTestSum}});
  return {{"classes", t.classes},
          {"ece_bins", t.eceBins},
          {"counts", countsJson(t.counts)},
          {"sides", sides},
          {"compared_windows", t.comparedWindows},
          {"flips", t.flips}};
}

EvalTally tallyFromJson(const json& j) {
  try {
    EvalTally t;
    t.classes = j.at("classes").get<std::vector<std::string>>();
    t.eceBins = j.at("ece_bins").get<int>();
    const auto& c = j.at("counts");
    auto& n = t.counts;
    n.windows = c.at("windows"), n.labelled = c.at("labelled"), n.unlabelled = c.at("unlabelled");
    n.unknownClass = c.at("unknown_class"), n.mixedLabels = c.at("mixed_labels");
    n.calibration = c.at("calibration"), n.test = c.at("test");
    n.skippedGap = c.at("skipped_gap"), n.skippedNan = c.at("skipped_nan");
    const std::size_t k = t.classes.size();
    for (const auto& s : j.at("sides")) {
      SideTally side{s.at("backend"),
                     s.at("precision"),
                     s.at("confusion"),
                     s.at("mixed_windows"),
                     s.at("mixed_correct"),
                     binsFromJson(s.at("bins_all")),
                     binsFromJson(s.at("bins_test_before")),
                     s.at("nll_test_sum")};
      if (side.confusion.size() != k * k || side.all.count.size() != std::size_t(t.eceBins))
        throw Error("evaluation tally", "a confusion matrix or the bins do not fit the classes");
      t.sides.push_back(std::move(side));
    }
    t.comparedWindows = j.at("compared_windows");
    t.flips = j.at("flips");
    return t;
  } catch (const json::exception& e) {
    throw Error("evaluation tally", std::string("malformed: ") + e.what(),
                "re-run the recording (its result file is damaged)");
  }
}

}  // namespace imuwb::eval
