#include "eval/EvalReportHtml.hpp"

#include <cstdio>
#include <sstream>

#include "common/AtomicFile.hpp"
#include "eval/EvalSvg.hpp"
#include "io/MarkupEscape.hpp"

namespace imuwb::eval {
namespace {

constexpr std::size_t kFlipsShown = 200;

std::string esc(const std::string& text) {
  return io::escapeMarkup(text, io::Markup::Html);
}

std::string num(double v, int digits = 4) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::vector<long long> counts(const ConfusionMatrix& m) {
  std::vector<long long> values;
  for (std::size_t t = 0; t < m.classCount(); ++t)
    for (std::size_t p = 0; p < m.classCount(); ++p)
      values.push_back(static_cast<long long>(m.count(t, p)));
  return values;
}

void decisionsTable(std::ostringstream& h, const DecisionMetrics& d) {
  h << "<p>accuracy " << num(d.accuracy) << ", balanced accuracy " << num(d.balancedAccuracy)
    << ", macro F1 " << num(d.macroF1) << ", Cohen's kappa " << num(d.kappa) << " over "
    << d.windows << " labelled windows</p>\n<table><tr><th>class</th><th>support</th>"
    << "<th>predicted</th><th>precision</th><th>recall</th><th>F1</th></tr>\n";
  for (const auto& c : d.classes)
    h << "<tr><td>" << esc(c.name) << "</td><td>" << c.support << "</td><td>" << c.predicted
      << "</td><td>" << num(c.precision) << "</td><td>" << num(c.recall) << "</td><td>" << num(c.f1)
      << "</td></tr>\n";
  h << "</table>\n";
}

void calibrationSection(std::ostringstream& h, const CalibrationReport& c) {
  h << "<h3>Calibration</h3><p>ECE (15 bins) over all labelled windows " << num(c.all.ece)
    << "; temperature fitted on the calibration split T = " << num(c.temperature.temperature)
    << (c.temperature.atBound ? " (at the search bound)" : "") << "; test split NLL "
    << num(c.nllTestBefore) << " &#8594; " << num(c.nllTestAfter) << ", ECE "
    << num(c.testBefore.ece) << " &#8594; " << num(c.testAfter.ece) << "</p>\n"
    << reliabilitySvg({&c.testBefore, &c.testAfter}, {"test, as deployed", "test, T-scaled"})
    << "\n";
}

void conformalSection(std::ostringstream& h, const std::vector<ConformalResult>& results) {
  h << "<h3>Conformal prediction sets</h3><table><tr><th>score</th><th>alpha</th>"
    << "<th>threshold</th><th>coverage</th><th>average set size</th><th>empty sets</th>"
    << "<th>calibration / test windows</th></tr>\n";
  for (const auto& c : results)
    h << "<tr><td>" << conformalScoreName(c.score) << "</td><td>" << c.alpha << "</td><td>"
      << num(c.threshold, 6) << "</td><td>" << num(c.coverage) << "</td><td>"
      << num(c.averageSetSize, 3) << "</td><td>" << c.emptySets << "</td><td>"
      << c.calibrationWindows << " / " << c.testWindows << "</td></tr>\n";
  h << "</table>\n";
}

void comparisonSection(std::ostringstream& h, const EvaluationResult& r) {
  const auto& c = *r.comparison;
  h << "<h2>" << esc(r.sides[1].backend) << " against " << esc(r.sides[0].backend) << "</h2><p>"
    << c.flips << " of " << c.windows << " windows flipped (agreement " << num(c.agreement)
    << ")</p>\n<h3>Confusion difference (" << esc(r.sides[1].backend) << " &#8722; "
    << esc(r.sides[0].backend) << ")</h3>\n"
    << confusionSvg(c.difference, r.classes, true) << "\n<table><tr><th>session</th>"
    << "<th>window</th><th>start s</th><th>end s</th><th>label</th><th>" << esc(r.sides[0].backend)
    << "</th><th>" << esc(r.sides[1].backend) << "</th></tr>\n";
  auto name = [&](int k) { return k < 0 ? std::string("-") : esc(r.classes.at(k)); };
  for (std::size_t i = 0; i < c.flipped.size() && i < kFlipsShown; ++i) {
    const auto& f = c.flipped[i];
    h << "<tr><td>" << esc(r.sessions.at(f.session)) << "</td><td>" << f.window << "</td><td>"
      << num(f.start_s, 2) << "</td><td>" << num(f.end_s, 2) << "</td><td>" << name(f.label)
      << "</td><td>" << name(f.a) << "</td><td>" << name(f.b) << "</td></tr>\n";
  }
  h << "</table>\n";
  if (c.flipped.size() > kFlipsShown)
    h << "<p>(first " << kFlipsShown << " shown; the JSON report lists all)</p>\n";
}

void countsSection(std::ostringstream& h, const WindowCounts& c) {
  h << "<p>" << c.windows << " windows: " << c.labelled << " labelled (" << c.mixedLabels
    << " straddle a label boundary), " << c.unlabelled << " in unlabelled time, " << c.unknownClass
    << " with a class the model lacks; " << c.skippedGap + c.skippedNan
    << " not windowed (gaps, NaN). Calibration split " << c.calibration << ", test split " << c.test
    << ".</p>\n";
}

}  // namespace

std::string evaluationHtml(const EvaluationResult& r) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>imuwb evaluate: "
    << esc(r.modelName) << "</title><style>body{font-family:sans-serif;margin:2em}"
    << "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
    << ".fail{color:#b00}</style></head><body>\n<h1>imuwb evaluate: " << esc(r.modelName)
    << "</h1>\n<p class=\"" << (r.passed() ? "" : "fail")
    << "\">verdict: " << (r.passed() ? "PASS" : "FAIL") << "</p>\n";
  for (const auto& c : r.checks)
    h << "<p class=\"" << (c.passed ? "" : "fail") << "\">" << esc(c.name) << " = " << num(c.value)
      << " (" << c.comparison << " " << num(c.threshold) << ")</p>\n";
  countsSection(h, r.counts);
  for (const auto& side : r.sides) {
    h << "<h2>" << esc(side.backend) << " (" << esc(side.precision) << ")</h2>\n";
    decisionsTable(h, side.decisions);
    h << "<h3>Confusion matrix</h3>\n" << confusionSvg(counts(side.confusion), r.classes, false);
    calibrationSection(h, side.calibration);
    conformalSection(h, side.conformal);
  }
  if (r.comparison) comparisonSection(h, r);
  h << "</body></html>\n";
  return h.str();
}

void writeEvaluationHtml(const EvaluationResult& result, const std::filesystem::path& path) {
  writeTextAtomically(path, evaluationHtml(result), "evaluation HTML report");
}

}  // namespace imuwb::eval
