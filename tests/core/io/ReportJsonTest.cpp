#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/io/ReportTestSupport.hpp"
#include "io/ReportJson.hpp"
#include "support/TestEnvironment.hpp"

namespace imuwb::io {
namespace {

test::ProcessResult validate(const std::filesystem::path& report) {
  return test::runCommand(
      test::shellQuote(test::pythonPath()) + " " +
      test::shellQuote((test::sourceDir() / "tests/peers/validate_report.py").string()) + " " +
      test::shellQuote((test::sourceDir() / "docs/parity-report.schema.json").string()) + " " +
      test::shellQuote(report.string()));
}

TEST(ReportJson, ValidatesAgainstTheDocumentedSchema) {
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  const auto result = test::sampleParityResult();
  writeParityReportJson(result, dir / "r.json");
  const auto check = validate(dir / "r.json");
  EXPECT_EQ(check.exitCode, 0) << check.output << check.errors;

  // Drift kind without series or layers also validates.
  auto drift = result;
  drift.outputs.clear();
  drift.layers.reset();
  drift.inputClipping.reset();
  writeParityReportJson(drift, dir / "d.json", {false, 200, "drift"});
  const auto check2 = validate(dir / "d.json");
  EXPECT_EQ(check2.exitCode, 0) << check2.output;
}

TEST(ReportJson, ValidatorCatchesBrokenReports) {
  // The schema check must be able to fail: remove a required field, break a type.
  IMUWB_REQUIRE_PYTHON_PEERS();
  test::TempDir dir;
  auto document = parityReportToJson(test::sampleParityResult());
  document["outputs"][0].erase("metrics");
  document["layers"]["layers"][0]["clip_fraction"] = "lots";
  document["format_version"] = 2;
  std::ofstream(dir / "bad.json") << document.dump();
  const auto check = validate(dir / "bad.json");
  EXPECT_EQ(check.exitCode, 1);
  EXPECT_NE(check.output.find("missing required 'metrics'"), std::string::npos) << check.output;
  EXPECT_NE(check.output.find("clip_fraction"), std::string::npos);
  EXPECT_NE(check.output.find("format_version"), std::string::npos);
}

TEST(ReportJson, CarriesVerdictChecksAndNonFiniteNumbers) {
  const auto result = test::sampleParityResult();
  const auto document = parityReportToJson(result);
  EXPECT_EQ(document["format"], "imuwb-parity-report");
  EXPECT_EQ(document["format_version"], kParityReportVersion);
  EXPECT_EQ(document["passed"], result.passed());
  EXPECT_FALSE(document["passed"].get<bool>());  // the input-clipping finding is an error
  ASSERT_EQ(document["outputs"].size(), 3u);
  EXPECT_EQ(document["outputs"][2]["flips"]["count"], result.outputs[2].flips.size());
  EXPECT_EQ(document["outputs"][1]["crossings"]["gained"], result.outputs[1].crossingsGained);
  EXPECT_EQ(document["layers"]["layers"][1]["snr_all_quantized_db"], "inf");
  EXPECT_EQ(document["series"]["cosine"]["latent_embeddings"].size(), 300u);
  EXPECT_EQ(reportNumber(std::nan("")), nullptr);
  EXPECT_EQ(reportNumber(-INFINITY), "-inf");
}

TEST(ReportJson, UnwritablePathIsAnError) {
  EXPECT_THROW(writeParityReportJson(test::sampleParityResult(), "/nonexistent/dir/r.json"),
               std::exception);
}

}  // namespace
}  // namespace imuwb::io
