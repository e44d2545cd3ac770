#include "eval/EvalReportJson.hpp"

#include "common/AtomicFile.hpp"

namespace imuwb::eval {
namespace {

using nlohmann::json;

json matrixJson(const ConfusionMatrix& m) {
  json rows = json::array();
  for (std::size_t t = 0; t < m.classCount(); ++t) {
    json row = json::array();
    for (std::size_t p = 0; p < m.classCount(); ++p) row.push_back(m.count(t, p));
    rows.push_back(row);
  }
  return rows;
}

json decisionsJson(const DecisionMetrics& d) {
  json classes = json::array();
  for (const auto& c : d.classes)
    classes.push_back({{"class", c.name},
                       {"support", c.support},
                       {"predicted", c.predicted},
                       {"true_positives", c.truePositives},
                       {"precision", c.precision},
                       {"recall", c.recall},
                       {"f1", c.f1}});
  return {
      {"windows", d.windows},  {"accuracy", d.accuracy},  {"balanced_accuracy", d.balancedAccuracy},
      {"macro_f1", d.macroF1}, {"cohens_kappa", d.kappa}, {"per_class", classes}};
}

}  // namespace

json eceToJson(const CalibrationError& e) {
  json bins = json::array();
  for (const auto& b : e.bins)
    bins.push_back({{"lo", b.lo},
                    {"hi", b.hi},
                    {"count", b.count},
                    {"mean_confidence", b.meanConfidence},
                    {"accuracy", b.accuracy}});
  return {{"windows", e.samples}, {"ece", e.ece}, {"reliability", bins}};
}

json temperatureToJson(const TemperatureFit& t) {
  return {{"value", t.temperature},
          {"nll_calibration_before", t.nllBefore},
          {"nll_calibration_after", t.nllAfter},
          {"at_search_bound", t.atBound},
          {"evaluations", t.evaluations}};
}

json conformalToJson(const ConformalResult& c) {
  json classes = json::array();
  for (const auto& k : c.classes)
    classes.push_back({{"class", k.name},
                       {"windows", k.windows},
                       {"covered", k.covered},
                       {"coverage", k.coverage},
                       {"average_set_size", k.averageSetSize}});
  return {{"score", conformalScoreName(c.score)},
          {"alpha", c.alpha},
          {"calibration_windows", c.calibrationWindows},
          {"test_windows", c.testWindows},
          {"rank", c.rank},
          {"threshold", c.threshold},
          {"coverage", c.coverage},
          {"average_set_size", c.averageSetSize},
          {"empty_sets", c.emptySets},
          {"set_size_counts", c.setSizeCounts},
          {"per_class", classes}};
}

json checksToJson(const std::vector<ThresholdCheck>& checks) {
  json out = json::array();
  for (const auto& c : checks)
    out.push_back({{"name", c.name},
                   {"comparison", c.comparison},
                   {"value", c.value},
                   {"threshold", c.threshold},
                   {"passed", c.passed}});
  return out;
}

namespace {

json calibrationJson(const CalibrationReport& c) {
  return {{"all", eceToJson(c.all)},
          {"temperature", temperatureToJson(c.temperature)},
          {"test_before", eceToJson(c.testBefore)},
          {"test_after", eceToJson(c.testAfter)},
          {"nll_test_before", c.nllTestBefore},
          {"nll_test_after", c.nllTestAfter}};
}

json sideJson(const SideEvaluation& s) {
  json conformal = json::array();
  for (const auto& c : s.conformal) conformal.push_back(conformalToJson(c));
  return {{"backend", s.backend},
          {"precision", s.precision},
          {"confusion", matrixJson(s.confusion)},
          {"decisions", decisionsJson(s.decisions)},
          {"mixed_label_windows", {{"windows", s.mixedWindows}, {"accuracy", s.mixedAccuracy}}},
          {"calibration", calibrationJson(s.calibration)},
          {"conformal", conformal}};
}

json comparisonJson(const BackendComparison& c, std::size_t classes) {
  json difference = json::array();
  for (std::size_t t = 0; t < classes; ++t)
    difference.push_back(json(std::vector<long long>(
        c.difference.begin() + static_cast<std::ptrdiff_t>(t * classes),
        c.difference.begin() + static_cast<std::ptrdiff_t>((t + 1) * classes))));
  json flipped = json::array();
  for (const auto& f : c.flipped)
    flipped.push_back({{"session", f.session},
                       {"window", f.window},
                       {"start_s", f.start_s},
                       {"end_s", f.end_s},
                       {"label", f.label},
                       {"a", f.a},
                       {"b", f.b}});
  return {{"confusion_difference", difference},
          {"windows", c.windows},
          {"flips", c.flips},
          {"agreement", c.agreement},
          {"flipped", flipped}};
}

json countsJson(const WindowCounts& c) {
  return {{"windows", c.windows},
          {"labelled", c.labelled},
          {"unlabelled", c.unlabelled},
          {"unknown_class", c.unknownClass},
          {"unknown_classes", c.unknownClasses},
          {"mixed_labels", c.mixedLabels},
          {"calibration", c.calibration},
          {"test", c.test},
          {"skipped_gap", c.skippedGap},
          {"skipped_nan", c.skippedNan},
          {"first_unlabelled_start_s", c.firstUnlabelledTimes_s}};
}

json settingsJson(const EvalSettings& s) {
  auto optional = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"calibration_fraction", s.split.calibrationFraction},
          {"split_block_windows", s.split.blockWindows},
          {"alpha", s.alpha},
          {"ece_bins", s.eceBins},
          {"label_rule", s.labelRule},
          {"stride", s.stride},
          {"manifest_temperature", s.manifestTemperature},
          {"min_accuracy", optional(s.thresholds.minAccuracy)},
          {"max_ece", optional(s.thresholds.maxEce)},
          {"min_coverage", optional(s.thresholds.minCoverage)}};
}

}  // namespace

nlohmann::json evaluationToJson(const EvaluationResult& r) {
  json sides = json::array();
  for (const auto& s : r.sides) sides.push_back(sideJson(s));
  const json checks = checksToJson(r.checks);
  return {{"kind", "evaluate"},
          {"schema_version", kEvaluationSchemaVersion},
          {"model", r.modelName},
          {"classes", r.classes},
          {"sessions", r.sessions},
          {"devices", r.devices},
          {"settings", settingsJson(r.settings)},
          {"counts", countsJson(r.counts)},
          {"sides", sides},
          {"comparison",
           r.comparison ? comparisonJson(*r.comparison, r.classes.size()) : json(nullptr)},
          {"checks", checks},
          {"passed", r.passed()},
          {"seconds", r.seconds}};
}

void writeEvaluationJson(const EvaluationResult& result, const std::filesystem::path& path) {
  writeTextAtomically(path, evaluationToJson(result).dump(2) + "\n", "evaluation report");
}

}  // namespace imuwb::eval
