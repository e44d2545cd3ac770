#include <gtest/gtest.h>

#include <fstream>

#include "core/io/ReportTestSupport.hpp"
#include "io/ReportHtml.hpp"
#include "io/ReportJUnit.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::io {
namespace {

TEST(ReportHtml, SelfContainedWithInlineSvgAndEscaping) {
  const auto html = parityReportHtml(test::sampleParityResult());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("http://", 0), html.find("http://www.w3.org/2000/svg"));  // only xmlns
  EXPECT_NE(html.find("aria-label='cosine similarity per window over time'"), std::string::npos);
  EXPECT_NE(html.find("aria-label='per-layer SNR in dB'"), std::string::npos);
  EXPECT_NE(html.find("sample &lt;model&gt; &amp; co"), std::string::npos);
  EXPECT_EQ(html.find("sample <model>"), std::string::npos);
  EXPECT_NE(html.find("/conv1/Conv"), std::string::npos);
  EXPECT_NE(html.find("FAIL"), std::string::npos);
}

TEST(ReportHtml, WellFormedXmlFragmentsParseInPython) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  // Every inline <svg> must be well-formed XML on its own (browsers are lenient; CI viewers not).
  test::TempDir dir;
  writeParityReportHtml(test::sampleParityResult(), dir / "r.html");
  const auto check = test::runCommand(
      test::shellQuote(test::pythonPath()) +
      " -c \"import re,sys,xml.etree.ElementTree as E; h=open(sys.argv[1]).read(); "
      "s=re.findall(r'<svg.*?</svg>', h, re.S); [E.fromstring(x) for x in s]; print(len(s))\" " +
      test::shellQuote((dir / "r.html").string()));
  EXPECT_EQ(check.exitCode, 0) << check.errors;
  EXPECT_EQ(check.output, "2\n");
}

TEST(ReportJUnit, OneTestCasePerCheckAndWellFormed) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto result = test::sampleParityResult();
  writeParityReportJUnit(result, dir / "r.xml");
  std::size_t checks = 0, failed = 0;
  for (const auto& o : result.outputs)
    for (const auto& c : o.checks) {
      ++checks;
      failed += !c.passed;
    }
  // + the input clipping case, which fails here.
  const auto parsed = test::runCommand(
      test::shellQuote(test::pythonPath()) +
      " -c \"import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); "
      "s=r.find('testsuite'); c=s.findall('testcase'); "
      "print(len(c), len([x for x in c if x.find('failure') is not None]), s.get('tests'), "
      "s.get('failures'), c[0].get('classname'))\" " +
      test::shellQuote((dir / "r.xml").string()));
  ASSERT_EQ(parsed.exitCode, 0) << parsed.errors;
  const std::string expect = std::to_string(checks + 1) + " " + std::to_string(failed + 1) + " " +
                             std::to_string(checks + 1) + " " + std::to_string(failed + 1) +
                             " parity.latent_embeddings\n";
  EXPECT_EQ(parsed.output, expect);
}

TEST(ReportJUnit, EscapesMarkupInNames) {
  EXPECT_EQ(xmlEscape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&apos;");
}

// HTML keeps control bytes and spells the apostrophe &#39; (HTML 4 has no &apos;); both reports
// share one escaper, so pin the two dialects side by side.
TEST(ReportHtml, EscapesMarkupWithHtmlApostropheAndKeepsControlBytes) {
  EXPECT_EQ(htmlEscape("a<b>&\"c'\x01\t"), "a&lt;b&gt;&amp;&quot;c&#39;\x01\t");
  EXPECT_EQ(xmlEscape("x\ty\nz\r\x1f"), "x\ty\nz\r");
}

}  // namespace
}  // namespace imuwb::io
