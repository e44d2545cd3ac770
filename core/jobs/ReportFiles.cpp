#include "jobs/ReportFiles.hpp"

#include "io/ReportHtml.hpp"
#include "io/ReportJUnit.hpp"
#include "io/ReportJson.hpp"

namespace imuwb::jobs {

void declareReportOutputs(OutputPathCheck& check, const ReportFiles& files) {
  check.output(files.json, "--report").output(files.html, "--html").output(files.junit, "--junit");
}

void writeReportFiles(const analysis::ParityResult& result, const ReportFiles& files,
                      const std::string& kind) {
  io::ReportJsonOptions json;
  json.kind = kind;
  if (!files.json.empty()) io::writeParityReportJson(result, files.json, json);
  if (!files.html.empty())
    io::writeParityReportHtml(result, files.html, "imuwb " + kind + ": " + result.modelName);
  if (!files.junit.empty()) io::writeParityReportJUnit(result, files.junit, "imuwb." + kind);
}

}  // namespace imuwb::jobs
