#pragma once
// A self-contained HTML parity/drift report: no scripts, no network, inline SVG only.
// Drift over time (per-window cosine per output, min/max per pixel column so a 24 h run stays
// small), the per-output table with checks, flips/crossings, worst windows, the per-layer SNR
// chart and the findings.
#include <filesystem>
#include <string>

#include "analysis/ParityResult.hpp"

namespace imuwb::io {

std::string parityReportHtml(const analysis::ParityResult& result,
                             const std::string& title = "imuwb parity report");
void writeParityReportHtml(const analysis::ParityResult& result, const std::filesystem::path& path,
                           const std::string& title = "imuwb parity report");

// HTML-escapes text (&, <, >, ", ').
std::string htmlEscape(const std::string& text);

}  // namespace imuwb::io
