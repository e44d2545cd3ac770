#pragma once
// The parity/drift report as JSON: the source of truth the HTML and JUnit views are made from.
// Format "imuwb-parity-report", version kParityReportVersion; documented in docs/parity.md and
// formally in docs/parity-report.schema.json. Non-finite numbers (an SNR of identical outputs)
// are written as the strings "inf" / "-inf"; NaN (no data) as null.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/ParityResult.hpp"

namespace imuwb::io {

inline constexpr int kParityReportVersion = 1;

struct ReportJsonOptions {
  bool includeSeries = true;       // per-window cosine/MSE series (what the GUI plots)
  std::size_t maxListItems = 200;  // flips / crossings listed per output (counts are exact)
  std::string kind = "parity";     // "parity" | "drift"
};

nlohmann::json parityReportToJson(const analysis::ParityResult& result,
                                  const ReportJsonOptions& options = {});
// Writes atomically. Throws imuwb::Error when the file cannot be written.
void writeParityReportJson(const analysis::ParityResult& result, const std::filesystem::path& path,
                           const ReportJsonOptions& options = {});

// A JSON number, or "inf"/"-inf" for infinities and null for NaN.
nlohmann::json reportNumber(double value);

}  // namespace imuwb::io
