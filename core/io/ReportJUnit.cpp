#include "io/ReportJUnit.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

#include "common/AtomicFile.hpp"
#include "common/Error.hpp"
#include "io/MarkupEscape.hpp"

namespace imuwb::io {

std::string xmlEscape(const std::string& text) {
  return escapeMarkup(text, Markup::Xml);
}

namespace {
std::string num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}
struct Case {
  std::string classname, name, failure, detail;
};
}  // namespace

std::string parityReportJUnit(const analysis::ParityResult& r, const std::string& suite_name) {
  std::vector<Case> cases;
  for (const auto& o : r.outputs)
    for (const auto& c : o.checks) {
      Case k{"parity." + o.output, c.metric + " " + c.comparison + " " + num(c.threshold), "", ""};
      if (!c.passed) {
        k.failure = o.output + ": " + c.metric + " = " + num(c.value) + ", required " +
                    c.comparison + " " + num(c.threshold);
        k.detail = "A=" + r.a.label + " B=" + r.b.label + ", " + std::to_string(o.windows) +
                   " windows; cosine mean " + num(o.cosineMean) + ", min " + num(o.cosineMin) +
                   ", p5 " + num(o.cosineP5) + ", SNR " + num(o.snr_db) + " dB";
        if (!o.worst.empty())
          k.detail += "; worst window " + std::to_string(o.worst[0].window) + " at " +
                      num(o.worst[0].time_s) + " s (cosine " + num(o.worst[0].cosine) + ")";
      }
      cases.push_back(k);
    }
  if (r.inputClipping) {
    Case k{"parity.input", "input clipping", "", ""};
    for (const auto& f : r.findings)
      if (f.code == "input_clipping" && f.severity == Severity::Error) {
        k.failure = f.message;
        k.detail = f.fix;
      }
    cases.push_back(k);
  }
  for (const auto& f : r.findings)
    if (f.severity == Severity::Error && f.code != "input_clipping")
      cases.push_back({"parity.findings", f.code, f.message, f.fix});

  std::size_t failures = 0;
  for (const auto& c : cases) failures += !c.failure.empty();
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" << xmlEscape(suite_name)
    << "\" tests=\"" << cases.size() << "\" failures=\"" << failures << "\" errors=\"0\" time=\""
    << num(r.seconds) << "\">\n  <testsuite name=\"" << xmlEscape(suite_name) << "\" tests=\""
    << cases.size() << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"0\" time=\""
    << num(r.seconds) << "\">\n    <properties>\n      <property name=\"model\" value=\""
    << xmlEscape(r.modelName) << "\"/>\n      <property name=\"model_sha256\" value=\""
    << xmlEscape(r.modelSha256) << "\"/>\n      <property name=\"a\" value=\""
    << xmlEscape(r.a.label) << "\"/>\n      <property name=\"b\" value=\"" << xmlEscape(r.b.label)
    << "\"/>\n      <property name=\"windows\" value=\"" << r.windows << "\"/>\n";
  for (const auto& [prefix, side] : {std::pair{"a", &r.a}, std::pair{"b", &r.b}}) {
    x << "      <property name=\"" << prefix << ".description\" value=\"" << xmlEscape(side->detail)
      << "\"/>\n";
    for (const auto& d : side->details)
      x << "      <property name=\"" << prefix << "." << xmlEscape(d.key) << "\" value=\""
        << xmlEscape(d.value) << "\"/>\n";
  }
  x << "    </properties>\n";
  for (const auto& c : cases) {
    x << "    <testcase classname=\"" << xmlEscape(c.classname) << "\" name=\"" << xmlEscape(c.name)
      << "\" time=\"0\"";
    if (c.failure.empty()) {
      x << "/>\n";
    } else {
      x << ">\n      <failure message=\"" << xmlEscape(c.failure) << "\" type=\"parity\">"
        << xmlEscape(c.detail) << "</failure>\n    </testcase>\n";
    }
  }
  x << "  </testsuite>\n</testsuites>\n";
  return x.str();
}

void writeParityReportJUnit(const analysis::ParityResult& result, const std::filesystem::path& path,
                            const std::string& suite_name) {
  const auto xml = parityReportJUnit(result, suite_name);
  writeTextAtomically(path, xml, "the report");
}

}  // namespace imuwb::io
