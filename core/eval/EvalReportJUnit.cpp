#include "eval/EvalReportJUnit.hpp"

#include <cstdio>
#include <sstream>

#include "common/AtomicFile.hpp"
#include "io/MarkupEscape.hpp"

namespace imuwb::eval {
namespace {

std::string xml(const std::string& text) {
  return io::escapeMarkup(text, io::Markup::Xml);
}

std::string num(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace

std::string evaluationJUnit(const EvaluationResult& r) {
  std::size_t failures = 0;
  for (const auto& c : r.checks) failures += !c.passed;
  const std::size_t tests = r.checks.empty() ? 1 : r.checks.size();
  const std::string suite = "imuwb.evaluate";
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << suite << "\" tests=\""
    << tests << "\" failures=\"" << failures << "\" errors=\"0\" time=\"" << num(r.seconds)
    << "\">\n  <testsuite name=\"" << suite << "\" tests=\"" << tests << "\" failures=\""
    << failures << "\" errors=\"0\" skipped=\"0\" time=\"" << num(r.seconds)
    << "\">\n    <properties>\n      <property name=\"model\" value=\"" << xml(r.modelName)
    << "\"/>\n      <property name=\"labelled_windows\" value=\"" << r.counts.labelled
    << "\"/>\n    </properties>\n";
  if (r.checks.empty())
    x << "    <testcase classname=\"evaluate\" name=\"evaluated " << r.counts.labelled
      << " labelled windows (no thresholds given)\" time=\"0\"/>\n";
  for (const auto& c : r.checks) {
    x << "    <testcase classname=\"evaluate." << xml(c.name.substr(0, c.name.find('.')))
      << "\" name=\"" << xml(c.name + " " + c.comparison + " " + num(c.threshold))
      << "\" time=\"0\"";
    if (c.passed) {
      x << "/>\n";
      continue;
    }
    const std::string message =
        c.name + " = " + num(c.value) + ", required " + c.comparison + " " + num(c.threshold);
    x << ">\n      <failure message=\"" << xml(message) << "\" type=\"threshold\">" << xml(message)
      << "</failure>\n    </testcase>\n";
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void writeEvaluationJUnit(const EvaluationResult& result, const std::filesystem::path& path) {
  writeTextAtomically(path, evaluationJUnit(result), "evaluation JUnit report");
}

}  // namespace imuwb::eval
