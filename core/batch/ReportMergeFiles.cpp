// The merged report's files: JSON (everything), HTML (a page to read) and JUnit (one test case
// per recording, and one per merged parity check, for CI dashboards).
#include <sstream>

#include "batch/ReportMerge.hpp"
#include "common/AtomicFile.hpp"
#include "common/OutputPaths.hpp"
#include "io/MarkupEscape.hpp"

namespace imuwb::batch {

using nlohmann::json;

json mergedReportJson(const MergedReport& r) {
  json failed = json::array();
  for (const auto& f : r.failed)
    failed.push_back({{"key", f.key},
                      {"session", f.session},
                      {"where", f.where},
                      {"problem", f.problem},
                      {"fix", f.fix}});
  return {{"format", "imuwb-merged-report"},
          {"version", 1},
          {"kind", r.kind},
          {"recordings",
           {{"planned", r.planned},
            {"ok", r.ok},
            {"failed", r.failed.size()},
            {"missing", r.missing.size()}}},
          {"complete", r.complete()},
          {"missing", r.missing},
          {"failed", failed},
          {"identity", r.identity},
          {"metrics", r.metrics},
          {"metrics_passed", r.metricsPassed}};
}

namespace {

std::string html(const std::string& text) {
  return io::escapeMarkup(text, io::Markup::Html);
}
std::string xml(const std::string& text) {
  return io::escapeMarkup(text, io::Markup::Xml);
}

// Per side: decisions, calibration (as deployed and at the fitted temperature) and conformal
// coverage; then the threshold checks on the merged figures.
std::string evaluationHtml(const json& m) {
  std::ostringstream out;
  out << "<table border=\"1\"><tr><th>backend</th><th>accuracy</th><th>macro F1</th><th>ECE</th>"
         "<th>temperature</th><th>test ECE before / after</th><th>test NLL before / after</th>"
         "<th>coverage LAC / APS</th><th>mean set size LAC / APS</th></tr>\n";
  for (const auto& s : m["sides"]) {
    const auto& c = s["calibration"];
    const json none = "-";
    auto conformal = [&](std::size_t i, const char* key) {
      return s.contains("conformal") && s["conformal"].size() > i ? s["conformal"][i][key] : none;
    };
    out << "<tr><td>" << html(s["backend"].get<std::string>()) << "</td><td>"
        << s["decisions"]["accuracy"] << "</td><td>" << s["decisions"]["macro_f1"] << "</td><td>"
        << c["all"]["ece"] << "</td><td>"
        << (c.contains("temperature") ? c["temperature"]["value"] : none) << "</td><td>"
        << c["test_before"]["ece"] << " / "
        << (c.contains("test_after") ? c["test_after"]["ece"] : none) << "</td><td>"
        << c["nll_test_before"] << " / " << c.value("nll_test_after", none) << "</td><td>"
        << conformal(0, "coverage") << " / " << conformal(1, "coverage") << "</td><td>"
        << conformal(0, "average_set_size") << " / " << conformal(1, "average_set_size")
        << "</td></tr>\n";
  }
  out << "</table>\n";
  if (m.contains("fit_error"))
    out << "<p>Temperature and conformal sets could not be fitted: "
        << html(m["fit_error"]["problem"].get<std::string>()) << "</p>\n";
  if (m.contains("checks") && !m["checks"].empty()) {
    out << "<h2>Checks</h2><ul>\n";
    for (const auto& c : m["checks"])
      out << "<li>" << html(c["name"].get<std::string>()) << ": " << c["value"] << " "
          << html(c["comparison"].get<std::string>()) << " " << c["threshold"] << ": "
          << (c["passed"].get<bool>() ? "pass" : "FAIL") << "</li>\n";
    out << "</ul>\n";
  }
  return out.str();
}

std::string htmlPage(const MergedReport& r) {
  std::ostringstream out;
  out << "<!doctype html><html><head><meta charset=\"utf-8\"><title>imuwb merged " << html(r.kind)
      << " report</title></head><body>\n<h1>Merged " << html(r.kind) << " report</h1>\n<p>" << r.ok
      << " of " << r.planned << " recordings merged; " << r.failed.size() << " failed, "
      << r.missing.size() << " missing.</p>\n";
  if (r.metrics.contains("outputs")) {
    out << "<table border=\"1\"><tr><th>output</th><th>windows</th><th>cosine mean</th>"
           "<th>cosine p5</th><th>SNR dB</th><th>top-1</th><th>verdict</th></tr>\n";
    for (const auto& o : r.metrics["outputs"]) {
      const auto& m = o["metrics"];
      out << "<tr><td>" << html(o["output"].get<std::string>()) << "</td><td>" << o["windows"]
          << "</td><td>" << m["cosine_mean"] << "</td><td>" << m["cosine_p5"] << "</td><td>"
          << m["snr_db"] << "</td><td>" << m["top1_agreement"] << "</td><td>"
          << (o["passed"].get<bool>() ? "pass" : "FAIL") << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (r.metrics.contains("sides")) out << evaluationHtml(r.metrics);
  out << "<h2>Failed</h2><ul>\n";
  for (const auto& f : r.failed)
    out << "<li>" << html(f.key) << ": " << html(f.problem) << " (" << html(f.where) << ")</li>\n";
  out << "</ul><h2>Missing</h2><ul>\n";
  for (const auto& k : r.missing) out << "<li>" << html(k) << "</li>\n";
  out << "</ul></body></html>\n";
  return out.str();
}

std::string junitXml(const MergedReport& r) {
  std::ostringstream cases;
  std::size_t tests = 0, failures = 0;
  for (const auto& f : r.failed) {
    ++tests, ++failures;
    cases << "  <testcase classname=\"recordings\" name=\"" << xml(f.key)
          << "\"><failure message=\"" << xml(f.problem) << "\">"
          << xml(f.where + ": " + f.problem + " " + f.fix) << "</failure></testcase>\n";
  }
  for (const auto& k : r.missing) {
    ++tests, ++failures;
    cases << "  <testcase classname=\"recordings\" name=\"" << xml(k)
          << "\"><failure message=\"missing\">no result</failure></testcase>\n";
  }
  auto addCheck = [&](const json& c) {
    ++tests;
    cases << "  <testcase classname=\"merged\" name=\"" << xml(c["name"].get<std::string>())
          << "\">";
    if (!c["passed"].get<bool>()) {
      ++failures;
      cases << "<failure message=\""
            << xml(c["value"].dump() + " " + c["comparison"].get<std::string>() + " " +
                   c["threshold"].dump())
            << "\"/>";
    }
    cases << "</testcase>\n";
  };
  if (r.metrics.contains("outputs"))
    for (const auto& o : r.metrics["outputs"])
      for (const auto& c : o["checks"]) addCheck(c);
  if (r.metrics.contains("checks"))
    for (const auto& c : r.metrics["checks"]) addCheck(c);
  if (r.metrics.contains("fit_error")) {
    ++tests, ++failures;
    cases << "  <testcase classname=\"merged\" name=\"fit\"><failure message=\""
          << xml(r.metrics["fit_error"]["problem"].get<std::string>()) << "\"/></testcase>\n";
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"imuwb merged "
      << xml(r.kind) << "\" tests=\"" << tests << "\" failures=\"" << failures << "\">\n"
      << cases.str() << "</testsuite>\n";
  return out.str();
}

}  // namespace

void writeMergedReports(const MergedReport& report, const std::filesystem::path& json,
                        const std::filesystem::path& htmlPath, const std::filesystem::path& junit) {
  if (!json.empty())
    writeTextAtomically(json, mergedReportJson(report).dump(2) + "\n", "merged report");
  if (!htmlPath.empty()) writeTextAtomically(htmlPath, htmlPage(report), "merged HTML report");
  if (!junit.empty()) writeTextAtomically(junit, junitXml(report), "merged JUnit report");
}

MergedReport runMergeJob(const MergeJobOptions& options) {
  OutputPathCheck check(options.force);
  check.input(options.outDir / "_batch" / "plan.json", "OUT_DIR's plan")
      .output(options.json, "--report")
      .output(options.html, "--html")
      .output(options.junit, "--junit");
  check.enforce();
  const auto report = mergeResults(options.outDir);
  writeMergedReports(report, options.json, options.html, options.junit);
  return report;
}

}  // namespace imuwb::batch
