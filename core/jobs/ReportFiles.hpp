#pragma once
// The report files a parity or drift job writes (JSON is the source of truth; HTML and JUnit
// are renderings of it). Empty paths are not written: the GUI shows the result in its views
// and asks for no files.
#include <filesystem>
#include <string>

#include "analysis/ParityResult.hpp"
#include "common/OutputPaths.hpp"

namespace imuwb::jobs {

struct ReportFiles {
  std::filesystem::path json;   // docs/parity.md
  std::filesystem::path html;   // self-contained
  std::filesystem::path junit;  // one test case per check
};

// Adds the three as outputs of check ("--report", "--html", "--junit").
void declareReportOutputs(OutputPathCheck& check, const ReportFiles& files);

// kind: "parity" or "drift" (the JSON's kind, the HTML title and the JUnit suite name).
void writeReportFiles(const analysis::ParityResult& result, const ReportFiles& files,
                      const std::string& kind);

}  // namespace imuwb::jobs
